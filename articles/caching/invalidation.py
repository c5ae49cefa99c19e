"""What moves the content token: every write that could change what readers see.

Each receiver runs inside the change's transaction when there is one, so no
reader can see the new token with the old content. Writes that send no model
signals (QuerySet.update(), bulk operations) send `content_changed` from the
queryset itself (articles/models.py), so they cannot forget; commands that
write with raw SQL call move_token() themselves. All receivers are connected
here, by connect(), from the app's ready().
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from taggit.models import Tag

from articles.caching.frontend import purge_after_move
from articles.caching.token import move_token, token_moved
from articles.models import (
    Article,
    ArticleAuthor,
    ArticleCard,
    Category,
    ClosedDiscussion,
    CommentPolicy,
    Series,
    SeriesPart,
    TaggedArticle,
    Translation,
)
from articles.models.changes import content_changed

PUBLISHED = Article.Status.PUBLISHED
# The fields of a user that appear on public pages.
USER_DISPLAY_FIELDS = ("username", "first_name", "last_name")


# What other pages show of an article (links, cards' headings, listings'
# order and membership); a save that changes none of them shows only on the
# article's own page, and on listings and feeds, which are keyed by every change.
SHOWN_ELSEWHERE = ("slug", "title", "published_at", "language", "author_id", "category_id")


def article_saved(sender, instance, raw=False, using=None, update_fields=None, **kwargs):
    # A draft that stays a draft changes nothing readers (or the cache) see.
    # stored_state is read once per save, by Article.save().
    if raw:
        return
    before = getattr(instance, "stored_state", None)
    if instance.status != Article.Status.PUBLISHED and not (before and before.is_published):
        return
    if update_fields is not None and "updated_at" not in update_fields:
        # Its card is keyed by updated_at, which this save left alone.
        move_token(using)
        return
    own_page_only = (
        before is not None
        and before.is_public
        and instance.is_public
        and all(getattr(before, name) == getattr(instance, name) for name in SHOWN_ELSEWHERE)
        and not outdates_translations(before, instance, using)
    )
    if own_page_only:
        move_token(using, reach="own_page", article=instance.slug, article_pk=instance.pk)
    else:
        move_token(using, reach="pages")


def outdates_translations(before, instance, using):
    """Return whether a save's new content puts a notice on its translations' pages."""
    if (before.summary, before.body_html) == (instance.summary, instance.body_html):
        return False  # content_updated_at stays: the translations keep up.
    # A translation whose source changed may say so (articles/views/translations.py).
    return Translation.objects.using(using).filter(source_id=instance.pk, show_notice=True).exists()


def article_deleted(sender, instance, using=None, **kwargs):
    if instance.status == Article.Status.PUBLISHED:
        move_token(using, reach="pages")


def article_tags_changed(sender, instance, action, reverse=False, using=None, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse or getattr(instance, "status", None) == Article.Status.PUBLISHED:
        move_token(using)


def tagging_row_changed(sender, instance, raw=False, using=None, **kwargs):
    # Tagging rows written one by one (the admin, fixtures) rather than through tags.set().
    public = Article.objects.using(using).filter(
        pk=instance.content_object_id, status=Article.Status.PUBLISHED
    )
    if not raw and public.exists():
        move_token(using)


def taxonomy_changed(sender, instance, raw=False, using=None, **kwargs):
    if not raw:
        move_token(using)


def tag_saved(sender, instance, created=False, raw=False, using=None, **kwargs):
    # A new tag shows nowhere until a published article uses it, which moves it anyway.
    if not raw and not created:
        move_token(using)


def bulk_written(sender, using=None, **kwargs):
    move_token(using)


def comments_changed(article_pk, *, using=None):
    """Move what shows an article's comments; call inside the transaction that changes them.

    For an approved comment that appears, changes or goes (held, rejected and
    spam comments show nowhere), and for closing or reopening an article's
    comments: its page and its comment feed render again, and the site's
    recent-comments feed; every other page stays cached.
    """
    slug = Article.objects.using(using).filter(pk=article_pk).values_list("slug", flat=True)
    slug = slug.first()
    if slug is not None:  # None: the article is going too, and moves the token itself.
        move_token(using, reach="comments", article=slug)


def discussion_switched(sender, instance, raw=False, using=None, **kwargs):
    # An editor closed or reopened one article's comments (the form shows or goes).
    if not raw:
        comments_changed(instance.article_id, using=using)


def comment_policy_changed(sender, instance, raw=False, using=None, **kwargs):
    # The site-wide switches show on every article's page, and nowhere else.
    if not raw:
        move_token(using, reach="pages")


def published_slug(article_pks, using):
    """Return the slug of the first published article among article_pks, or None."""
    published = Article.objects.using(using).filter(pk__in=article_pks, status=PUBLISHED)
    return published.values_list("slug", flat=True).first()


def series_changed(sender, instance, raw=False, using=None, **kwargs):
    # Its title, description and order show on every part's page, its own page and feeds.
    if not raw:
        move_token(using, reach="pages")


def series_part_changed(sender, instance, raw=False, using=None, **kwargs):
    # A draft part shows nowhere; a published one on every part's page (Part 2 of 3).
    if not raw and published_slug([instance.article_id], using) is not None:
        move_token(using, reach="pages")


def coauthor_changed(sender, instance, raw=False, using=None, **kwargs):
    # A byline shows on the article's page, on every listing and feed that lists it,
    # and on the co-author's page; a draft's shows nowhere.
    if not raw and published_slug([instance.article_id], using) is not None:
        move_token(using)


def translation_changed(sender, instance, raw=False, using=None, **kwargs):
    # The language switch and hreflang links, on both sides.
    pair = [instance.article_id, instance.source_id]
    if not raw and published_slug(pair, using) is not None:
        move_token(using, reach="pages")


def card_changed(sender, instance, raw=False, using=None, **kwargs):
    # The sharing picture and cover show on the article's own page only (and on no
    # listing: no article_pk). A card is drawn after the article's save commits, so
    # its page may have been cached between the two, naming the old picture
    # (docs/media.md).
    slug = None if raw else published_slug([instance.article_id], using)
    if slug is not None:
        move_token(using, reach="own_page", article=slug)


def remember_user_name(sender, instance, raw=False, update_fields=None, **kwargs):
    # Users are Django's model: their saves cannot read the old row for us.
    instance.cache_display_before = None
    if raw or not instance.pk:
        return
    if update_fields is not None and not set(update_fields) & set(USER_DISPLAY_FIELDS):
        return  # A login's last_login or a password change shows nowhere.
    instance.cache_display_before = (
        sender.objects.filter(pk=instance.pk).values_list(*USER_DISPLAY_FIELDS).first()
    )


def user_saved(sender, instance, created=False, raw=False, using=None, **kwargs):
    before = getattr(instance, "cache_display_before", None)
    after = tuple(getattr(instance, name) for name in USER_DISPLAY_FIELDS)
    if not raw and not created and before is not None and before != after:
        move_token(using)


def connect():
    """Connect every receiver that moves the token; called once, from AppConfig.ready()."""
    user = get_user_model()
    connections = [
        (post_save, article_saved, Article),
        (post_delete, article_deleted, Article),
        (m2m_changed, article_tags_changed, TaggedArticle),
        (post_save, tagging_row_changed, TaggedArticle),
        (post_delete, tagging_row_changed, TaggedArticle),
        (post_save, taxonomy_changed, Category),
        (post_delete, taxonomy_changed, Category),
        (post_delete, taxonomy_changed, Tag),
        (post_save, tag_saved, Tag),
        (post_save, discussion_switched, ClosedDiscussion),
        (post_delete, discussion_switched, ClosedDiscussion),
        (post_save, comment_policy_changed, CommentPolicy),
        (post_delete, comment_policy_changed, CommentPolicy),
        (post_save, series_changed, Series),
        (post_delete, series_changed, Series),
        (post_save, series_part_changed, SeriesPart),
        (post_delete, series_part_changed, SeriesPart),
        (post_save, coauthor_changed, ArticleAuthor),
        (post_delete, coauthor_changed, ArticleAuthor),
        (post_save, translation_changed, Translation),
        (post_delete, translation_changed, Translation),
        (post_save, card_changed, ArticleCard),
        (post_delete, card_changed, ArticleCard),
        (pre_save, remember_user_name, user),
        (post_save, user_saved, user),
        (content_changed, bulk_written, None),
        (token_moved, purge_after_move, None),
    ]
    for number, (signal, receiver, sender) in enumerate(connections):
        uid = f"caching_{number}_{receiver.__name__}"
        signal.connect(receiver, sender=sender, dispatch_uid=uid)

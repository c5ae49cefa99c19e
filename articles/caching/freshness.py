"""The content generation: one token that changes whenever anything readers see changes.

Every cached page, fragment and count is keyed by it, so nothing is ever
invalidated by deleting keys: a change moves the token and old entries are
never read again (they expire). The token lives in PostgreSQL, in the one-row
`ContentGeneration` table, so every worker and every replica agrees on it:

- `value` is bumped in the same transaction as each change (receivers below),
  so no reader can see the new token with the old content;
- `next_arrival` is the earliest scheduled publication still to come. Once the
  clock passes it the token changes at once (no cron job), and the first
  request to notice rolls the row over to the next scheduled time.

Reading it is one primary-key lookup per request, or with Redis and no replica
one Redis GET of a copy that is safe to trust (articles/caching/token_mirror.py).
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connections, router, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone
from taggit.models import Tag

from articles.caching import generation_cache
from articles.caching.token_mirror import mirror_forget, mirror_get, mirror_offer
from articles.models import Article, Category, ContentGeneration, TaggedArticle

# The fields of a user that appear on public pages.
USER_DISPLAY_FIELDS = ("username", "first_name", "last_name")
GENERATION = ContentGeneration._meta.db_table
ARTICLE = Article._meta.db_table
# The earliest publication still in the future, on the listing index.
NEXT_ARRIVAL_SQL = (
    f"(SELECT min(published_at) FROM {ARTICLE} WHERE status = %s AND published_at > %s)"
)


@dataclass(frozen=True)
class ContentToken:
    value: int
    changed_at: datetime | None
    arrived: datetime | None  # a scheduled publication that has come but is not yet rolled in

    def __str__(self):
        marker = int(self.arrived.timestamp() * 1_000_000) if self.arrived else 0
        return f"{self.value}.{marker}"

    @property
    def last_modified(self):
        """Return when public content last changed, as far as the token knows."""
        return max(filter(None, (self.changed_at, self.arrived)), default=None)


def read_token():
    """Return the current content token from the database public reads use."""
    row = mirror_get()
    if row is None:
        alias = router.db_for_read(ContentGeneration)
        with connections[alias].cursor() as cursor:
            cursor.execute(f"SELECT value, changed_at, next_arrival FROM {GENERATION} WHERE id = 1")
            row = cursor.fetchone() or (0, None, None)
        mirror_offer(*row)
    value, changed_at, next_arrival = row
    now = timezone.now()
    if next_arrival is not None and next_arrival <= now:
        roll_over(next_arrival, now)
        return ContentToken(value, changed_at, next_arrival)
    return ContentToken(value, changed_at, None)


def roll_over(arrived, now):
    """Fold an arrived publication into the counter and look up the next one."""
    alias = router.db_for_write(ContentGeneration)
    with connections[alias].cursor() as cursor:
        # Guarded by the old value: of several workers noticing at once, one wins.
        cursor.execute(
            f"UPDATE {GENERATION} SET value = value + 1, changed_at = next_arrival, "
            f"next_arrival = {NEXT_ARRIVAL_SQL} WHERE id = 1 AND next_arrival = %s "
            f"RETURNING value, changed_at, next_arrival",
            [Article.Status.PUBLISHED, now, arrived],
        )
        row = cursor.fetchone()
    if row is not None:
        mirror_offer(*row)


def content_token(request=None):
    """Return the token, read at most once per request."""
    if request is None:
        return read_token()
    token = getattr(request, "_content_token", None)
    if token is None:
        token = request._content_token = read_token()
    return token


def cached_for_generation(request, name, compute):
    """Return compute()'s result, computed once per content generation and shared by workers."""
    if not settings.FRAGMENT_CACHE:
        return compute()
    key = f"data:{content_token(request)}:{name}"
    value = generation_cache.get(key)
    if value is None:
        value = compute()
        generation_cache.set(key, value)
    return value


def bump_content_generation(using=None):
    """Move the generation; call inside the transaction that changes public content."""
    alias = using or router.db_for_write(ContentGeneration)
    now = timezone.now()
    # Before the commit, so no reader trusts a copy that predates this change.
    mirror_forget()
    with connections[alias].cursor() as cursor:
        # Lock first, then compute: the next statement's snapshot then includes
        # any scheduled article a concurrent transaction committed meanwhile.
        cursor.execute(f"SELECT id FROM {GENERATION} WHERE id = 1 FOR UPDATE")
        # An upsert: a test that flushes tables, or a fresh database, has no row yet.
        cursor.execute(
            f"INSERT INTO {GENERATION} (id, value, changed_at, next_arrival) "
            f"VALUES (1, 1, %s, {NEXT_ARRIVAL_SQL}) "
            f"ON CONFLICT (id) DO UPDATE SET value = {GENERATION}.value + 1, "
            f"changed_at = EXCLUDED.changed_at, next_arrival = EXCLUDED.next_arrival "
            f"RETURNING value, changed_at, next_arrival",
            [now, Article.Status.PUBLISHED, now],
        )
        row = cursor.fetchone()
    transaction.on_commit(lambda: mirror_offer(*row), using=alias)


# Receivers. Each runs inside the change's transaction when there is one, so
# no reader can see the new generation with the old content.


@receiver(pre_save, sender=Article, dispatch_uid="freshness_article_before")
def remember_article_visibility(sender, instance, raw=False, **kwargs):
    instance._was_public_or_scheduled = bool(
        instance.pk
        and not raw
        and Article.objects.filter(pk=instance.pk, status=Article.Status.PUBLISHED).exists()
    )


@receiver(post_save, sender=Article, dispatch_uid="freshness_article_saved")
def article_saved(sender, instance, raw=False, using=None, **kwargs):
    # A draft that stays a draft changes nothing readers (or the cache) see.
    if raw:
        return
    if instance.status == Article.Status.PUBLISHED or getattr(
        instance, "_was_public_or_scheduled", False
    ):
        bump_content_generation(using)


@receiver(post_delete, sender=Article, dispatch_uid="freshness_article_deleted")
def article_deleted(sender, instance, using=None, **kwargs):
    if instance.status == Article.Status.PUBLISHED:
        bump_content_generation(using)


@receiver(m2m_changed, sender=TaggedArticle, dispatch_uid="freshness_article_tags")
def article_tags_changed(sender, instance, action, reverse=False, using=None, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse or getattr(instance, "status", None) == Article.Status.PUBLISHED:
        bump_content_generation(using)


@receiver(post_save, sender=TaggedArticle, dispatch_uid="freshness_tagged_saved")
@receiver(post_delete, sender=TaggedArticle, dispatch_uid="freshness_tagged_deleted")
def tagged_article_changed(sender, instance, raw=False, using=None, **kwargs):
    # Tagging rows written one by one (the admin, fixtures) rather than through tags.set().
    public = Article.objects.using(using).filter(
        pk=instance.content_object_id, status=Article.Status.PUBLISHED
    )
    if not raw and public.exists():
        bump_content_generation(using)


@receiver(post_save, sender=Category, dispatch_uid="freshness_category_saved")
@receiver(post_delete, sender=Category, dispatch_uid="freshness_category_deleted")
@receiver(post_delete, sender=Tag, dispatch_uid="freshness_tag_deleted")
def taxonomy_changed(sender, instance, raw=False, using=None, **kwargs):
    if not raw:
        bump_content_generation(using)


@receiver(post_save, sender=Tag, dispatch_uid="freshness_tag_saved")
def tag_saved(sender, instance, created=False, raw=False, using=None, **kwargs):
    # A new tag shows nowhere until a published article uses it, which bumps anyway.
    if not raw and not created:
        bump_content_generation(using)


@receiver(pre_save, sender=get_user_model(), dispatch_uid="freshness_user_before")
def remember_user_name(sender, instance, raw=False, update_fields=None, **kwargs):
    instance._display_before = None
    if raw or not instance.pk:
        return
    if update_fields is not None and not set(update_fields) & set(USER_DISPLAY_FIELDS):
        return  # A login's last_login or a password change shows nowhere.
    instance._display_before = (
        sender.objects.filter(pk=instance.pk).values_list(*USER_DISPLAY_FIELDS).first()
    )


@receiver(post_save, sender=get_user_model(), dispatch_uid="freshness_user_saved")
def user_saved(sender, instance, created=False, raw=False, using=None, **kwargs):
    before = getattr(instance, "_display_before", None)
    after = tuple(getattr(instance, name) for name in USER_DISPLAY_FIELDS)
    if not raw and not created and before is not None and before != after:
        bump_content_generation(using)

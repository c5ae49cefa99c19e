"""Moderation: approve, reject, mark as spam, delete; who may; what each change moves."""

from django.db import transaction
from django.utils import timezone

from articles.caching.invalidation import comments_changed
from articles.comments.notifications import notify_reply
from articles.models import Article, Comment, CommentStatus

ACTION_STATUS = {
    "approve": CommentStatus.APPROVED,
    "reject": CommentStatus.REJECTED,
    "spam": CommentStatus.SPAM,
}


def may_moderate(user, article):
    """Editors moderate every article's comments; authors and co-authors their own articles'."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    return user.has_perm("articles.publish_article") or article.has_author(user)


def moderatable_by(user, queryset=None):
    """Return the comments a user may moderate."""
    queryset = Comment.objects.all() if queryset is None else queryset
    if user.has_perm("articles.publish_article"):
        return queryset
    return queryset.filter(article__in=Article.objects.by_author(user))


@transaction.atomic
def moderate(comment, action):
    """Apply a moderation action; return the comment (None once deleted)."""
    was_public = comment.status == CommentStatus.APPROVED
    if action == "delete":
        article_pk = comment.article_id
        comment.delete()
        if was_public:
            comments_changed(article_pk)
        return None
    status = ACTION_STATUS[action]
    if comment.status == status:
        return comment
    comment.status = status
    comment.moderated_at = timezone.now()
    comment.save(update_fields=["status", "moderated_at"])
    if was_public or status == CommentStatus.APPROVED:
        comments_changed(comment.article_id)
    if status == CommentStatus.APPROVED:
        notify_reply(comment)
    return comment


@transaction.atomic
def moderate_many(comments, action):
    count = 0
    for comment in comments:
        moderate(comment, action)
        count += 1
    return count


@transaction.atomic
def delete_by_email_hash(email_hash):
    """Delete every comment posted with one address (replies to them go too); return the count."""
    comments = list(Comment.objects.filter(email_hash=email_hash).select_related("article"))
    public_articles = {c.article_id for c in comments if c.status == CommentStatus.APPROVED}
    Comment.objects.filter(pk__in=[c.pk for c in comments]).delete()
    for article_pk in sorted(public_articles):
        comments_changed(article_pk)
    return len(comments)

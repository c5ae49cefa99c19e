"""Posting a comment: whether an article takes comments, the checks, and the stored result."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from articles.caching.invalidation import comments_changed
from articles.comments import spam
from articles.comments.moderation import may_moderate
from articles.comments.notifications import notify_moderators, notify_reply
from articles.models import ClosedDiscussion, Comment, CommentPolicy, CommentStatus


@dataclass(frozen=True)
class Discussion:
    is_open: bool
    closed_reason: str = ""
    # When an open discussion closes by itself (CommentPolicy.close_after_days).
    closes_at: datetime | None = None


def discussion_annotations():
    """Return annotations that load an article's discussion switches with the article itself.

    The article page annotates its query with these, so the switches cost no query
    of their own (and are cached with the article: changing them moves the token).
    """
    policy = CommentPolicy.objects.filter(pk=1)
    return {
        "comments_site_open": Coalesce(Subquery(policy.values("is_open")), Value(True)),
        "comments_close_after": Coalesce(Subquery(policy.values("close_after_days")), Value(0)),
        "comments_closed_here": Exists(ClosedDiscussion.objects.filter(article_id=OuterRef("pk"))),
    }


def _switches(article):
    if hasattr(article, "comments_closed_here"):
        return (
            article.comments_site_open,
            article.comments_close_after,
            article.comments_closed_here,
        )
    policy = CommentPolicy.current()
    closed = ClosedDiscussion.objects.filter(article_id=article.pk).exists()
    return policy.is_open, policy.close_after_days, closed


def discussion_for(article, *, now=None):
    """Return whether an article takes comments now, and if not, why (for the page)."""
    if not settings.COMMENTS_ENABLED or not article.is_public:
        return Discussion(False, _("Comments are closed."))
    site_open, close_after, closed_here = _switches(article)
    if not site_open:
        return Discussion(False, _("Comments are closed on this site for now."))
    if closed_here:
        return Discussion(False, _("Comments are closed on this article."))
    if not close_after:
        return Discussion(True)
    closes_at = article.published_at + timedelta(days=close_after)
    if closes_at <= (now or timezone.now()):
        closed = ngettext(
            "Comments close %(days)d day after publication.",
            "Comments close %(days)d days after publication.",
            close_after,
        )
        return Discussion(False, closed % {"days": close_after})
    return Discussion(True, closes_at=closes_at)


def post_comment(*, article, data, user, ip, stamp, honeypot):
    """Check and store a comment; return it, or raise spam.Refusal with the reason.

    data holds the cleaned form fields: name, email, website, body, parent, wants_replies.
    """
    discussion = discussion_for(article)
    if not discussion.is_open:
        raise spam.Refusal(discussion.closed_reason, status=403)
    if honeypot:
        raise spam.Refusal(
            _(
                "This comment looks automated and was not accepted. If you are a person, "
                "leave the last field empty and post again."
            ),
        )
    is_staff = user.is_authenticated and may_moderate(user, article)
    if not is_staff:
        spam.check_stamp(stamp, article.pk)
    history = spam.read_history(
        article=article, name=data["name"], email=data["email"], ip=ip, body=data["body"]
    )
    spam.check_rates(history)
    spam.check_links(data["body"], data["website"])
    spam.check_repeat(history)
    verdict = spam.score(
        history=history, name=data["name"], website=data["website"], body=data["body"]
    )
    if is_staff:
        status = CommentStatus.APPROVED
    elif verdict.score >= settings.COMMENTS_SPAM_SCORE:
        status = CommentStatus.SPAM
    elif verdict.score < 2 and history.trusted:
        status = CommentStatus.APPROVED
        verdict.reasons.append(_("trusted: an earlier comment was approved"))
    else:
        spam.check_queue(history)
        status = CommentStatus.PENDING
    with transaction.atomic():
        comment = Comment.objects.create(
            article=article,
            parent=data.get("parent"),
            user=user if user.is_authenticated else None,
            name=data["name"],
            email=data["email"],
            website=data["website"],
            body=data["body"],
            wants_replies=bool(data.get("wants_replies") and data["email"]),
            status=status,
            is_staff_reply=is_staff,
            spam_score=verdict.score,
            spam_reasons=verdict.reasons,
            ip_address=ip,
        )
        if status == CommentStatus.APPROVED:
            comments_changed(article.pk)
            notify_reply(comment)
        elif status == CommentStatus.PENDING:
            notify_moderators(comment)
    return comment

"""The author's desk: autosaved copies, the review conversation and secret preview links.

None of these change what readers see. An autosave is a separate copy of the text
(the article changes only when its author presses Save); a review is a list of
events whose latest decides where the article stands; a preview link shows a draft
to someone without an account until it expires or is revoked (docs/authoring.md).
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models.article import Article


class ArticleAutosave(models.Model):
    """The newest unsaved text of an article, one copy per person editing it."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="autosaves")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True)
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("autosaved copy")
        verbose_name_plural = _("autosaved copies")
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="one_autosave_per_editor")
        ]

    def __str__(self):
        return f"{self.article_id} · {self.saved_at:%Y-%m-%d %H:%M}"


class ReviewEvent(models.Model):
    """One step of an article's review: a submission, a comment or a decision."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted for review")
        COMMENT = "comment", _("Comment")
        CHANGES_REQUESTED = "changes", _("Changes requested")
        APPROVED = "approved", _("Approved")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="review_events")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.TextField(blank=True, max_length=10_000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("review event")
        verbose_name_plural = _("review events")
        indexes = [models.Index(fields=["article", "-created_at"], name="review_event_latest_idx")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.article_id}"


# Comments don't move an article through review; the latest of these does.
STATE_KINDS = (
    ReviewEvent.Kind.SUBMITTED,
    ReviewEvent.Kind.CHANGES_REQUESTED,
    ReviewEvent.Kind.APPROVED,
)


def review_state():
    """Return a subquery for an article's review state: the kind of its latest decision."""
    latest = ReviewEvent.objects.filter(article=OuterRef("pk"), kind__in=STATE_KINDS).order_by(
        "-created_at", "-pk"
    )
    return Subquery(latest.values("kind")[:1])


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


class PreviewLinkQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())

    def find(self, token):
        """Return the active link for a secret token, or None."""
        return self.active().select_related("article").filter(token_hash=hash_token(token)).first()


class PreviewLink(models.Model):
    """A secret, expiring, revocable address that shows a draft to someone without an account.

    Only the token's hash is stored, so the database (or a backup) does not reveal
    working links; the address is shown once, when it is made.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="preview_links")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = PreviewLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("preview link")
        verbose_name_plural = _("preview links")

    def __str__(self):
        return f"{self.article_id} · {self.expires_at:%Y-%m-%d}"

    @classmethod
    def create_for(cls, article, *, user, days):
        """Make a link and return it with its secret token (which is not stored)."""
        token = secrets.token_urlsafe(24)
        link = cls.objects.create(
            article=article,
            token_hash=hash_token(token),
            created_by=user,
            expires_at=timezone.now() + timedelta(days=days),
        )
        return link, token

    @property
    def is_active(self):
        return self.revoked_at is None and self.expires_at > timezone.now()

"""Reader comments: the comment, the per-article and site-wide switches, the blocklist, the outbox.

How they are posted, moderated, shown and mailed lives in articles/comments/;
the design is in docs/comments.md.
"""

import hashlib
import hmac

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from articles.models.visibility import ArticleStatus


class CommentStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting moderation")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    SPAM = "spam", _("Spam")


def email_digest(email):
    """Return a keyed hash of an address: identicons and matching without showing it."""
    normalized = (email or "").strip().lower()
    if not normalized:
        return ""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, normalized.encode(), hashlib.sha256).hexdigest()


class CommentQuerySet(models.QuerySet):
    def visible(self):
        """Return the comments readers may see: approved, on an article readers may see."""
        # published_condition() spelled through the join: one query, no subquery.
        return self.filter(
            status=CommentStatus.APPROVED,
            article__status=ArticleStatus.PUBLISHED,
            article__published_at__lte=timezone.now(),
        )

    def in_thread_order(self):
        return self.order_by("created_at", "pk")


class Comment(models.Model):
    Status = CommentStatus

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="comments"
    )
    # One level of replies: a reply's parent is always a top-level comment.
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text=_("Set when a logged-in author or editor wrote the comment."),
    )
    name = models.CharField(pgettext_lazy("commenter", "name"), max_length=80)
    email = models.EmailField(_("email"), max_length=254, blank=True)
    email_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    website = models.URLField(_("website"), max_length=200, blank=True)
    body = models.TextField(_("comment"))
    body_html = models.TextField(editable=False)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CommentStatus.choices,
        default=CommentStatus.PENDING,
        db_index=True,
    )
    is_staff_reply = models.BooleanField(
        _("by the author or an editor"), default=False, editable=False
    )
    wants_replies = models.BooleanField(
        _("email me replies"),
        default=False,
        help_text=_("The commenter asked to be told about replies by email."),
    )
    spam_score = models.PositiveSmallIntegerField(default=0, editable=False)
    spam_reasons = models.JSONField(default=list, blank=True, editable=False)
    body_digest = models.CharField(max_length=64, editable=False, db_index=True)
    # Cleared after COMMENTS_IP_RETENTION_DAYS by `manage.py clear_comment_ips`.
    ip_address = models.GenericIPAddressField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # Where an imported comment came from ("<article source key>#wp:12"), so imports update.
    source_key = models.CharField(max_length=600, blank=True, db_index=True, editable=False)
    moderated_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["article", "status", "created_at"], name="comment_thread_idx"),
            models.Index(fields=["ip_address", "created_at"], name="comment_ip_idx"),
            models.Index(fields=["email_hash", "created_at"], name="comment_email_idx"),
        ]

    def __str__(self):
        return f"{self.name}: {self.body[:40]}"

    def save(self, *args, **kwargs):
        from articles.comments.rendering import body_digest, render_comment

        self.email = self.email.strip().lower()
        self.email_hash = email_digest(self.email)
        self.body_html = render_comment(self.body)
        self.body_digest = body_digest(self.body)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                "email",
                "email_hash",
                "body_html",
                "body_digest",
            }
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{reverse('articles:detail', kwargs={'slug': self.article.slug})}#{self.anchor}"

    @property
    def anchor(self):
        return f"comment-{self.pk}"

    @property
    def is_public(self):
        return self.status == CommentStatus.APPROVED


class CommentPolicy(models.Model):
    """Site-wide comment switches, editable by editors (one row)."""

    is_open = models.BooleanField(
        _("comments open"),
        default=True,
        help_text=_("Untick to close comments on every article at once."),
    )
    close_after_days = models.PositiveIntegerField(
        _("close after days"),
        default=0,
        help_text=_("Close an article's comments this many days after publication; 0 never."),
    )

    class Meta:
        verbose_name = _("comment policy")
        verbose_name_plural = _("comment policy")

    def __str__(self):
        return str(_("Comment policy"))

    @classmethod
    def current(cls):
        return cls.objects.filter(pk=1).first() or cls(pk=1)


class ClosedDiscussion(models.Model):
    """An article whose comments an editor closed (existing comments stay visible)."""

    article = models.OneToOneField(
        "articles.Article", on_delete=models.CASCADE, related_name="closed_discussion"
    )
    closed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("closed discussion")
        verbose_name_plural = _("closed discussions")

    def __str__(self):
        return str(self.article)


class BlockedTerm(models.Model):
    class Kind(models.TextChoices):
        WORD = "word", _("Word or phrase")
        HOST = "host", _("Host name")

    kind = models.CharField(_("kind"), max_length=4, choices=Kind.choices, default=Kind.WORD)
    value = models.CharField(
        _("value"),
        max_length=200,
        help_text=_(
            "A word or phrase (matched case-insensitively anywhere in the comment, name or "
            "website), or a host name (matched with its subdomains in links and the website)."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("blocked word or host")
        verbose_name_plural = _("blocked words and hosts")
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="unique_blocked_term")
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.value}"

    def save(self, *args, **kwargs):
        self.value = self.value.strip().lower()
        super().save(*args, **kwargs)


class CommentMail(models.Model):
    """An email still to send: queued with the change, sent after commit, retried until sent."""

    to = models.EmailField(max_length=254)
    subject = models.CharField(max_length=300)
    text = models.TextField()
    html = models.TextField(blank=True)
    unsubscribe_url = models.URLField(max_length=500, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("comment email")
        verbose_name_plural = _("comment emails")

    def __str__(self):
        return f"{self.to}: {self.subject}"

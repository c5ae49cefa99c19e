"""Bookkeeping for delivery: pending WebSub pings and the content generation."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WebSubPing(models.Model):
    """A feed whose WebSub hub still has to hear that it changed (articles.feeds.websub)."""

    topic_url = models.URLField(max_length=500, unique=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("WebSub ping")
        verbose_name_plural = _("WebSub pings")

    def __str__(self):
        return self.topic_url


class ContentGeneration(models.Model):
    """A counter that moves whenever what readers see changes; it keys every page cache entry.

    One row, bumped in the same transaction as the change (articles.caching.freshness), so
    every process and every replica sees the new content and the new value together.
    """

    value = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(default=timezone.now)
    # The earliest scheduled publication still to come: when it passes, the token moves.
    next_arrival = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("content generation")

    def __str__(self):
        return str(self.value)

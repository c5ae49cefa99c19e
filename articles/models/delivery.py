"""Bookkeeping for delivery: pending WebSub pings and the content generation."""

import secrets

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


def random_epoch():
    return secrets.randbits(62)


class ContentGeneration(models.Model):
    """A counter that moves whenever what readers see changes; it keys every cache entry.

    One row, moved in the same transaction as the change (articles/caching/token.py),
    so every process and every replica sees the new content and the new value
    together. The epoch is random, drawn when the row is made and again by a
    restore, so two databases never share a token even where their counters do.
    """

    epoch = models.BigIntegerField(default=random_epoch)
    value = models.BigIntegerField(default=0)
    # Moves with value, except for an edit shown only on its own article's page.
    links = models.BigIntegerField(default=0)
    # Moves with changes to what cards show besides their article's row: tags, names.
    names = models.BigIntegerField(default=0)
    # Moves with a change to what readers see of one article's comments, and alone.
    comments = models.BigIntegerField(default=0)
    # {slug: mark} of edits shown only on their article's page (the new value) and of
    # comment changes ("c" and the new comments), since links moved.
    edits = models.JSONField(default=dict)
    changed_at = models.DateTimeField(default=timezone.now)
    # The earliest scheduled publication still to come: when it passes, the token moves.
    next_arrival = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("content generation")

    def __str__(self):
        return str(self.value)

"""How writes announce themselves: the bulk writes' signal, and an article before a save.

Model signals cover saves and deletes. Writes that send none (QuerySet.update(),
bulk_create(), bulk_update()) go through ContentQuerySet, which sends
`content_changed` itself in the same transaction, so a cache listening for
changes (articles/caching/invalidation.py) cannot miss one.
"""

from datetime import datetime
from typing import NamedTuple

from django.db import models, transaction
from django.dispatch import Signal
from django.utils import timezone

# Sent with the model and the alias written to, inside the write's transaction.
content_changed = Signal()


class ContentQuerySet(models.QuerySet):
    """A queryset whose bulk writes send content_changed."""

    def update(self, **kwargs):
        with transaction.atomic(using=self.db):
            count = super().update(**kwargs)
            if count:
                content_changed.send(sender=self.model, using=self.db)
        return count

    def bulk_update(self, objs, fields, batch_size=None):
        with transaction.atomic(using=self.db):
            count = super().bulk_update(objs, fields, batch_size=batch_size)
            if count:
                content_changed.send(sender=self.model, using=self.db)
        return count

    def bulk_create(self, objs, *args, **kwargs):
        with transaction.atomic(using=self.db):
            created = super().bulk_create(objs, *args, **kwargs)
            if created:
                content_changed.send(sender=self.model, using=self.db)
        return created


class StoredState(NamedTuple):
    """An article as stored before a save, read once by Article.save() for every receiver."""

    slug: str
    status: str
    published_at: datetime | None
    title: str
    summary: str
    body_html: str
    language: str
    author_id: int | None
    category_id: int | None

    @property
    def is_published(self):
        """Return whether readers could see it, or will once its date comes."""
        return self.status == "published"

    @property
    def is_public(self):
        """Return whether readers could see it just before the save."""
        return (
            self.is_published
            and self.published_at is not None
            and (self.published_at <= timezone.now())
        )

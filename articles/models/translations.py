"""Translations: one story in several languages, and whether each translation kept up.

A `Translation` row makes an article the translation of a source article; the
source and every article translating it are the story's versions, one per
language (docs/bilingual.md). When the source's content changes after the
translation last caught up, the translation "may be out of date"; the source
body it caught up with is kept, so editors see a diff of what changed since.
"""

import difflib

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import (
    BigIntegerField,
    Case,
    Exists,
    F,
    Func,
    IntegerField,
    JSONField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, JSONObject
from django.utils.translation import gettext_lazy as _


class Translation(models.Model):
    article = models.OneToOneField(
        "articles.Article",
        verbose_name=_("translation"),
        on_delete=models.CASCADE,
        related_name="translation_of",
    )
    source = models.ForeignKey(
        "articles.Article",
        verbose_name=_("translation of"),
        on_delete=models.CASCADE,
        related_name="translations",
        help_text=_("The article this one translates. Each language once per story."),
    )
    # When the translation's content last changed, and the source body it then matched.
    synced_at = models.DateTimeField(null=True, editable=False)
    source_body_seen = models.TextField(blank=True, editable=False)
    show_notice = models.BooleanField(
        _("tell readers when out of date"),
        default=False,
        help_text=_(
            "Show readers a notice while the source has changed since this translation "
            "was last edited. Editors always see it in the admin."
        ),
    )

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")

    def __str__(self):
        return f"{self.article} ← {self.source}"

    def save(self, *args, **kwargs):
        if self.synced_at is None:
            # Linking counts as catching up with the source as it is now.
            self.synced_at = self.article.content_updated_at
            self.source_body_seen = self.source.body
        super().save(*args, **kwargs)

    def clean(self):
        if not self.source_id or not self.article_id:
            return
        if self.source_id == self.article_id:
            raise ValidationError({"source": _("An article cannot translate itself.")})
        if Translation.objects.filter(article_id=self.source_id).exists():
            raise ValidationError(
                {"source": _("Choose the original: that article is itself a translation.")}
            )
        # A story has one original: an original cannot become another's translation,
        # or its own translations would sit two steps from the new original.
        if Translation.objects.filter(source_id=self.article_id).exists():
            raise ValidationError(
                {"source": _("This article is the original of other translations.")}
            )
        language = type(self.article).objects.filter(pk=self.article_id).values("language")
        versions = type(self.article).objects.filter(pk=self.source_id) | type(
            self.article
        ).objects.filter(translation_of__source_id=self.source_id).exclude(pk=self.article_id)
        if versions.filter(language__in=language).exists():
            raise ValidationError(
                {"source": _("This story already has a version in this article's language.")}
            )

    @property
    def is_outdated(self):
        """Return whether the source changed after this translation last caught up."""
        changed = self.source.content_updated_at
        return bool(changed and self.synced_at and changed > self.synced_at)

    def source_diff(self):
        """Return a unified diff of the source body since this translation caught up."""
        lines = difflib.unified_diff(
            self.source_body_seen.splitlines(),
            self.source.body.splitlines(),
            fromfile=str(_("source when last translated")),
            tofile=str(_("source now")),
            lineterm="",
        )
        return "\n".join(lines)


def sync_translation(article):
    """Record that a translation caught up with its source, if its content just changed."""
    # The article's own class: this module is imported by the one defining it.
    source = type(article).objects.filter(pk=OuterRef("source_id")).values("body")
    Translation.objects.filter(article_id=article.pk).filter(
        Q(synced_at__isnull=True) | Q(synced_at__lt=article.content_updated_at)
    ).update(synced_at=article.content_updated_at, source_body_seen=Subquery(source))


def has_translations():
    """Return an annotation: whether some article translates this one."""
    return Exists(Translation.objects.filter(source=OuterRef("pk")))


def story_root():
    """Return an expression: the pk of the row's story, its source's or else its own."""
    return Coalesce(F("translation_of__source_id"), F("pk"))


def story_pks(root):
    """Return a subquery: the pks of the story whose source is `root` (a pk), itself included.

    A union of two index lookups. `pk = root OR translation.source_id = root` reads
    the same rows, but PostgreSQL can only answer that OR by reading every article.
    """
    articles = Translation.source.field.related_model.objects
    translations = Translation.objects.filter(source_id=root).values("article_id")
    return articles.filter(pk=root).order_by().values("pk").union(translations)


def translated_pks():
    """Return a subquery: the pks of articles in a story with more than one version."""
    return Translation.objects.values("article_id").union(Translation.objects.values("source_id"))


def version_rank(language=None):
    """Return an expression ranking a story's versions, 0 first: which one a listing shows.

    The version in `language`, then the original, then the others (docs/bilingual.md).
    """
    original = When(translation_of__isnull=True, then=Value(1 if language else 0))
    preferred = [When(language=language, then=Value(0))] if language else []
    return Case(*preferred, original, default=Value(2), output_field=IntegerField())


def other_versions(published):
    """Return an annotation: the row's other versions in `published`, as [{language, slug}].

    `published` is the queryset the versions come from (Article.objects.published()).
    The story's source and its translations are two index lookups, joined as
    arrays: one condition with OR would read every article for each row.
    """
    root = Coalesce(
        OuterRef("translation_of__source_id"), OuterRef("pk"), output_field=BigIntegerField()
    )
    others = published.exclude(pk=OuterRef("pk"))
    fields = JSONObject(language="language", slug="slug")
    source = ArraySubquery(others.filter(pk=root).values(version=fields))
    translations = ArraySubquery(
        others.filter(translation_of__source_id=root).values(version=fields)
    )
    return Func(
        source,
        translations,
        template="(%(expressions)s)",
        arg_joiner=" || ",
        output_field=ArrayField(JSONField()),
    )


def story_root_id(article):
    """Return the pk of the story's source: the article's own unless it is a translation."""
    try:
        return article.translation_of.source_id
    except Translation.DoesNotExist:
        return article.pk


def story_versions(article, queryset):
    """Return the versions of the article's story found in queryset (itself included)."""
    return queryset.filter(pk__in=story_pks(story_root_id(article)))

"""Categories (a tree) and the tag through model."""

from typing import NamedTuple

from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, OuterRef, Q
from django.db.models.functions import JSONObject
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag, TaggedItemBase

from articles.models.changes import ContentQuerySet
from articles.rendering.slugs import slug_from_text, unique_slug


class Category(models.Model):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        allow_unicode=True,
        blank=True,
        help_text=_("Used in the category's URL. Leave blank to make one from the name."),
    )
    description = models.TextField(_("description"), blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("Optional. Articles in this category also appear under the parent."),
    )
    ordering = models.IntegerField(
        _("ordering"), default=0, help_text=_("Lower numbers come first among siblings.")
    )

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["ordering", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [
            models.CheckConstraint(condition=~Q(slug=""), name="category_slug_not_empty"),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="category_not_own_parent"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            base = slug_from_text(self.name)
            others = Category.objects.exclude(pk=self.pk)
            self.slug = unique_slug(base, taken=lambda s: others.filter(slug=s).exists())
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:category", kwargs={"slug": self.slug})

    def clean(self):
        seen = {self.pk} if self.pk else set()
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk in seen:
                raise ValidationError(
                    {"parent": _("A category cannot be inside itself or its own subcategories.")}
                )
            seen.add(ancestor.pk)
            ancestor = ancestor.parent

    def ancestors(self):
        """Return the chain of parents from the root down to this category."""
        chain, node = [], self
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))

    def descendant_ids(self):
        """Return the ids of this category and every category below it."""
        rows = Category.objects.values_list("pk", "parent_id")
        children = {}
        for pk, parent_id in rows:
            children.setdefault(parent_id, []).append(pk)
        ids, stack = [], [self.pk]
        while stack:
            pk = stack.pop()
            if pk in ids:
                continue
            ids.append(pk)
            stack.extend(children.get(pk, []))
        return ids


def listed_tags():
    """Return an article's tags as a list of {name, slug}, by name, inside the row's query.

    A listing used to prefetch `tags`; Django then builds one queryset per
    article to hold them, which cost more CPU than all of the page's SQL.
    """
    tags = Tag.objects.filter(articles_taggedarticle_items__content_object=OuterRef("pk"))
    fields = JSONObject(id="id", name="name", slug="slug")
    return ArraySubquery(tags.order_by("name").values(tag=fields))


class TagLink(NamedTuple):
    """What a page shows of a tag: enough for its name, its link and its feed."""

    id: int
    name: str
    slug: str


class TaggedArticle(TaggedItemBase):
    content_object = models.ForeignKey(
        "Article", on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        verbose_name = _("article tag")
        verbose_name_plural = _("article tags")
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="unique_article_tag"),
        ]

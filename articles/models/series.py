"""Series: an ordered run of articles (docs/series.md).

An article belongs to at most one series, at one position. Membership is its
own row so that the article table stays as it is and a series can be reordered
without touching articles. Readers only ever see the published parts: every
public query goes through `SeriesQuerySet.with_published_parts()` or
`published_parts()`, both of which start from `Article.objects.published()`.
"""

from django.db import models
from django.db.models import Exists, Max, OuterRef
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from articles.models.article import Article
from articles.rendering.slugs import slug_from_text, unique_slug


class SeriesQuerySet(models.QuerySet):
    def with_published_parts(self):
        """Return the series readers may see: those with at least one published part."""
        public = SeriesPart.objects.filter(
            series=OuterRef("pk"), article__in=Article.objects.published()
        )
        return self.filter(Exists(public))


class Series(models.Model):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        allow_unicode=True,
        blank=True,
        help_text=_("The series page's URL. Leave blank to make one from the title."),
    )
    description = models.TextField(
        _("description"),
        blank=True,
        max_length=2000,
        help_text=_("Plain text, shown on the series page and in its feeds."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = SeriesQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("series")
        verbose_name_plural = _("series")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(
                slug_from_text(self.title),
                taken=lambda slug: Series.objects.filter(slug=slug).exclude(pk=self.pk).exists(),
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:series", kwargs={"slug": self.slug})

    def published_parts(self):
        """Return this series' published articles in reading order."""
        return (
            Article.objects.published()
            .filter(series_part__series=self)
            .order_by("series_part__position", "pk")
        )

    def next_position(self):
        """Return the position after the last part (drafts included), for appending."""
        last = self.parts.aggregate(last=Max("position"))["last"]
        return (last or 0) + 1


class SeriesPart(models.Model):
    """An article's place in a series."""

    series = models.ForeignKey(
        Series, verbose_name=_("series"), on_delete=models.CASCADE, related_name="parts"
    )
    article = models.OneToOneField(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="series_part"
    )
    position = models.PositiveIntegerField(
        _("position"),
        help_text=_(
            "Where the article comes in the series: 1 for the first part. Readers see "
            "the published parts numbered in this order, without gaps."
        ),
    )

    class Meta:
        ordering = ["series", "position"]
        verbose_name = _("series part")
        verbose_name_plural = _("series parts")
        constraints = [
            models.UniqueConstraint(
                fields=["series", "position"], name="series_part_unique_position"
            ),
            models.CheckConstraint(
                condition=models.Q(position__gte=1), name="series_part_position_positive"
            ),
        ]

    def __str__(self):
        return f"{self.series} #{self.position}: {self.article}"

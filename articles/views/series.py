"""Series on the reader's site: the navigation box on an article and the series page.

Only published parts are ever listed or counted, so a draft's title never
reaches a reader; a staff preview of a draft part sees it slotted in at its
position, marked as the current one (docs/series.md).
"""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from articles.models import Article, Series, SeriesPart
from articles.views.language import speak_content_language
from articles.views.queries import LINK_FIELDS


@dataclass(frozen=True)
class SeriesNavigation:
    series: Series
    parts: list  # the articles, in reading order
    index: int  # of the current article in parts, from 0

    @property
    def number(self):
        return self.index + 1

    @property
    def count(self):
        return len(self.parts)

    @property
    def current(self):
        return self.parts[self.index]

    @property
    def previous(self):
        return self.parts[self.index - 1] if self.index > 0 else None

    @property
    def next(self):
        return self.parts[self.index + 1] if self.index + 1 < len(self.parts) else None


def series_navigation(article):
    """Return where the article stands in its series, or None when it is in none."""
    # The article page joins series_part and its series into the article's own
    # query, so an article outside any series costs no query here.
    try:
        part = article.series_part
    except SeriesPart.DoesNotExist:
        return None
    parts = list(part.series.published_parts().only(*LINK_FIELDS))
    pks = [each.pk for each in parts]
    if article.pk not in pks:
        # A staff preview of an unpublished part: place it by position among the others.
        positions = dict(
            SeriesPart.objects.filter(article_id__in=pks).values_list("article_id", "position")
        )
        index = sum(1 for pk in pks if positions[pk] < part.position)
        parts.insert(index, article)
    else:
        index = pks.index(article.pk)
    return SeriesNavigation(series=part.series, parts=parts, index=index)


class SeriesDetailView(DetailView):
    """A series' page: its description and its published parts in order."""

    template_name = "articles/series_detail.html"
    context_object_name = "series"

    def get_queryset(self):
        return Series.objects.with_published_parts()

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        self.parts = list(self.object.published_parts().select_related("author"))
        languages = {part.language for part in self.parts}
        if len(languages) == 1:
            # A series written in one language reads like its articles do.
            speak_content_language(request, languages.pop())
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, **kwargs):
        series = self.object
        return super().get_context_data(
            parts=self.parts,
            page_title=series.title,
            page_description=series.description,
            **kwargs,
        )


class SeriesIndexView(ListView):
    """Every series with at least one published part."""

    template_name = "articles/series_index.html"
    context_object_name = "series_list"

    def get_queryset(self):
        public = Q(parts__article__in=Article.objects.published())
        return Series.objects.with_published_parts().annotate(
            part_count=Count("parts", filter=public)
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(page_title=_("Series"), **kwargs)

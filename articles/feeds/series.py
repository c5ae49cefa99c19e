"""A series' feeds (RSS, Atom, JSON Feed): its published parts, newest first."""

from django.conf import settings
from django.shortcuts import get_object_or_404

from articles.feeds.content import xml_safe
from articles.feeds.generators import ContentAtomFeed, JsonFeed
from articles.feeds.views import ArticleFeed, absolute
from articles.models import Series


class SeriesFeed(ArticleFeed):
    url_name = "articles:series_feed_rss"

    def get_object(self, request, slug):
        # A series with only unpublished parts has no feed: its title would leak.
        return get_object_or_404(Series.objects.with_published_parts(), slug=slug)

    def selection(self, obj):
        return super().selection(obj).filter(series_part__series=obj)

    def articles(self, obj):
        # The parts the editor placed, as the series page lists them.
        return self.selection(obj)

    def url_kwargs(self, obj):
        return {"slug": obj.slug}

    def feed_key(self, obj):
        return f"series:{obj.pk}"

    def feed_identity(self, obj):
        # Renaming the series or rewording it changes the feed but none of its items.
        return "\n".join((self.feed_url(obj), obj.title, obj.description))

    def title(self, obj):
        return xml_safe(f"{obj.title} · {settings.SITE_NAME}")

    def description(self, obj):
        return xml_safe(obj.description) or super().description(obj)

    def link(self, obj):
        return absolute(obj.get_absolute_url())


class SeriesAtomFeed(SeriesFeed):
    feed_type = ContentAtomFeed
    url_name = "articles:series_feed_atom"


class SeriesJsonFeed(SeriesFeed):
    feed_type = JsonFeed
    url_name = "articles:series_feed_json"

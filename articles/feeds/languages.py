"""Feeds of one language's articles: /lang/<code>/feed/ (RSS), atom/ and json/."""

from django.conf import settings
from django.http import Http404
from django.urls import reverse

from articles.feeds.content import xml_safe
from articles.feeds.generators import ContentAtomFeed, JsonFeed
from articles.feeds.views import ArticleFeed, absolute

LANGUAGES = dict(settings.LANGUAGES)


class LanguageFeed(ArticleFeed):
    url_name = "articles:language_feed_rss"

    def get_object(self, request, language):
        if language not in LANGUAGES:
            raise Http404("No such language.")
        return language

    def selection(self, obj):
        return super().selection(obj).filter(language=obj)

    def articles(self, obj):
        # Every story told in this language, translations included: its readers
        # want them all, where the site feed carries originals only.
        return self.selection(obj).one_per_story(obj)

    def url_kwargs(self, obj):
        return {"language": obj}

    def feed_key(self, obj):
        return f"language:{obj}"

    def title(self, obj):
        return xml_safe(f"{settings.SITE_NAME} ({obj})")

    def link(self, obj):
        return absolute(reverse("articles:language", kwargs={"language": obj}))

    def get_feed(self, obj, request):
        # The channel's language is the feed's own, not the site default. Set on
        # the generator: this Feed instance is shared by every request.
        generator = super().get_feed(obj, request)
        generator.feed["language"] = obj
        return generator


class LanguageAtomFeed(LanguageFeed):
    feed_type = ContentAtomFeed
    url_name = "articles:language_feed_atom"


class LanguageJsonFeed(LanguageFeed):
    feed_type = JsonFeed
    url_name = "articles:language_feed_json"

"""Full-content feeds: site, tag, category and author, in RSS, Atom and JSON Feed.

One base `ArticleFeed` does the work; format subclasses only swap the
generator and the route, and the tag, category and author feeds only narrow
the queryset (`selection()`) through `get_object()`. Every feed starts from
`published()` and carries one version of each story, the original
(docs/feeds.md, "Translations"); the language feeds carry their language's.
"""

import hashlib
from calendar import timegm
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.syndication.views import Feed
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.html import escape
from django.utils.http import http_date, quote_etag
from taggit.models import Tag

from articles.caching.shown import note_articles_shown
from articles.caching.token import content_token
from articles.feeds.content import feed_html_many, xml_safe
from articles.feeds.generators import ContentAtomFeed, ContentRssFeed, JsonFeed
from articles.models import Article, Category, TaggedArticle, listed_tags

# Tag URIs (RFC 4151) name the site's host and a date it owned that name. The
# date is part of every item id: changing it would show every item as new.
TAG_URI_DATE = "2026"
# Polling readers may reuse a feed this long; conditional requests keep refetches cheap.
FEED_MAX_AGE = 300
# Bump when the feed markup changes, so validators from an older format stop matching.
FEED_FORMAT_VERSION = "1"

# What an item needs, and nothing else: no Markdown body, no table of contents.
FEED_FIELDS = (
    "uuid",
    "title",
    "slug",
    "preview",
    "body_html",
    "language",
    "published_at",
    "content_updated_at",
    "author__username",
    "author__first_name",
    "author__last_name",
    "category__name",
)


def absolute(path):
    """Return a site path as an absolute URL on SITE_URL."""
    return f"{settings.SITE_URL}{path}"


def tag_uri(specific):
    """Return a tag URI for something on this site, stable across slug and host-path changes."""
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"tag:{host},{TAG_URI_DATE}:{specific}"


def article_id(article):
    """Return the permanent id of an article in every feed (RSS guid, Atom id, JSON id)."""
    return tag_uri(f"article:{article.uuid}")


def author_display_name(user):
    return user.get_full_name() or user.get_username()


def item_authors(article):
    """Return an article's authors for the feed generators: {name, url}, in byline order."""
    return [
        {"name": xml_safe(name), "url": page_url("articles:author", username=username)}
        for _pk, username, name in article.byline
    ]


def page_url(viewname, **kwargs):
    """Return the absolute URL of a reader page, or None while no such page exists."""
    # Tag and author pages belong to the reader site; feeds still work without them.
    try:
        return absolute(reverse(viewname, kwargs=kwargs))
    except NoReverseMatch:
        return None


@dataclass(frozen=True)
class Validators:
    etag: str
    last_modified: datetime | None
    article_pks: tuple = ()  # the feed's items


# What an item shows besides the article's own row: renaming any of these changes the feed.
NAME_FIELDS = ("author__username", "author__first_name", "author__last_name", "category__name")


def feed_validators(articles, *, identity, token=None):
    """Return the ETag and Last-Modified of a feed from one query that loads no bodies.

    The ETag covers which articles are in the feed, when each was last saved and
    the author, category and tag names it shows, so an article leaving the feed
    (unpublished, pushed out) or a renamed author changes it too. A rename has
    no date of its own: Last-Modified is never older than the content token's.
    """
    rows = list(
        articles.annotate(listed_tags=listed_tags())
        .order_by("-published_at", "-pk")
        .values_list("pk", "published_at", "updated_at", "listed_tags", *NAME_FIELDS)[
            : settings.FEED_ITEMS
        ]
    )
    fingerprint = hashlib.sha256()
    parts = [FEED_FORMAT_VERSION, identity, settings.SITE_URL, settings.WEBSUB_HUB_URL or ""]
    parts += [repr((pk, updated_at.isoformat(), *shown)) for pk, _p, updated_at, *shown in rows]
    fingerprint.update("\n".join(parts).encode())
    dates = [max(published, updated) for _pk, published, updated, *_shown in rows]
    if token is not None and token.last_modified is not None:
        dates.append(token.last_modified)
    return Validators(
        etag=fingerprint.hexdigest()[:32],
        last_modified=max(dates, default=None),
        article_pks=tuple(pk for pk, *_rest in rows),
    )


class ArticleFeed(Feed):
    """The site's feed in RSS 2.0; the base of every other feed."""

    feed_type = ContentRssFeed
    url_name = "articles:feed_rss"
    # A feed shows its items and nothing else of other articles (articles/caching/shown.py).
    cached_by_articles_shown = True

    def __call__(self, request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        try:
            obj = self.get_object(request, *args, **kwargs)
        except ObjectDoesNotExist:
            raise Http404("No such feed.") from None
        validators = feed_validators(
            self.articles(obj), identity=self.feed_identity(obj), token=content_token(request)
        )
        note_articles_shown(request, validators.article_pks)
        etag = quote_etag(validators.etag)
        last_modified = validators.last_modified and timegm(validators.last_modified.utctimetuple())
        response = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if response is None:
            generator = self.get_feed(obj, request)
            response = HttpResponse(content_type=generator.content_type)
            generator.write(response, "utf-8")
        if response.status_code in (200, 304):
            response.headers["ETag"] = etag
            if last_modified:
                response.headers["Last-Modified"] = http_date(last_modified)
            patch_cache_control(response, public=True, max_age=FEED_MAX_AGE)
            if settings.WEBSUB_HUB_URL:
                response.headers["Link"] = (
                    f'<{settings.WEBSUB_HUB_URL}>; rel="hub", <{self.feed_url(obj)}>; rel="self"'
                )
        return response

    # The feed's subject and its articles.

    def get_object(self, request, *args, **kwargs):
        return None

    def articles(self, obj):
        """Return the published articles this feed draws from, unsliced: one per story."""
        return self.selection(obj).one_per_story()

    def selection(self, obj):
        """Return the published articles this feed is about, every version of a story."""
        return Article.objects.published()

    def items(self, obj):
        # for_listing() shapes the query (joins, tag prefetch, order); feeds
        # then load the rendered body it defers, and only the fields they show.
        items = list(
            self.articles(obj)
            .for_listing(versions=False)
            .defer(None)
            .only(*FEED_FIELDS)[: settings.FEED_ITEMS]
        )
        contents = feed_html_many((item.pk, item.body_html, self.item_link(item)) for item in items)
        for item in items:
            item.feed_content = contents[item.pk]
        return items

    def url_kwargs(self, obj):
        return {}

    # The channel.

    def title(self, obj):
        return xml_safe(settings.SITE_NAME)

    def description(self, obj):
        return xml_safe(settings.SITE_DESCRIPTION)

    def subtitle(self, obj):
        # Atom's name for the description; RSS ignores it.
        return self.description(obj)

    def link(self, obj):
        return absolute(reverse("articles:home"))

    def feed_url(self, obj):
        return absolute(reverse(self.url_name, kwargs=self.url_kwargs(obj)))

    def feed_identity(self, obj):
        """Return what the feed's ETag covers besides its items: the feed and its own words."""
        return self.feed_url(obj)

    def feed_guid(self, obj):
        return tag_uri(f"feed:{self.feed_key(obj)}")

    def feed_key(self, obj):
        return "site"

    @property
    def language(self):
        # Fixed, not the request's Accept-Language: every reader gets the same bytes.
        return settings.LANGUAGE_CODE

    def feed_extra_kwargs(self, obj):
        return {"hub_url": settings.WEBSUB_HUB_URL}

    # Each item.

    def item_title(self, item):
        # Plain text: the XML writer escapes it once, which is what RSS and Atom
        # readers (and Atom's type="text") expect.
        return xml_safe(item.title)

    def item_link(self, item):
        return absolute(item.get_absolute_url())

    def item_guid(self, item):
        return article_id(item)

    item_guid_is_permalink = False

    def item_description(self, item):
        # RSS description and Atom summary are HTML; the preview is plain text.
        return escape(xml_safe(item.preview))

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        # Content edits move content_updated_at; an article written long before
        # it was published is still "updated" no earlier than its publication.
        return max(filter(None, (item.content_updated_at, item.published_at)))

    def item_categories(self, item):
        names = [item.category.name] if item.category else []
        # Sorted in Python: the prefetch has no order, and feeds should not churn.
        names += sorted(tag.name for tag in item.tag_links)
        return [xml_safe(name) for name in names]

    def item_extra_kwargs(self, item):
        return {
            "content_html": item.feed_content,
            "summary_text": xml_safe(item.preview),
            "language": item.language,
            # Every author, not Django's one: the generators write them (generators.py).
            "authors": item_authors(item),
        }


class AtomArticleFeed(ArticleFeed):
    feed_type = ContentAtomFeed
    url_name = "articles:feed_atom"


class JsonArticleFeed(ArticleFeed):
    feed_type = JsonFeed
    url_name = "articles:feed_json"


class TagFeed(ArticleFeed):
    """Articles with one tag."""

    url_name = "articles:tag_feed_rss"

    def get_object(self, request, slug):
        # A tag only drafts use stays unknown: its name could give away unpublished work.
        used = TaggedArticle.objects.filter(
            tag=OuterRef("pk"), content_object__in=Article.objects.published()
        )
        return get_object_or_404(Tag.objects.filter(Exists(used)), slug=slug)

    def selection(self, obj):
        return super().selection(obj).filter(tags=obj)

    def url_kwargs(self, obj):
        return {"slug": obj.slug}

    def feed_key(self, obj):
        return f"tag:{obj.pk}"

    def title(self, obj):
        return xml_safe(f"{obj.name} · {settings.SITE_NAME}")

    def link(self, obj):
        return page_url("articles:tag", slug=obj.slug) or super().link(obj)


class TagAtomFeed(TagFeed):
    feed_type = ContentAtomFeed
    url_name = "articles:tag_feed_atom"


class CategoryFeed(ArticleFeed):
    """Articles in a category and all of its subcategories."""

    url_name = "articles:category_feed_rss"

    def get_object(self, request, slug):
        category = get_object_or_404(Category, slug=slug)
        # Computed once here: articles() runs for the validators and again for the items.
        category.subtree_ids = category.descendant_ids()
        return category

    def selection(self, obj):
        return super().selection(obj).filter(category__in=obj.subtree_ids)

    def url_kwargs(self, obj):
        return {"slug": obj.slug}

    def feed_key(self, obj):
        return f"category:{obj.pk}"

    def title(self, obj):
        return xml_safe(f"{obj.name} · {settings.SITE_NAME}")

    def description(self, obj):
        return xml_safe(obj.description) or super().description(obj)

    def link(self, obj):
        return absolute(obj.get_absolute_url())


class CategoryAtomFeed(CategoryFeed):
    feed_type = ContentAtomFeed
    url_name = "articles:category_feed_atom"


class AuthorFeed(ArticleFeed):
    """Articles by one author."""

    url_name = "articles:author_feed_rss"

    def get_object(self, request, username):
        # Only people with published work have a feed; other accounts stay unlisted.
        # Co-written articles count, and appear in each co-author's feed.
        wrote = Article.objects.published().by_author(OuterRef("pk"))
        users = get_user_model().objects.filter(Exists(wrote))
        return get_object_or_404(users, username=username)

    def selection(self, obj):
        return super().selection(obj).by_author(obj)

    def url_kwargs(self, obj):
        return {"username": obj.username}

    def feed_key(self, obj):
        return f"author:{obj.pk}"

    def title(self, obj):
        return xml_safe(f"{author_display_name(obj)} · {settings.SITE_NAME}")

    def link(self, obj):
        return page_url("articles:author", username=obj.username) or super().link(obj)


class AuthorAtomFeed(AuthorFeed):
    feed_type = ContentAtomFeed
    url_name = "articles:author_feed_atom"

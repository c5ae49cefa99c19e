"""Paginated listings: home, tag, category, author, archive and search, and the indexes."""

from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.generic import ListView, TemplateView
from taggit.models import Tag

from articles.caching.entries import cached
from articles.models import Article, TagLink
from articles.search.query import normalise_query
from articles.search.results import SearchResults
from articles.views.pagination import ListingPaginator, listing_identity, story_count_subquery
from articles.views.queries import (
    DESCRIPTION_CHARS,
    ancestors_from,
    descendants_of,
    display_name,
    shared_category_tree,
    tags_with_counts,
)


class StrictPaginationMixin:
    """Paginate by ?page=N, answering 404 for anything but a page that exists."""

    paginate_by = settings.ARTICLES_PER_PAGE
    # A tag, author or archive with no published articles has no page at all.
    empty_is_404 = False

    paginator_class = ListingPaginator
    # The only query parameters this page reads; the page cache ignores all
    # others, so ?utm_source=… can neither change the page nor add a cache entry.
    query_params = ("page",)
    # Set by listing_count(): the count, when it was known before the page query.
    known_count = None

    def get_listing(self):
        # Counts and page ids are cached per listing and content token
        # (articles/views/pagination.py).
        return listing_identity(self.request)

    def listing_count(self, lookup=None):
        """Return the listing's count from the cache, or else from `lookup()`, caching it.

        Views that must query for their subject anyway (a tag, an author) count
        its articles in that same query, sparing a COUNT on a cold cache; `lookup`
        returns that count, and runs only when the cache does not have it.
        """
        if self.known_count is None:
            self.known_count = cached(
                "count", (self.get_listing(),), lookup or (lambda: None), request=self.request
            )
        return self.known_count

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        return self.paginator_class(
            queryset,
            per_page,
            orphans=orphans,
            allow_empty_first_page=allow_empty_first_page,
            listing=self.get_listing(),
            request=self.request,
            known_count=self.known_count,
            **kwargs,
        )

    def paginate_queryset(self, queryset, page_size):
        raw = self.request.GET.get(self.page_kwarg)
        if raw is not None and not (raw.isascii() and raw.isdigit()):
            raise Http404("Page numbers are positive whole numbers.")
        paginator, page, object_list, is_paginated = super().paginate_queryset(queryset, page_size)
        if self.empty_is_404 and paginator.count == 0:
            raise Http404("Nothing published here.")
        return paginator, page, object_list, is_paginated


class ArticleListView(StrictPaginationMixin, ListView):
    """The home page: the latest published articles."""

    template_name = "articles/article_list.html"
    context_object_name = "articles"
    page_title = ""
    # Articles show here only as the page's cards: an edit of another article's
    # body leaves the cached page in place (articles/caching/shown.py).
    cached_by_articles_shown = True

    def get_queryset(self):
        # Ordered only: the paginator reads a page's ids, and PageRows shapes the
        # query with for_listing() when it loads rows (articles/views/pagination.py).
        # One version per story, chosen after narrowing (docs/bilingual.md).
        articles = self.narrow(Article.objects.published())
        return articles.one_per_story(self.story_language()).newest_first()

    def narrow(self, articles):
        """Return the articles this listing is about, every version of a story included."""
        return articles

    def story_language(self):
        """Return the language a story is listed in when it has that version: the reader's."""
        return get_language()

    def get_page_title(self):
        return self.page_title

    def get_page_description(self):
        return ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            page_title=self.get_page_title(),
            page_description=Truncator(self.get_page_description()).chars(DESCRIPTION_CHARS),
            **kwargs,
        )


class TagArticleListView(ArticleListView):
    template_name = "articles/tag_detail.html"
    empty_is_404 = True

    def narrow(self, articles):
        self.tag = self.find_tag(self.kwargs["slug"])
        return articles.filter(tagged_items__tag_id=self.tag.id)

    def find_tag(self, slug):
        """Return the tag as a TagLink, kept per content generation once found."""

        def find():
            tags = Tag.objects.filter(slug=slug)
            if self.listing_count() is None:
                published = Article.objects.published().filter(tagged_items__tag=OuterRef("pk"))
                tags = tags.annotate(published_count=story_count_subquery(published))
            tag = get_object_or_404(tags)
            self.listing_count(lambda: tag.published_count)
            return TagLink(tag.pk, tag.name, tag.slug)

        return cached("data", ("tag", slug), find, request=self.request)

    def get_page_title(self):
        return _("Tagged “%(tag)s”") % {"tag": self.tag.name}

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class CategoryArticleListView(ArticleListView):
    """A category's articles, including those of its subcategories."""

    template_name = "articles/category_detail.html"

    def narrow(self, articles):
        # One query gives the category, its ancestors, its subcategories and their counts.
        # The tree with its counts aggregates every published article: once per change.
        _roots, by_pk = shared_category_tree(self.request)
        self.category = next(
            (node for node in by_pk.values() if node.slug == self.kwargs["slug"]), None
        )
        if self.category is None:
            raise Http404("No such category.")
        self.breadcrumb = ancestors_from(self.category, by_pk)
        self.listing_count(lambda: self.category.total)
        return articles.filter(category__in=descendants_of(self.category))

    def get_page_title(self):
        return self.category.name

    def get_page_description(self):
        return self.category.description

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            category=self.category,
            breadcrumb=self.breadcrumb,
            subcategories=[node for node in self.category.children_nodes if node.total],
            **kwargs,
        )


class AuthorArticleListView(ArticleListView):
    template_name = "articles/author_detail.html"
    empty_is_404 = True

    def narrow(self, articles):
        authors = get_user_model().objects.filter(username=self.kwargs["username"])
        if self.listing_count() is None:
            # Articles they wrote or co-wrote, counted in the query that finds them.
            published = Article.objects.published().by_author(OuterRef("pk"))
            authors = authors.annotate(published_count=story_count_subquery(published))
        self.author = get_object_or_404(authors)
        self.listing_count(lambda: self.author.published_count)
        return articles.by_author(self.author)

    def get_page_title(self):
        return _("Articles by %(author)s") % {"author": display_name(self.author)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            author=self.author, author_name=display_name(self.author), **kwargs
        )


class ArchiveArticleListView(ArticleListView):
    """A year's or a month's articles; the bounds follow the site's time zone."""

    template_name = "articles/archive.html"
    empty_is_404 = True

    def narrow(self, articles):
        year, month = self.kwargs["year"], self.kwargs.get("month")
        if not 1 <= year < 9999 or (month is not None and not 1 <= month <= 12):
            raise Http404("No such date.")
        if month is None:
            start, end = datetime(year, 1, 1), datetime(year + 1, 1, 1)
        else:
            start = datetime(year, month, 1)
            end = datetime(year + month // 12, month % 12 + 1, 1)
        try:
            self.start, end = timezone.make_aware(start), timezone.make_aware(end)
        except (OverflowError, ValueError):
            raise Http404("No such date.") from None
        self.month = month
        return articles.filter(published_at__gte=self.start, published_at__lt=end)

    def get_page_title(self):
        if self.month is None:
            return _("Articles from %(year)s") % {"year": self.start.year}
        return _("Articles from %(month)s") % {
            "month": date_format(self.start, "YEAR_MONTH_FORMAT")
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            archive_start=self.start, archive_is_month=self.month is not None, **kwargs
        )


class TagIndexView(TemplateView):
    template_name = "articles/tag_index.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(tags=tags_with_counts(), page_title=_("Tags"), **kwargs)


class CategoryIndexView(TemplateView):
    template_name = "articles/category_index.html"

    def get_context_data(self, **kwargs):
        roots, _by_pk = shared_category_tree(self.request)
        return super().get_context_data(
            categories=[root for root in roots if root.total],
            page_title=_("Categories"),
            **kwargs,
        )


class SearchView(StrictPaginationMixin, ListView):
    """Published articles matching ?q=, best first; an empty query shows an empty page."""

    template_name = "articles/search.html"
    context_object_name = "articles"
    query_params = ("page", "q")

    def get_queryset(self):
        self.query = normalise_query(self.request.GET.get("q", ""))
        if not self.query:
            return Article.objects.none()
        # A count cached for this query and content generation is exact: trust it.
        return SearchResults(self.query, total=self.listing_count())

    def get_listing(self):
        # Counted per normalised query and content generation: "kernel" and
        # " kernel " share a count, and a change to any article moves the token.
        return listing_identity(self.request, {"q": self.query})

    def get_context_data(self, **kwargs):
        return super().get_context_data(query=self.query, search_query=self.query, **kwargs)

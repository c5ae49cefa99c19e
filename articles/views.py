"""The reader's pages: listings, the article page and the tag and category indexes."""

import hashlib
import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, OuterRef, Q
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.formats import date_format
from django.utils.functional import SimpleLazyObject
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView, TemplateView
from taggit.models import Tag

from articles import generation_cache
from articles.freshness import cached_for_generation, content_token
from articles.models import Article, SlugRedirect, TaggedArticle, TagLink, listed_tags
from articles.pagination import ListingPaginator, count_key, count_subquery
from articles.search import SearchResults, normalise_query
from articles.taxonomy import category_ancestors, category_tree, tags_with_counts

logger = logging.getLogger(__name__)

# Fields a link to an article needs; used by the small lists on the article page.
LINK_FIELDS = ("pk", "title", "slug", "language", "published_at")
RELATED_LIMIT = 5
TOC_MIN_HEADINGS = 3
# Search engines show about this much of a meta description.
DESCRIPTION_CHARS = 200
# An edit shown as "updated" must come this long after publication; typo fixes
# made on the day of publishing are not news to readers.
UPDATE_THRESHOLD = timedelta(days=1)


def display_name(user):
    return user.get_full_name() or user.get_username()


class StrictPaginationMixin:
    """Paginate by ?page=N, answering 404 for anything but a page that exists."""

    paginate_by = settings.ARTICLES_PER_PAGE
    # A tag, author or archive with no published articles has no page at all.
    empty_is_404 = False

    paginator_class = ListingPaginator
    # Set by listing_count(): the count, when it was known before the page query.
    known_count = None

    def get_count_key(self):
        # Counts are cached per content generation (articles/pagination.py).
        return count_key(self.request, content_token(self.request))

    def listing_count(self, lookup=None):
        """Return the listing's count from the cache, or else from `lookup()`, caching it.

        Views that must query for their subject anyway (a tag, an author) count
        its articles in that same query, sparing a COUNT on a cold cache; `lookup`
        returns that count, and runs only when the cache does not have it.
        """
        if self.known_count is None:
            key = self.get_count_key()
            self.known_count = generation_cache.get(key)
            if self.known_count is None and lookup is not None:
                self.known_count = lookup()
                generation_cache.set(key, self.known_count)
        return self.known_count

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        return self.paginator_class(
            queryset,
            per_page,
            orphans=orphans,
            allow_empty_first_page=allow_empty_first_page,
            count_key=self.get_count_key(),
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

    def get_queryset(self):
        # Ordered only: the paginator reads a page's ids, and PageRows shapes the
        # query with for_listing() when it loads rows (articles/pagination.py).
        return Article.objects.published().newest_first()

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

    def get_queryset(self):
        self.tag = self.find_tag(self.kwargs["slug"])
        return super().get_queryset().filter(tagged_items__tag_id=self.tag.id)

    def find_tag(self, slug):
        """Return the tag as a TagLink, kept per content generation once found."""
        digest = hashlib.blake2b(slug.encode(), digest_size=16).hexdigest()
        key = f"data:{content_token(self.request)}:tag:{digest}"
        link = generation_cache.get(key) if settings.FRAGMENT_CACHE else None
        if link is None:
            tags = Tag.objects.filter(slug=slug)
            if self.listing_count() is None:
                published = Article.objects.published().filter(tagged_items__tag=OuterRef("pk"))
                tags = tags.annotate(published_count=count_subquery(published))
            tag = get_object_or_404(tags)
            self.listing_count(lambda: tag.published_count)
            link = TagLink(tag.pk, tag.name, tag.slug)
            if settings.FRAGMENT_CACHE:
                generation_cache.set(key, link)
        return link

    def get_page_title(self):
        return _("Tagged “%(tag)s”") % {"tag": self.tag.name}

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class CategoryArticleListView(ArticleListView):
    """A category's articles, including those of its subcategories."""

    template_name = "articles/category_detail.html"

    def get_queryset(self):
        # One query gives the category, its ancestors, its subcategories and their counts.
        # The tree with its counts aggregates every published article: once per change.
        _roots, by_pk = cached_for_generation(self.request, "category_tree", category_tree)
        self.category = next(
            (node for node in by_pk.values() if node.slug == self.kwargs["slug"]), None
        )
        if self.category is None:
            raise Http404("No such category.")
        self.breadcrumb = ancestors_from(self.category, by_pk)
        self.listing_count(lambda: self.category.total)
        return super().get_queryset().filter(category__in=descendants_of(self.category))

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


def ancestors_from(category, by_pk):
    chain, node, seen = [], category, set()
    while node is not None and node.pk not in seen:
        chain.append(node)
        seen.add(node.pk)
        node = by_pk.get(node.parent_id)
    return list(reversed(chain))


def descendants_of(category):
    ids, stack = [], [category]
    while stack:
        node = stack.pop()
        if node.pk not in ids:
            ids.append(node.pk)
            stack.extend(node.children_nodes)
    return ids


class AuthorArticleListView(ArticleListView):
    template_name = "articles/author_detail.html"
    empty_is_404 = True

    def get_queryset(self):
        authors = get_user_model().objects.filter(username=self.kwargs["username"])
        if self.listing_count() is None:
            published = Article.objects.published().filter(author=OuterRef("pk"))
            authors = authors.annotate(published_count=count_subquery(published))
        self.author = get_object_or_404(authors)
        self.listing_count(lambda: self.author.published_count)
        return super().get_queryset().filter(author=self.author)

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

    def get_queryset(self):
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
        return super().get_queryset().filter(published_at__gte=self.start, published_at__lt=end)

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
        roots, _by_pk = cached_for_generation(self.request, "category_tree", category_tree)
        return super().get_context_data(
            categories=[root for root in roots if root.total],
            page_title=_("Categories"),
            **kwargs,
        )


class ArticleDetailView(DetailView):
    context_object_name = "article"

    def get_queryset(self):
        return (
            Article.objects.previewable_by(self.request.user)
            .select_related("author", "category")
            .annotate(listed_tags=listed_tags())
            # The body is rendered from a fragment cached per article; it is
            # loaded (one more query) only when that fragment is missing.
            .defer("body", "body_html", "search_text")
        )

    def get_object(self, queryset=None):
        """Return the article, shared by workers per content generation once it is public.

        A public article can only change by moving the content token, so its row
        (with author, category and tags) is kept under the token; drafts and
        scheduled articles are always read afresh.
        """
        if not settings.FRAGMENT_CACHE:
            return super().get_object(queryset)
        digest = hashlib.blake2b(self.kwargs["slug"].encode(), digest_size=16).hexdigest()
        key = f"data:{content_token(self.request)}:article:{digest}"
        article = generation_cache.get(key)
        if article is None:
            article = super().get_object(queryset)
            if article.is_public:
                generation_cache.set(key, article)
        return article

    def get(self, request, *args, **kwargs):
        try:
            self.object = self.get_object()
        except Http404:
            redirect = (
                SlugRedirect.objects.filter(
                    old_slug=kwargs["slug"], article__in=Article.objects.published()
                )
                .select_related("article")
                .first()
            )
            if redirect is None:
                raise
            return HttpResponsePermanentRedirect(redirect.article.get_absolute_url())
        response = self.render_to_response(self.get_context_data(object=self.object))
        if not self.object.is_public:
            # A staff preview of a draft must never be stored by a cache or proxy.
            add_never_cache_headers(response)
        return response

    def get_context_data(self, **kwargs):
        article = self.object
        tags = article.tag_links
        return super().get_context_data(
            tags=tags,
            # Lazy, like the links below: only the article_main fragment shows it.
            breadcrumb=SimpleLazyObject(lambda: category_ancestors(article.category)),
            toc=article.toc if len(article.toc) >= TOC_MIN_HEADINGS else [],
            updated_at=material_update(article),
            # Lazy: the template caches the part that shows them, and a cache
            # hit must not pay for their queries (docs/performance.md).
            previous_article=SimpleLazyObject(lambda: neighbour(article, older=True)),
            next_article=SimpleLazyObject(lambda: neighbour(article, older=False)),
            related_articles=SimpleLazyObject(lambda: related_articles(article, tags)),
            author_name=display_name(article.author),
            content_language=article.language,
            page_title=article.title,
            page_description=Truncator(article.summary or article.preview).chars(DESCRIPTION_CHARS),
            **kwargs,
        )


def material_update(article):
    """Return when the content last changed, if that was well after it appeared, else None."""
    updated = article.content_updated_at
    if updated is None or article.published_at is None:
        return None
    # Measured from the later of publication and creation: an article imported
    # with an old date was "changed" when it was created, which is no news.
    appeared = max(article.published_at, article.created_at)
    return updated if updated - appeared > UPDATE_THRESHOLD else None


def neighbour(article, *, older):
    """Return the published article just before (older) or after this one, or None."""
    if not article.is_public:
        return None
    when, pk = article.published_at, article.pk
    if older:
        condition = Q(published_at__lt=when) | Q(published_at=when, pk__lt=pk)
        order = ("-published_at", "-pk")
    else:
        condition = Q(published_at__gt=when) | Q(published_at=when, pk__gt=pk)
        order = ("published_at", "pk")
    return Article.objects.published().filter(condition).order_by(*order).only(*LINK_FIELDS).first()


def related_articles(article, tags):
    """Return up to five published articles sharing the most tags, in one query.

    Articles of the same category fill in when too few share a tag, so the
    list usually has three to five entries.
    """
    tag_ids = [tag.id for tag in tags]
    shared = Count("tagged_items", filter=Q(tagged_items__tag_id__in=tag_ids), distinct=True)
    # Candidates first (sharing a tag, or the category), so the count runs over
    # them rather than over every published article: 2.4x faster at 10,000.
    sharing = TaggedArticle.objects.filter(tag_id__in=tag_ids).values("content_object_id")
    candidates = Q(pk__in=sharing)
    if article.category_id:
        candidates |= Q(category_id=article.category_id)
    related = (
        Article.objects.published()
        .exclude(pk=article.pk)
        .filter(candidates)
        .annotate(shared_tags=shared)
    )
    return list(
        related.order_by("-shared_tags", "-published_at", "-pk").only(*LINK_FIELDS)[:RELATED_LIMIT]
    )


@require_safe
@cache_control(max_age=3600, public=True)
def robots_txt(request):
    """Let every crawler in and point it to the sitemap."""
    lines = [
        "User-agent: *",
        "Allow: /",
        f"Sitemap: {settings.SITE_URL}{reverse('articles:sitemap')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


HEALTH_CACHE_KEY = "healthz:probe"


@require_safe
@never_cache
def healthz(request):
    """Report whether the database and the cache answer: 200 when both do, else 503."""
    checks = {"database": "ok", "cache": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # Any failure means "not healthy"; the detail goes to the logs.
        logger.exception("Health check: the database did not answer.")
        checks["database"] = "error"
    try:
        token = timezone.now().isoformat()
        cache.set(HEALTH_CACHE_KEY, token, timeout=10)
        if cache.get(HEALTH_CACHE_KEY) != token:
            raise RuntimeError("the cache did not return what was just stored")
    except Exception:
        logger.exception("Health check: the cache did not answer.")
        checks["cache"] = "error"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )


class SearchView(StrictPaginationMixin, ListView):
    """Published articles matching ?q=, best first; an empty query shows an empty page."""

    template_name = "articles/search.html"
    context_object_name = "articles"

    def get_queryset(self):
        self.query = normalise_query(self.request.GET.get("q", ""))
        if not self.query:
            return Article.objects.none()
        # A count cached for this query and content generation is exact: trust it.
        return SearchResults(self.query, total=self.listing_count())

    def get_count_key(self):
        # Counted per normalised query and content generation: "kernel" and
        # " kernel " share a count, and a change to any article moves the token.
        return count_key(self.request, content_token(self.request), {"q": self.query})

    def get_context_data(self, **kwargs):
        return super().get_context_data(query=self.query, search_query=self.query, **kwargs)

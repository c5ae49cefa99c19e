from django.conf import settings
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.utils.cache import add_never_cache_headers
from django.views.generic import DetailView, ListView

from articles.models import Article, Category, SlugRedirect
from articles.search import SearchResults, normalise_query


class StrictPaginationMixin:
    """Paginate by ?page=N, answering 404 for anything but a page that exists."""

    paginate_by = settings.ARTICLES_PER_PAGE

    def paginate_queryset(self, queryset, page_size):
        raw = self.request.GET.get(self.page_kwarg)
        if raw is not None and not (raw.isascii() and raw.isdigit()):
            raise Http404("Page numbers are positive whole numbers.")
        return super().paginate_queryset(queryset, page_size)


class ArticleListView(StrictPaginationMixin, ListView):
    template_name = "articles/article_list.html"
    context_object_name = "articles"

    def get_queryset(self):
        return Article.objects.published().for_listing()


class CategoryArticleListView(ArticleListView):
    """A category's articles, including those of its subcategories."""

    template_name = "articles/category_detail.html"

    def get_queryset(self):
        self.category = get_object_or_404(Category, slug=self.kwargs["slug"])
        return super().get_queryset().filter(category__in=self.category.descendant_ids())

    def get_context_data(self, **kwargs):
        return super().get_context_data(category=self.category, **kwargs)


class ArticleDetailView(DetailView):
    context_object_name = "article"

    def get_queryset(self):
        return (
            Article.objects.previewable_by(self.request.user)
            .select_related("author", "category")
            .prefetch_related("tags")
        )

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


class SearchView(StrictPaginationMixin, ListView):
    """Published articles matching ?q=, best first; an empty query shows an empty page."""

    template_name = "articles/search.html"
    context_object_name = "articles"

    def get_queryset(self):
        self.query = normalise_query(self.request.GET.get("q", ""))
        if not self.query:
            return Article.objects.none()
        return SearchResults(Article.objects.published().for_listing(), self.query)

    def get_context_data(self, **kwargs):
        capped = getattr(self.object_list, "is_capped", False)
        return super().get_context_data(query=self.query, results_capped=capped, **kwargs)

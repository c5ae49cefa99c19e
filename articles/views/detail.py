"""The article page."""

from django.http import Http404, HttpResponsePermanentRedirect
from django.utils.cache import add_never_cache_headers
from django.utils.functional import SimpleLazyObject
from django.utils.text import Truncator
from django.views.generic import DetailView

from articles.caching.entries import cached, mark_preview
from articles.caching.plain import from_row_data, row_data
from articles.caching.token import page_mark
from articles.comments.posting import discussion_annotations
from articles.comments.threads import threads_of
from articles.media.math_fonts import article_font, page_glyphs
from articles.models import Article, SlugRedirect, has_translations, listed_tags
from articles.views.language import speak_content_language
from articles.views.queries import (
    DESCRIPTION_CHARS,
    TOC_MIN_HEADINGS,
    category_ancestors,
    material_update,
    neighbour,
    related_articles,
)
from articles.views.series import series_navigation
from articles.views.translations import language_versions, outdated_notice
from site_config.middleware import allow_inline_styles

# What the page's query joins and annotates, kept with the article's row in the cache.
JOINED = ("author", "category", "series_part__series", "card", "translation_of")
ANNOTATED = ("listed_tags", "has_translations", *discussion_annotations())


class ArticleDetailView(DetailView):
    context_object_name = "article"

    def get_queryset(self):
        return (
            Article.objects.previewable_by(self.request.user)
            .with_byline()
            .select_related(*JOINED)
            .annotate(
                listed_tags=listed_tags(),
                has_translations=has_translations(),
                **discussion_annotations(),
            )
            # The body is rendered from a fragment cached per article; it is
            # loaded (one more query) only when that fragment is missing.
            .defer("body", "body_html", "search_text")
        )

    def get_object(self, queryset=None):
        """Return the article, shared by workers per content generation once it is public.

        A public article can only change by moving the content token, so its row
        (with what the query joins and annotates: authors, category, series, card,
        translation) is kept under the token and its page's mark; drafts and
        scheduled articles are always read afresh.
        """
        loaded = []

        def load():
            loaded.append(super(ArticleDetailView, self).get_object(queryset))
            return row_data(loaded[0], related=JOINED, extra=ANNOTATED)

        slug = self.kwargs["slug"]
        data = cached(
            "data",
            # With its page's mark: the discussion switches move only that.
            ("article", slug, page_mark(self.request, slug)),
            load,
            request=self.request,
            keep=lambda _data: loaded[0].is_public,
        )
        article = loaded[0] if loaded else from_row_data(Article, data)
        if not article.is_public:
            # A staff preview: no cached fragment may appear around it.
            mark_preview(self.request)
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
        speak_content_language(request, self.object.language)
        context = self.get_context_data(object=self.object)
        response = self.render_to_response(context)
        if context["math_font"] is not None:
            allow_inline_styles(response, [context["math_font"].css])
        if not self.object.is_public:
            # A staff preview of a draft must never be stored by a cache or proxy.
            add_never_cache_headers(response)
        return response

    def get_context_data(self, **kwargs):
        article = self.object
        tags = article.tag_links
        # Loaded here rather than by the comments tag: the page's math font covers
        # their formulas too, and it is named in <head> (articles/media/math_fonts.py).
        threads = threads_of(article) if article.is_public else None
        comment_htmls = [
            comment.body_html
            for thread, replies in (threads[0] if threads else ())
            for comment in (thread, *replies)
        ]
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
            series_nav=SimpleLazyObject(lambda: series_navigation(article)),
            language_versions=SimpleLazyObject(lambda: language_versions(article)),
            outdated_source=SimpleLazyObject(lambda: outdated_notice(article)),
            content_language=article.language,
            math_font=article_font(article, page_glyphs(article.math_glyphs, comment_htmls)),
            comment_threads=threads,
            page_title=article.title,
            page_description=Truncator(article.summary or article.preview).chars(DESCRIPTION_CHARS),
            **kwargs,
        )

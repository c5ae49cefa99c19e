"""sitemap.xml: published articles, tags and categories, with absolute URLs from SITE_URL."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from django.urls import reverse

from articles.models import Article, Series
from articles.views.queries import category_tree, material_update, tags_with_counts


class SiteUrlSitemap(Sitemap):
    """Build locations from SITE_URL, not from the request's Host header."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        parts = urlsplit(settings.SITE_URL)
        return parts.netloc + parts.path.rstrip("/")


class ArticleSitemap(SiteUrlSitemap):
    changefreq = "monthly"

    def items(self):
        return (
            Article.objects.published()
            .only("pk", "slug", "published_at", "created_at", "content_updated_at")
            .order_by("-published_at", "-pk")
        )

    def lastmod(self, article):
        return material_update(article) or article.published_at


class TagSitemap(SiteUrlSitemap):
    changefreq = "weekly"

    def items(self):
        return tags_with_counts()

    def location(self, tag):
        return reverse("articles:tag", kwargs={"slug": tag.slug})

    def lastmod(self, tag):
        return tag.latest_at


class CategorySitemap(SiteUrlSitemap):
    changefreq = "weekly"

    def items(self):
        _roots, by_pk = category_tree()
        return [node for node in by_pk.values() if node.total]

    def lastmod(self, category):
        return category.latest_at


class SeriesSitemap(SiteUrlSitemap):
    changefreq = "weekly"

    def items(self):
        public = Q(parts__article__in=Article.objects.published())
        return (
            Series.objects.with_published_parts()
            .annotate(latest_at=Max("parts__article__published_at", filter=public))
            .order_by("pk")
        )

    def lastmod(self, series):
        return series.latest_at


SITEMAPS = {
    "articles": ArticleSitemap,
    "tags": TagSitemap,
    "categories": CategorySitemap,
    "series": SeriesSitemap,
}

"""sitemap.xml: published articles, tags and categories, with absolute URLs from SITE_URL."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from django.urls import reverse
from django.utils.encoding import iri_to_uri

from articles.models import Article, Series, Translation
from articles.views.queries import category_tree, material_update, tags_with_counts
from articles.views.translations import hreflang


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

    def get_urls(self, page=1, site=None, protocol=None):
        """Add each article's other published language versions as xhtml:link alternates."""
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        stories = published_stories([url["item"].pk for url in urls])
        base = f"{self.get_protocol(protocol)}://{self.get_domain(site)}"
        for url in urls:
            versions = stories.get(url["item"].pk, [])
            url["alternates"] = [
                {"lang_code": hreflang(language), "location": base + iri_to_uri(path)}
                for language, path in versions
            ]
            if versions:
                url["alternates"].append(
                    {"lang_code": "x-default", "location": base + iri_to_uri(versions[0][1])}
                )
        return urls


def published_stories(pks):
    """Return {pk: [(language, path)]} of each article's story, original first: two queries."""
    published = Article.objects.published()
    links = list(
        Translation.objects.filter(source__in=published, article__in=published)
        .filter(Q(article__in=pks) | Q(source__in=pks) | Q(source__translations__article__in=pks))
        .values_list("source_id", "article_id")
        .distinct()
    )
    if not links:
        return {}
    members = {}
    for source_id, article_id in links:
        members.setdefault(source_id, [source_id]).append(article_id)
    wanted = {pk for group in members.values() for pk in group}
    rows = {
        pk: (language, reverse("articles:detail", kwargs={"slug": slug}))
        for pk, language, slug in published.filter(pk__in=wanted).values_list(
            "pk", "language", "slug"
        )
    }
    stories = {}
    for group in members.values():
        versions = [rows[pk] for pk in group if pk in rows]
        for pk in group:
            stories[pk] = versions
    return stories


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

"""Search engines and sharing: sitemap.xml, robots.txt, titles, descriptions, canonical links."""

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.views.listings import StrictPaginationMixin
from tests.factories import ArticleFactory, CategoryFactory
from tests.reader_helpers import (
    elements,
    fast_passwords,  # noqa: F401 (autouse fixture)
    meta,
    page_text,
)

pytestmark = pytest.mark.django_db

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap_entries(client):
    response = client.get(reverse("articles:sitemap"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    return {
        url.find("sm:loc", NS).text: url.find("sm:lastmod", NS).text
        for url in root.findall("sm:url", NS)
    }


class TestSitemap:
    def test_articles_and_taxonomy_with_lastmod_from_site_url(self, client, settings):
        settings.SITE_URL = "https://ink.example"
        parent = CategoryFactory(name="Maths", slug="maths")
        child = CategoryFactory(name="算术", slug="算术", parent=parent)
        published = timezone.make_aware(datetime(2024, 5, 1, 12))
        article = ArticleFactory(slug="sum", category=child, tags=["数论"], published_at=published)
        entries = sitemap_entries(client)
        assert entries == {
            "https://ink.example/articles/sum/": "2024-05-01",
            "https://ink.example/tags/%E6%95%B0%E8%AE%BA/": "2024-05-01",
            "https://ink.example/categories/maths/": "2024-05-01",
            "https://ink.example/categories/%E7%AE%97%E6%9C%AF/": "2024-05-01",
        }
        assert article.content_updated_at > published  # created after its date: not a change

    def test_lastmod_follows_a_later_content_update(self, client):
        published = timezone.now() - timedelta(days=30)
        article = ArticleFactory(published_at=published)
        later = timezone.now() - timedelta(days=2)
        Article.objects.filter(pk=article.pk).update(created_at=published, content_updated_at=later)
        entries = sitemap_entries(client)
        [lastmod] = [value for loc, value in entries.items() if "/articles/" in loc]
        assert lastmod == later.date().isoformat()

    def test_host_header_does_not_change_locations(self, client, settings):
        settings.SITE_URL = "https://ink.example"
        settings.ALLOWED_HOSTS = ["*"]
        ArticleFactory()
        response = client.get(reverse("articles:sitemap"), HTTP_HOST="evil.example")
        assert b"evil.example" not in response.content


def test_robots_points_to_the_sitemap(client, settings):
    settings.SITE_URL = "https://ink.example"
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Sitemap: https://ink.example/sitemap.xml" in lines


class TestPageMetadata:
    def test_listing_pages_have_titles_descriptions_and_sharing_tags(self, client, settings):
        settings.SITE_URL = "https://ink.example"
        category = CategoryFactory(name="Databases", slug="db", description="Storage and queries.")
        ArticleFactory(category=category, tags=["sql"])
        pages = {
            "/": ("Inkstone", "Technical articles"),
            "/categories/db/": ("Databases · Inkstone", "Storage and queries."),
            "/tags/sql/": ("Tagged “sql” · Inkstone", "Technical articles"),
        }
        for url, (title, description) in pages.items():
            html = page_text(client.get(url))
            assert f"<title>{title}</title>" in html.replace("&ldquo;", "“").replace(
                "&rdquo;", "”"
            ), url
            assert meta(html, "description").startswith(description), url
            assert meta(html, "og:url") == f"https://ink.example{url}", url
            assert meta(html, "og:title") and meta(html, "twitter:card") == "summary", url
            [canonical] = elements(html, "link", rel="canonical")
            assert canonical["href"] == f"https://ink.example{url}", url

    def test_later_pages_say_their_number_in_the_title(self, client, monkeypatch):
        monkeypatch.setattr(StrictPaginationMixin, "paginate_by", 1)
        category = CategoryFactory(name="Two", slug="two")
        ArticleFactory(category=category)
        ArticleFactory(category=category)
        assert "<title>Two · Inkstone</title>" in page_text(client.get("/categories/two/"))
        title = page_text(client.get("/categories/two/?page=2")).split("</title>")[0]
        assert title.endswith("Two · page 2 · Inkstone")

    def test_later_pages_of_home_and_search_say_their_number_too(self, client, monkeypatch):
        monkeypatch.setattr(StrictPaginationMixin, "paginate_by", 1)
        ArticleFactory(title="Kernel one")
        ArticleFactory(title="Kernel two")
        assert "<title>Inkstone</title>" in page_text(client.get("/"))
        assert "<title>page 2 · Inkstone</title>" in page_text(client.get("/?page=2"))
        search = page_text(client.get("/search/", {"q": "kernel", "page": 2}))
        assert search.split("</title>")[0].endswith(": search · page 2 · Inkstone")

    def test_chinese_canonical_is_percent_encoded(self, client, settings):
        settings.SITE_URL = "https://ink.example"
        ArticleFactory(tags=["数据库"])
        html = page_text(client.get("/tags/数据库/"))
        [canonical] = elements(html, "link", rel="canonical")
        assert canonical["href"] == "https://ink.example/tags/%E6%95%B0%E6%8D%AE%E5%BA%93/"

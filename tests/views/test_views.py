"""Every route of the reader's site answers, plus /healthz and the error pages."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.template.loader import get_template
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.views.defaults import server_error

from tests.factories import ArticleFactory, CategoryFactory, UserFactory
from tests.reader_helpers import (
    fast_passwords,  # noqa: F401 (autouse fixture)
    page_text,
)

pytestmark = pytest.mark.django_db

TEMPLATES = [
    "base.html",
    "404.html",
    "500.html",
    "articles/article_list.html",
    "articles/article_detail.html",
    "articles/tag_detail.html",
    "articles/tag_index.html",
    "articles/category_detail.html",
    "articles/category_index.html",
    "articles/author_detail.html",
    "articles/archive.html",
]


def test_every_route_answers(client):
    author = UserFactory(username="writer")
    category = CategoryFactory(slug="cat")
    article = ArticleFactory(author=author, category=category, tags=["tag"])
    when = article.published_at
    urls = [
        "/",
        article.get_absolute_url(),
        "/tags/",
        "/tags/tag/",
        "/categories/",
        "/categories/cat/",
        "/authors/writer/",
        f"/archive/{when.year}/",
        f"/archive/{when.year}/{when.month}/",
        "/sitemap.xml",
        "/robots.txt",
        "/healthz",
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url
    assert reverse("articles:tag_index") == "/tags/"
    assert (
        reverse("articles:archive_month", kwargs={"year": 2024, "month": 3}) == "/archive/2024/3/"
    )


class TestHealthz:
    def test_healthy(self, client):
        response = client.get("/healthz")
        assert response.status_code == 200
        assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
        assert "no-cache" in response["Cache-Control"]

    def test_unreachable_cache_is_503(self, client):
        # A real Redis client pointed at a port nobody listens on.
        broken = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": "redis://127.0.0.1:9/0",
                "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
            }
        }
        with override_settings(CACHES=broken):
            response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json()["cache"] == "error"
        assert response.json()["database"] == "ok"

    def test_only_safe_methods(self, client):
        assert client.post("/healthz").status_code == 405


class TestErrorPages:
    def test_404_in_the_site_design(self, client):
        response = client.get("/no/such/page/")
        assert response.status_code == 404
        html = page_text(response)
        assert "Page not found" in html
        assert 'class="site-header"' in html and "/categories/" in html
        assert 'rel="canonical"' not in html

    def test_404_for_a_missing_article(self, client):
        response = client.get(reverse("articles:detail", kwargs={"slug": "missing"}))
        assert response.status_code == 404
        assert "Page not found" in page_text(response)

    def test_500_needs_no_context_and_no_database(self, django_assert_num_queries):
        request = RequestFactory().get("/")
        with django_assert_num_queries(0):
            response = server_error(request)
        assert response.status_code == 500
        html = response.content.decode()
        assert "Something went wrong" in html and "site.css" in html


@pytest.mark.parametrize("name", TEMPLATES)
def test_templates_reference_only_static_files_that_exist(name):
    # CompressedManifestStaticFilesStorage raises on a missing file in production.
    source = get_template(name).template.source
    for path in re.findall(r"{% static '([^']+)' %}", source):
        assert finders.find(path), f"{name} references missing static file {path}"


def test_favicon_is_linked_and_served(client):
    page = client.get("/").content.decode()
    assert 'rel="icon"' in page
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.ico")


def test_tag_links_name_themselves_for_screen_readers(client):
    ArticleFactory(tags=["Go"])
    page = client.get("/").content.decode()
    assert '<span class="visually-hidden">Tag: </span>Go</a>' in page

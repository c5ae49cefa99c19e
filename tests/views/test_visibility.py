"""Drafts and scheduled articles appear on no public surface.

Every hidden article shares its tag, category and author with one published
article, and some have tags, categories, authors and months of their own.
"""

import re
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, CategoryFactory, UserFactory
from tests.reader_helpers import (
    fast_passwords,  # noqa: F401 (autouse fixture)
    hrefs,
    page_text,
)

pytestmark = pytest.mark.django_db

HIDDEN = "HIDDEN"


@pytest.fixture
def matrix():
    writer = UserFactory(username="writer")
    ghost = UserFactory(username="ghost")
    shared = CategoryFactory(name="Shared", slug="shared")
    secret = CategoryFactory(name="Secret", slug="secret")
    now = timezone.now()
    old = timezone.make_aware(datetime(2022, 7, 10, 12))
    common = dict(author=writer, category=shared, tags=["common"])
    hidden_only = dict(author=ghost, category=secret, tags=["common", "secret-tag"])
    visible = ArticleFactory(
        title="VISIBLE piece", published_at=timezone.make_aware(datetime(2023, 3, 15)), **common
    )
    hidden = [
        ArticleFactory(title=f"{HIDDEN} scheduled", published_at=now + timedelta(days=3), **common),
        ArticleFactory(
            title=f"{HIDDEN} draft", status=Article.Status.DRAFT, published_at=None, **common
        ),
        ArticleFactory(
            title=f"{HIDDEN} draft dated past",
            status=Article.Status.DRAFT,
            published_at=old,
            **common,
        ),
        ArticleFactory(
            title=f"{HIDDEN} draft dated future",
            status=Article.Status.DRAFT,
            published_at=now + timedelta(days=2),
            **common,
        ),
        ArticleFactory(
            title=f"{HIDDEN} ghost scheduled", published_at=now + timedelta(days=1), **hidden_only
        ),
        ArticleFactory(
            title=f"{HIDDEN} ghost draft",
            status=Article.Status.DRAFT,
            published_at=old,
            **hidden_only,
        ),
    ]
    return visible, hidden


def public_pages(visible):
    return {
        "home": reverse("articles:home"),
        "article": visible.get_absolute_url(),
        "tag": reverse("articles:tag", kwargs={"slug": "common"}),
        "tag index": reverse("articles:tag_index"),
        "category": reverse("articles:category", kwargs={"slug": "shared"}),
        "category index": reverse("articles:category_index"),
        "author": reverse("articles:author", kwargs={"username": "writer"}),
        "year": reverse("articles:archive_year", kwargs={"year": 2023}),
        "month": reverse("articles:archive_month", kwargs={"year": 2023, "month": 3}),
        "sitemap": reverse("articles:sitemap"),
    }


def test_no_hidden_title_or_link_on_any_public_page(client, matrix):
    visible, hidden = matrix
    for name, url in public_pages(visible).items():
        response = client.get(url)
        assert response.status_code == 200, name
        html = page_text(response)
        assert HIDDEN not in html, name
        for article in hidden:
            assert article.get_absolute_url() not in html, name
            assert article.slug not in html, name


def test_hidden_articles_have_no_page(client, matrix):
    _visible, hidden = matrix
    for article in hidden:
        assert client.get(article.get_absolute_url()).status_code == 404, article.title


def test_counts_leave_hidden_articles_out(client, matrix):
    for url in (
        reverse("articles:tag", kwargs={"slug": "common"}),
        reverse("articles:tag_index"),
        reverse("articles:category_index"),
    ):
        counts = re.findall(r"(\d+) articles?\b", page_text(client.get(url)))
        assert counts and set(counts) == {"1"}, url


def test_taxonomy_used_only_by_hidden_articles_stays_hidden(client, matrix):
    visible, _hidden = matrix
    assert client.get(reverse("articles:tag", kwargs={"slug": "secret-tag"})).status_code == 404
    assert client.get(reverse("articles:author", kwargs={"username": "ghost"})).status_code == 404
    assert client.get("/archive/2022/").status_code == 404
    assert client.get("/archive/2022/7/").status_code == 404
    secret = page_text(client.get(reverse("articles:category", kwargs={"slug": "secret"})))
    assert HIDDEN not in secret
    for url in public_pages(visible).values():
        links = hrefs(page_text(client.get(url)))
        assert "/tags/secret-tag/" not in links
        assert "/categories/secret/" not in links
        assert "/authors/ghost/" not in links
        assert not [link for link in links if link.startswith("/archive/2022")]


def test_sidebars_related_and_neighbours_of_the_visible_article(client, matrix):
    visible, _hidden = matrix
    html = page_text(client.get(visible.get_absolute_url()))
    # Every hidden article shares its tags and category: only visibility keeps them out.
    assert 'rel="prev"' not in html and 'rel="next"' not in html
    assert 'id="related-title"' not in html
    assert 'id="sidebar-recent"' not in html


def test_sitemap_lists_only_public_urls(client, matrix):
    visible, _hidden = matrix
    xml = page_text(client.get(reverse("articles:sitemap")))
    assert xml.count("<url>") == 3  # the article, its tag, its category, nothing else
    assert visible.slug in xml
    assert "secret" not in xml

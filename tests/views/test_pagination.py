"""Deep pages: ids first, from the nearer end, and counts cached per generation; same results."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from articles.views.listings import StrictPaginationMixin
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles():
    base = timezone.now() - timedelta(days=30)
    # Ties on published_at: the order must still be total (pk breaks them).
    return [
        ArticleFactory(title=f"Entry {n:02}", published_at=base + timedelta(days=n // 3))
        for n in range(20)
    ]


def titles_on(client, number):
    response = client.get("/", {"page": number} if number > 1 else {})
    assert response.status_code == 200
    return [article.title for article in response.context["articles"]]


def test_every_page_matches_plain_slicing(client, articles, monkeypatch):
    monkeypatch.setattr(StrictPaginationMixin, "paginate_by", 3)
    expected = list(Article.objects.published().order_by("-published_at", "-pk"))
    pages = [titles_on(client, number) for number in range(1, 8)]
    assert [title for titles in pages for title in titles] == [a.title for a in expected]
    assert [len(titles) for titles in pages] == [3, 3, 3, 3, 3, 3, 2]
    assert client.get("/", {"page": 8}).status_code == 404


def test_tag_listing_deep_pages(client, monkeypatch):
    monkeypatch.setattr(StrictPaginationMixin, "paginate_by", 2)
    tagged = [ArticleFactory(title=f"Tagged {n}", tags=["deep"]) for n in range(7)]
    ArticleFactory(title="Untagged")
    seen = []
    for number in range(1, 5):
        response = client.get("/tags/deep/", {"page": number})
        seen += [article.title for article in response.context["articles"]]
    assert sorted(seen) == sorted(article.title for article in tagged)


def test_the_count_is_cached_until_a_change(client, articles):
    client.get("/")
    counted = [q for q in _queries(client, "/?page=2") if "COUNT(" in q.upper()]
    assert counted == []
    ArticleFactory(title="One more")
    assert "One more" in client.get("/").content.decode()


def test_cached_ids_and_cards_spare_every_article_query(client, articles, monkeypatch):
    client.get("/")  # Caches the count, the page's ids and its ten cards.
    assert [q for q in _queries(client, "/") if "articles_article" in q] == []
    # Another listing of the same articles (five a page): its ids are read, and
    # its cards come from the cache, so the rows are not loaded.
    monkeypatch.setattr(StrictPaginationMixin, "paginate_by", 5)
    listing = [q for q in _queries(client, "/") if "articles_article" in q]
    assert len(listing) == 1
    # Ids only, from the article table alone (the stories' ranking is a subquery).
    outer_from = listing[0].upper().split(" WHERE ")[0]
    assert '"preview"' not in listing[0] and "JOIN" not in outer_from
    ArticleFactory(title="Fresh")
    # A change moves the token: new ids, and the new card rendered from its row.
    assert "Fresh" in client.get("/").content.decode()


def _queries(client, path):
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    # A new client: the page cache middleware reads PAGE_CACHE when it is built.
    with override_settings(PAGE_CACHE=False), CaptureQueriesContext(connection) as captured:
        Client().get(path)
    return [query["sql"] for query in captured.captured_queries]

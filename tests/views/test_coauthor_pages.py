"""Co-authors on the reader's pages: bylines, JSON-LD, author pages, comment badges, queries."""

import json
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from articles.caching import store
from tests.comments.helpers import post_comment
from tests.factories import ArticleFactory, UserFactory, draft, writers
from tests.html_tree import parse
from tests.reader_helpers import (
    fast_passwords,  # noqa: F401 (autouse fixture)
    page_text,
)

pytestmark = pytest.mark.django_db


def cold_cache():
    cache.clear()
    store.forget_local()


@pytest.fixture
def people():
    return writers()


def bylines(html):
    """Return each byline on the page as [(name, href, rel)] and its text."""
    found = []
    for element in parse(html).all:
        if element.tag == "span" and element.attrs.get("class") == "authors":
            links = [child for child in element.children if child.tag == "a"]
            named = [(a.full_text, a.attrs["href"], a.attrs.get("rel", "")) for a in links]
            found.append((named, element.full_text))
    return found


def json_ld(html):
    start = html.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


def test_article_page_names_every_author_in_order(client, people):
    lin, maya, kai = people
    article = ArticleFactory(author=lin, coauthors=[kai, maya])
    [(named, text)] = bylines(page_text(client.get(article.get_absolute_url())))
    assert named == [
        ("Lin Wei", "/authors/lin/", "author"),
        ("kai", "/authors/kai/", "author"),
        ("Maya Fischer", "/authors/maya/", "author"),
    ]
    assert text == "Lin Wei, kai and Maya Fischer"


def test_home_card_names_both_authors(client, people):
    lin, maya, _kai = people
    ArticleFactory(author=lin, coauthors=[maya])
    ArticleFactory(author=maya, title="Alone")
    found = bylines(page_text(client.get(reverse("articles:home"))))
    assert sorted(text for _named, text in found) == ["Lin Wei and Maya Fischer", "Maya Fischer"]


def test_chinese_pages_list_authors_with_the_enumeration_comma(client, people):
    lin, maya, kai = people
    article = ArticleFactory(author=lin, coauthors=[maya, kai], language="zh-hans")
    [(_named, text)] = bylines(page_text(client.get(article.get_absolute_url())))
    assert text == "Lin Wei、Maya Fischer、kai"


def test_json_ld_author_is_an_array_of_people(client, people):
    lin, maya, _kai = people
    article = ArticleFactory(author=lin, coauthors=[maya])
    data = json_ld(page_text(client.get(article.get_absolute_url())))
    assert data["author"] == [
        {"@type": "Person", "name": "Lin Wei", "url": f"{settings.SITE_URL}/authors/lin/"},
        {"@type": "Person", "name": "Maya Fischer", "url": f"{settings.SITE_URL}/authors/maya/"},
    ]
    single = ArticleFactory(author=maya)
    assert [
        p["name"] for p in json_ld(page_text(client.get(single.get_absolute_url())))["author"]
    ] == ["Maya Fischer"]


class TestAuthorPage:
    def test_lists_what_they_wrote_and_co_wrote(self, client, people):
        lin, maya, _kai = people
        now = timezone.now()
        ArticleFactory(author=lin, title="Lin's own", published_at=now - timedelta(days=3))
        ArticleFactory(
            author=lin, coauthors=[maya], title="Together", published_at=now - timedelta(days=2)
        )
        ArticleFactory(author=maya, title="Maya's own", published_at=now - timedelta(days=1))
        draft(author=lin, coauthors=[maya], title="Unfinished")
        html = page_text(client.get(reverse("articles:author", kwargs={"username": "maya"})))
        titles = [e.full_text for e in parse(html).all if e.attrs.get("class") == "entry-title"]
        assert titles == ["Maya's own", "Together"]
        assert "2 articles" in html
        html = page_text(client.get(reverse("articles:author", kwargs={"username": "lin"})))
        assert "2 articles" in html and "Unfinished" not in html

    def test_a_coauthor_of_drafts_only_has_no_page(self, client, people):
        lin, maya, _kai = people
        draft(author=lin, coauthors=[maya])
        ArticleFactory(author=lin)
        assert (
            client.get(reverse("articles:author", kwargs={"username": "maya"})).status_code == 404
        )

    def test_a_coauthor_only_has_a_page_and_feed(self, client, people):
        lin, maya, _kai = people
        ArticleFactory(author=lin, coauthors=[maya], title="Together")
        url = reverse("articles:author", kwargs={"username": "maya"})
        assert "Together" in page_text(client.get(url))
        feed = client.get(reverse("articles:author_feed_rss", kwargs={"username": "maya"}))
        assert feed.status_code == 200 and b"Together" in feed.content


class TestQueriesDoNotGrowWithCoauthors:
    URLS = (
        reverse("articles:home"),
        reverse("articles:author", kwargs={"username": "lin"}),
        reverse("articles:feed_rss"),
        reverse("articles:feed_json"),
    )

    def counts(self, client, django_assert_max_num_queries):
        result = {}
        for url in self.URLS:
            cold_cache()
            with django_assert_max_num_queries(100) as captured:
                assert client.get(url).status_code == 200, url
            result[url] = len(captured.captured_queries)
        return result

    def test_home_author_page_and_feeds(self, client, django_assert_max_num_queries, people):
        lin, _maya, _kai = people
        now = timezone.now()
        articles = [
            ArticleFactory(author=lin, published_at=now - timedelta(days=n + 1)) for n in range(12)
        ]
        alone = self.counts(client, django_assert_max_num_queries)
        crowd = [UserFactory(username=f"writer{n}") for n in range(6)]
        for article in articles:
            article.set_coauthors(crowd)
        more = [
            ArticleFactory(author=lin, coauthors=crowd, published_at=now - timedelta(hours=n))
            for n in range(8)
        ]
        assert more
        crowded = self.counts(client, django_assert_max_num_queries)
        assert crowded == alone
        html = page_text(client.get(reverse("articles:home")))
        assert "writer5" in html


def test_a_coauthors_reply_is_marked_as_the_authors(client, people):
    lin, maya, _kai = people
    maya.is_staff = True
    maya.save()
    article = ArticleFactory(author=lin, coauthors=[maya])
    client.force_login(maya)
    response = post_comment(client, article, name="Maya", body="Thanks for reading!")
    assert response.status_code in (200, 302, 303)
    client.logout()
    cold_cache()
    html = page_text(client.get(article.get_absolute_url()))
    badges = [e.full_text for e in parse(html).all if e.attrs.get("class") == "comment-badge"]
    assert badges == ["Author"]

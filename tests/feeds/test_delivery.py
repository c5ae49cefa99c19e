"""Feeds: visibility, per-subject scope, HTTP caching, discovery and item HTML (docs/feeds.md)."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from articles.caching.token import move_token
from articles.feeds.content import absolute_urls, feed_html
from articles.models import Article
from tests.factories import ArticleFactory, CategoryFactory, UserFactory, draft, scheduled
from tests.feeds.helpers import (
    ATOM,
    SITE,
    feed_urls,
    json_feed,
    parsed,
)


def test_drafts_and_scheduled_articles_appear_in_no_feed(client, world):
    for name, url in feed_urls().items():
        response = client.get(url)
        if name == "site_json":
            titles = [item["title"] for item in json_feed(response)["items"]]
        else:
            titles = [entry.title for entry in parsed(response).entries]
        assert titles == ["Visible article"], name


def test_scheduled_article_appears_once_its_time_comes(client, site):
    article = scheduled(title="Later")
    assert parsed(client.get("/feed/")).entries == []
    Article.objects.filter(pk=article.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    move_token()  # update() skips the signals that invalidate cached feeds
    assert [entry.title for entry in parsed(client.get("/feed/")).entries] == ["Later"]


def test_category_feed_includes_subcategories_but_not_siblings(client, world):
    ArticleFactory(title="Elsewhere", category=CategoryFactory(name="Other"))
    titles = [entry.title for entry in parsed(client.get("/categories/ml/feed/")).entries]
    assert titles == ["Visible article"]
    child_feed = parsed(client.get("/categories/transformers/feed/atom/"))
    assert [entry.title for entry in child_feed.entries] == ["Visible article"]


def test_tag_and_author_feeds_hold_only_their_articles(client, world, other_author):
    ArticleFactory(title="Other person", author=other_author, tags=["rust"])
    assert [e.title for e in parsed(client.get("/tags/rust/feed/")).entries] == ["Other person"]
    tag_feed = parsed(client.get("/tags/深度学习/feed/atom/"))
    assert [e.title for e in tag_feed.entries] == ["Visible article"]
    assert [e.title for e in parsed(client.get("/authors/other/feed/")).entries] == ["Other person"]


def test_feed_titles_name_the_tag_category_and_author(client, world):
    assert parsed(client.get("/tags/python/feed/")).feed.title == "python · Inkstone"
    assert parsed(client.get("/categories/ml/feed/")).feed.title == "Machine learning · Inkstone"
    author = world["public"].author
    expected = f"{author.get_full_name()} · Inkstone"
    assert parsed(client.get("/authors/author/feed/atom/")).feed.title == expected


@pytest.mark.parametrize(
    "url",
    [
        "/tags/no-such-tag/feed/",
        "/tags/no-such-tag/feed/atom/",
        "/categories/no-such-category/feed/",
        "/categories/no-such-category/feed/atom/",
        "/authors/nobody/feed/",
        "/authors/nobody/feed/atom/",
        # Known, but only drafts use them: unpublished work must not leak through feeds.
        "/tags/secret/feed/",
        "/authors/drafter/feed/",
    ],
)
def test_unknown_or_unpublished_feed_subjects_are_404(client, site, url):
    drafter = UserFactory(username="drafter", role="Authors")
    draft(author=drafter, tags=["secret"])
    assert client.get(url).status_code == 404


def test_item_count_follows_the_setting_newest_first(client, site):
    site.FEED_ITEMS = 3
    now = timezone.now()
    for days in range(5):
        ArticleFactory(title=f"Day {days}", published_at=now - timedelta(days=days))
    titles = [entry.title for entry in parsed(client.get("/feed/")).entries]
    assert titles == ["Day 0", "Day 1", "Day 2"]
    assert len(json_feed(client.get("/feed/json/"))["items"]) == 3


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("/feed/", 4),  # content token (page cache), validators, items, tags
        ("/feed/json/", 4),
        ("/tags/python/feed/", 5),  # + the tag
        ("/categories/ml/feed/atom/", 6),  # + the category and its subtree
        ("/authors/author/feed/", 5),  # + the author
    ],
)
def test_feeds_run_a_fixed_number_of_queries(
    client, site, author, django_assert_max_num_queries, url, queries
):
    parent = CategoryFactory(slug="ml")
    for number in range(12):
        ArticleFactory(
            author=author,
            category=CategoryFactory(parent=parent),
            tags=["python", f"topic-{number}"],
        )
    with django_assert_max_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.count(b"<item>") + response.content.count(b"<entry") in (0, 12)


@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/", "/feed/json/", "/tags/python/feed/"])
def test_repeat_requests_get_304_by_etag_and_by_date(
    client, world, url, django_assert_max_num_queries
):
    first = client.get(url)
    assert first.status_code == 200
    assert first["Cache-Control"] == "public, max-age=300"
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('"') and last_modified.endswith("GMT")

    with django_assert_max_num_queries(2):  # the subject and the validators, never the items
        again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert again["Cache-Control"] == "public, max-age=300"

    by_date = client.get(url, headers={"If-Modified-Since": last_modified})
    assert by_date.status_code == 304
    assert by_date["Last-Modified"] == last_modified


def test_validators_change_when_the_feed_changes(client, world):
    etag = client.get("/feed/")["ETag"]
    article = world["public"]
    article.body = "A new version."
    article.save()
    changed = client.get("/feed/", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag

    etag = changed["ETag"]
    article.status = Article.Status.DRAFT
    article.save()
    emptied = client.get("/feed/", headers={"If-None-Match": etag})
    assert emptied.status_code == 200
    assert parsed(emptied).entries == []


def test_site_and_tag_feeds_have_distinct_etags(client, world):
    assert client.get("/feed/")["ETag"] != client.get("/tags/python/feed/")["ETag"]
    assert client.get("/feed/")["ETag"] != client.get("/feed/atom/")["ETag"]


def test_feeds_only_answer_get_and_head(client, site):
    assert client.post("/feed/").status_code == 405
    assert client.head("/feed/").status_code == 200


def test_feeds_advertise_the_websub_hub_when_configured(client, world, settings):
    settings.WEBSUB_HUB_URL = "https://hub.example.net/"
    rss = client.get("/feed/")
    assert rss["Link"] == f'<https://hub.example.net/>; rel="hub", <{SITE}/feed/>; rel="self"'
    channel = ET.fromstring(rss.content).find("channel")
    rels = {link.get("rel"): link.get("href") for link in channel.findall(f"{ATOM}link")}
    assert rels == {"hub": "https://hub.example.net/", "self": f"{SITE}/feed/"}

    atom = client.get("/tags/python/feed/atom/")
    root = ET.fromstring(atom.content)
    hubs = [link.get("href") for link in root.findall(f"{ATOM}link") if link.get("rel") == "hub"]
    assert hubs == ["https://hub.example.net/"]
    assert 'rel="hub"' in atom["Link"]

    document = json_feed(client.get("/feed/json/"))
    assert document["hubs"] == [{"type": "WebSub", "url": "https://hub.example.net/"}]


def test_no_hub_is_advertised_by_default(client, world):
    response = client.get("/feed/atom/")
    assert "Link" not in response
    assert b'rel="hub"' not in response.content


def test_every_page_announces_the_site_feeds(client, world):
    page = client.get("/").content.decode()
    assert (
        '<link rel="alternate" type="application/rss+xml" title="Inkstone" href="/feed/">' in page
    )
    assert 'type="application/atom+xml" title="Inkstone (Atom)" href="/feed/atom/"' in page
    assert 'type="application/feed+json" title="Inkstone (JSON Feed)" href="/feed/json/"' in page


def test_category_page_announces_its_own_feed(client, world):
    page = client.get("/categories/ml/").content.decode()
    assert 'href="/categories/ml/feed/"' in page
    assert 'href="/categories/ml/feed/atom/"' in page
    assert 'href="/feed/"' in page


def test_tag_and_author_pages_announce_their_own_feeds(client, world):
    tag_page = client.get("/tags/python/").content.decode()
    assert '<link rel="alternate" type="application/rss+xml"' in tag_page
    assert 'href="/tags/python/feed/"' in tag_page
    author = world["public"].author.username
    author_page = client.get(f"/authors/{author}/").content.decode()
    assert f'href="/authors/{author}/feed/atom/"' in author_page


def test_feed_links_partial_announces_tag_and_author_feeds(world):
    tag = world["public"].tags.get(slug="python")
    html = render_to_string(
        "includes/feed_links.html",
        {"SITE_NAME": "Inkstone", "feed_tag": tag, "feed_author": world["public"].author},
    )
    assert 'title="python · Inkstone" href="/tags/python/feed/"' in html
    assert 'href="/tags/python/feed/atom/"' in html
    assert 'href="/authors/author/feed/"' in html
    assert 'href="/authors/author/feed/atom/"' in html


def test_absolute_urls_cover_srcset_and_leave_other_schemes_alone():
    html = (
        '<img src="a.png" srcset="/x-1.png 1x, /x-2.png 2x">'
        '<a href="mailto:me@example.org">m</a><a href="https://other.example/">o</a>'
        '<a href="//cdn.example/y.js">c</a><a href="?q=1&amp;r=2">q</a>'
        '<img src="data:image/png;base64,AAAA">'
    )
    result = absolute_urls(html, base_url=f"{SITE}/articles/post/")
    assert f'src="{SITE}/articles/post/a.png"' in result
    assert f'srcset="{SITE}/x-1.png 1x, {SITE}/x-2.png 2x"' in result
    assert 'href="mailto:me@example.org"' in result
    assert 'href="https://other.example/"' in result
    assert 'href="https://cdn.example/y.js"' in result
    assert f'href="{SITE}/articles/post/?q=1&amp;r=2"' in result
    assert 'src="data:image/png;base64,AAAA"' in result


def test_feed_html_drops_heading_anchors_but_keeps_headings():
    html = (
        '<h2 id="intro">Intro<a class="heading-anchor" href="#intro" '
        'aria-label="Link to this section" rel="noopener noreferrer">#</a></h2>'
    )
    assert feed_html(html, base_url=f"{SITE}/articles/x/") == '<h2 id="intro">Intro</h2>'


def test_feed_html_is_reused_until_its_input_changes(monkeypatch):
    from articles.feeds import content as feed_content

    calls = []
    real = feed_content.feed_html

    def counting(html_text, *, base_url):
        calls.append(html_text)
        return real(html_text, base_url=base_url)

    monkeypatch.setattr(feed_content, "feed_html", counting)
    base = f"{SITE}/articles/x/"
    first = feed_content.feed_html_many([(1, '<p><a href="#a">a</a></p>', base)])
    again = feed_content.feed_html_many([(1, '<p><a href="#a">a</a></p>', base)])
    assert first == again == {1: f'<p><a href="{base}#a">a</a></p>'}
    assert len(calls) == 1
    edited = feed_content.feed_html_many([(1, '<p><a href="#b">b</a></p>', base)])
    assert edited == {1: f'<p><a href="{base}#b">b</a></p>'}
    moved = feed_content.feed_html_many(
        [(1, '<p><a href="#b">b</a></p>', "https://new.example/x/")]
    )
    assert moved == {1: '<p><a href="https://new.example/x/#b">b</a></p>'}
    assert len(calls) == 3

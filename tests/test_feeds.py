"""Feeds: formats, content, identity, visibility and HTTP caching (issue 5)."""

import json
import re
import xml.etree.ElementTree as ET
from datetime import timedelta
from email.utils import format_datetime

import feedparser
import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from articles.feed_content import absolute_urls, feed_html
from articles.freshness import bump_content_generation
from articles.models import Article
from tests.factories import ArticleFactory, CategoryFactory, UserFactory, draft, scheduled

SITE = "https://ink.example.org"
ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
MATHML = "http://www.w3.org/1998/Math/MathML"

TRICKY_TITLE = "Tom & Jerry <script> 🚀 注意力机制"
CHINESE_BODY = """注意力机制的核心是 $\\mathrm{softmax}(QK^T)$，行内公式 $x^2$。

$$
\\sum_{i=1}^{n} i = \\frac{n(n+1)}{2}
$$

```python
def attention(q, k):
    return q @ k.T  # 注释
```

![示意图](/media/uploads/attention.png) 和 ![相对](img/diagram.png)

参见 [另一篇](/articles/other/) 和 [本节](#小节)。

## 小节

结束。
"""


@pytest.fixture
def site(db, settings):
    settings.SITE_URL = SITE
    settings.WEBSUB_HUB_URL = None
    return settings


@pytest.fixture
def world(site, author):
    """One published article in a tagged subcategory, plus its draft and scheduled twins."""
    parent = CategoryFactory(name="Machine learning", slug="ml")
    child = CategoryFactory(name="Transformers", slug="transformers", parent=parent)
    shared = {"author": author, "category": child, "tags": ["深度学习", "python"]}
    return {
        "parent": parent,
        "child": child,
        "public": ArticleFactory(title="Visible article", **shared),
        "draft": draft(title="Draft article", **shared),
        "scheduled": scheduled(title="Scheduled article", **shared),
    }


def feed_urls():
    return {
        "site_rss": reverse("articles:feed_rss"),
        "site_atom": reverse("articles:feed_atom"),
        "site_json": reverse("articles:feed_json"),
        "tag_rss": reverse("articles:tag_feed_rss", kwargs={"slug": "python"}),
        "tag_atom": reverse("articles:tag_feed_atom", kwargs={"slug": "python"}),
        "category_rss": reverse("articles:category_feed_rss", kwargs={"slug": "ml"}),
        "category_atom": reverse("articles:category_feed_atom", kwargs={"slug": "ml"}),
        "author_rss": reverse("articles:author_feed_rss", kwargs={"username": "author"}),
        "author_atom": reverse("articles:author_feed_atom", kwargs={"username": "author"}),
    }


def parsed(response):
    """Return the feedparser result, asserting the feed is well-formed and clean."""
    assert response.status_code == 200
    ET.fromstring(response.content)
    result = feedparser.parse(response.content)
    assert result.bozo == 0, result.get("bozo_exception")
    return result


def json_feed(response):
    assert response.status_code == 200
    return json.loads(response.content.decode("utf-8"))


def entry_ids(client, url):
    return [entry.id for entry in parsed(client.get(url)).entries]


def test_routes_are_exactly_the_documented_ones():
    assert feed_urls() == {
        "site_rss": "/feed/",
        "site_atom": "/feed/atom/",
        "site_json": "/feed/json/",
        "tag_rss": "/tags/python/feed/",
        "tag_atom": "/tags/python/feed/atom/",
        "category_rss": "/categories/ml/feed/",
        "category_atom": "/categories/ml/feed/atom/",
        "author_rss": "/authors/author/feed/",
        "author_atom": "/authors/author/feed/atom/",
    }


@pytest.mark.parametrize("name", [key for key in feed_urls() if key != "site_json"])
def test_every_xml_feed_parses_cleanly_with_only_the_published_article(client, world, name):
    response = client.get(feed_urls()[name])
    feed = parsed(response)
    kind = "atom" if name.endswith("atom") else "rss"
    assert response["Content-Type"] == f"application/{kind}+xml; charset=utf-8"
    assert feed.version == ("atom10" if kind == "atom" else "rss20")
    assert [entry.title for entry in feed.entries] == ["Visible article"]


def test_json_feed_is_json_feed_1_1_with_only_the_published_article(client, world):
    response = client.get(feed_urls()["site_json"])
    assert response["Content-Type"] == "application/feed+json; charset=utf-8"
    document = json_feed(response)
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert document["feed_url"] == f"{SITE}/feed/json/"
    assert document["home_page_url"] == f"{SITE}/"
    assert "hubs" not in document
    (item,) = document["items"]
    article = world["public"]
    assert item["id"] == f"tag:ink.example.org,2026:article:{article.uuid}"
    assert item["url"] == f"{SITE}/articles/{article.slug}/"
    assert item["title"] == "Visible article"
    assert item["summary"] == article.preview
    assert "<math" in item["content_html"]
    assert item["authors"] == [
        {
            "name": article.author.get_full_name(),
            "url": f"{SITE}/authors/{article.author.username}/",
        }
    ]
    assert item["tags"] == ["Transformers", "python", "深度学习"]
    assert item["date_published"] == article.published_at.isoformat()
    assert item["date_modified"] == article.content_updated_at.isoformat()


def test_atom_has_the_required_elements_in_the_atom_namespace(client, world):
    root = ET.fromstring(client.get("/feed/atom/").content)
    assert root.tag == f"{ATOM}feed"
    assert root.findtext(f"{ATOM}id") == "tag:ink.example.org,2026:feed:site"
    assert root.findtext(f"{ATOM}title") == "Inkstone"
    assert root.findtext(f"{ATOM}updated")
    links = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
    assert links == {"alternate": f"{SITE}/", "self": f"{SITE}/feed/atom/"}
    (entry,) = root.findall(f"{ATOM}entry")
    article = world["public"]
    assert entry.findtext(f"{ATOM}id") == f"tag:ink.example.org,2026:article:{article.uuid}"
    assert entry.findtext(f"{ATOM}title") == "Visible article"
    assert entry.findtext(f"{ATOM}published")
    assert entry.findtext(f"{ATOM}updated")
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == article.author.get_full_name()
    assert entry.find(f"{ATOM}link").attrib == {"href": article_url(article), "rel": "alternate"}
    assert entry.find(f"{ATOM}summary").get("type") == "html"
    content = entry.find(f"{ATOM}content")
    assert content.get("type") == "html"
    assert "<math" in content.text
    terms = [category.get("term") for category in entry.findall(f"{ATOM}category")]
    assert terms == ["Transformers", "python", "深度学习"]


def test_rss_items_carry_full_content_guid_author_dates_and_categories(client, world):
    root = ET.fromstring(client.get("/feed/").content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel.findtext("link") == f"{SITE}/"
    self_link = channel.find(f"{ATOM}link")
    assert self_link.attrib == {"rel": "self", "href": f"{SITE}/feed/"}
    (item,) = channel.findall("item")
    article = world["public"]
    guid = item.find("guid")
    assert guid.text == f"tag:ink.example.org,2026:article:{article.uuid}"
    assert guid.get("isPermaLink") == "false"
    assert item.findtext("link") == article_url(article)
    creator = item.findtext("{http://purl.org/dc/elements/1.1/}creator")
    assert creator == article.author.get_full_name()
    assert item.findtext("pubDate") == format_datetime(article.published_at.replace(microsecond=0))
    assert item.findtext(f"{ATOM}updated") == article.content_updated_at.isoformat()
    assert [c.text for c in item.findall("category")] == ["Transformers", "python", "深度学习"]
    assert "<math" in item.findtext(f"{CONTENT}encoded")
    assert item.findtext("description") == article.preview


def article_url(article):
    return f"{SITE}{article.get_absolute_url()}"


@pytest.fixture
def chinese_article(site, author):
    return ArticleFactory(
        title=TRICKY_TITLE,
        language="zh-hans",
        body=CHINESE_BODY,
        author=author,
        tags=["注意力"],
    )


@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/"])
def test_chinese_article_with_math_code_and_images_survives_xml_feeds(client, chinese_article, url):
    (entry,) = parsed(client.get(url)).entries
    assert entry.title == TRICKY_TITLE
    assert_self_contained(entry.content[0].value, chinese_article)


def test_chinese_article_survives_the_json_feed(client, chinese_article):
    (item,) = json_feed(client.get("/feed/json/"))["items"]
    assert item["title"] == TRICKY_TITLE
    assert item["language"] == "zh-hans"
    assert_self_contained(item["content_html"], chinese_article)


def assert_self_contained(content, article):
    """Check a feed item's HTML keeps math, coloured code, text and working URLs."""
    # Math as MathML, namespaced so strict sanitizers keep it; no raw TeX left.
    assert re.search(f'<math [^>]*xmlns="{MATHML}"', content)
    assert "<mfrac>" in content and "\\frac" not in content
    # Code coloured by inline styles: readers drop stylesheets.
    assert '<span style="color:' in content
    assert 'class="k"' not in content
    assert "# 注释" in content
    assert "注意力机制的核心是" in content and "结束。" in content
    page = article_url(article)
    assert f'src="{SITE}/media/uploads/attention.png"' in content
    assert f'src="{page}img/diagram.png"' in content
    assert f'href="{SITE}/articles/other/"' in content
    assert f'href="{page}#' in content
    assert 'src="/' not in content and 'href="/' not in content and 'href="#' not in content


def test_tricky_titles_round_trip_in_every_format(client, site):
    ArticleFactory(title="A & B < C > D \"quoted\" 'single' 🚀 中文标题 &amp;")
    expected = "A & B < C > D \"quoted\" 'single' 🚀 中文标题 &amp;"
    for url in ("/feed/", "/feed/atom/"):
        assert parsed(client.get(url)).entries[0].title == expected
    assert json_feed(client.get("/feed/json/"))["items"][0]["title"] == expected


def test_control_characters_do_not_break_the_feed(client, site):
    ArticleFactory(title="Bell\x07 and tab\x0b title", summary="")
    for url in ("/feed/", "/feed/atom/"):
        assert parsed(client.get(url)).entries[0].title == "Bell and tab title"


def test_ids_survive_an_edit_and_a_slug_change(client, site):
    article = ArticleFactory(title="Original title", slug="original")
    before = {url: entry_ids(client, url) for url in ("/feed/", "/feed/atom/")}
    json_before = [item["id"] for item in json_feed(client.get("/feed/json/"))["items"]]
    first_updated = article.content_updated_at

    article.title = "Edited title"
    article.body = "Completely new body with $y$."
    article.slug = "renamed"
    article.save()

    for url, ids in before.items():
        assert entry_ids(client, url) == ids == [f"tag:ink.example.org,2026:article:{article.uuid}"]
    items = json_feed(client.get("/feed/json/"))["items"]
    assert [item["id"] for item in items] == json_before
    assert items[0]["url"] == f"{SITE}/articles/renamed/"
    assert items[0]["date_modified"] == article.content_updated_at.isoformat()
    assert article.content_updated_at > first_updated


def test_updated_date_stays_put_on_a_metadata_only_save(client, site):
    article = ArticleFactory()
    updated = parsed(client.get("/feed/atom/")).entries[0].updated
    article.category = CategoryFactory()
    article.save()
    article.tags.add("new-tag")
    assert parsed(client.get("/feed/atom/")).entries[0].updated == updated


def test_updated_is_never_before_published(client, site):
    article = draft()
    article.status = Article.Status.PUBLISHED
    article.published_at = timezone.now() - timedelta(minutes=1)
    Article.objects.filter(pk=article.pk).update(
        status=article.status,
        published_at=article.published_at,
        content_updated_at=article.published_at - timedelta(days=30),
    )
    entry = parsed(client.get("/feed/atom/")).entries[0]
    assert entry.updated_parsed == entry.published_parsed


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
    bump_content_generation()  # update() skips the signals that invalidate cached feeds
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
    from articles import feed_content

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

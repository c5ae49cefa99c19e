"""Feeds: formats, full content, identity and dates (docs/feeds.md)."""

import re
import xml.etree.ElementTree as ET
from datetime import timedelta
from email.utils import format_datetime

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, CategoryFactory, draft
from tests.feeds.helpers import (
    ATOM,
    CHINESE_BODY,
    CONTENT,
    MATHML,
    SITE,
    TRICKY_TITLE,
    entry_ids,
    feed_urls,
    json_feed,
    parsed,
)


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
    # Math as MathML, namespaced so strict sanitizers keep it; raw TeX only in the
    # annotation that carries the source for copying and screen readers.
    assert re.search(f'<math [^>]*xmlns="{MATHML}"', content)
    shown = re.sub(r"<annotation\b.*?</annotation>", "", content, flags=re.S)
    assert "<mfrac>" in shown and "\\frac" not in shown
    assert 'encoding="application/x-tex">' in content
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


@pytest.mark.django_db
def test_feed_items_carry_the_pages_mathml(client):
    article = ArticleFactory(
        body=r"$$\begin{aligned} a &= \mathbb{R} \\ \color{red} b &= \log p \tag{1} \end{aligned}$$"
        "\n\nAnd $\\hat{\\mathbf v}$."
    )
    page_math = re.findall(r"<math\b.*?</math>", article.body_html, flags=re.S)
    (item,) = json_feed(client.get(feed_urls()["site_json"]))["items"]
    feed_math = re.findall(r"<math\b.*?</math>", item["content_html"], flags=re.S)
    assert len(page_math) == 2
    assert [m.replace(f' xmlns="{MATHML}"', "") for m in feed_math] == page_math
    assert 'class="tex-r' in feed_math[0] and "ℝ" in feed_math[0]

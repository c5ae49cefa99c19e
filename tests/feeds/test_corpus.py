"""Real articles (the shared corpus) and hostile titles survive every feed format."""

import json
import xml.etree.ElementTree as ET
from datetime import timedelta

import feedparser
import pytest
from django.utils import timezone

from articles.feeds.content import xml_safe
from tests.corpus import dev_articles, require_corpus
from tests.factories import ArticleFactory

SITE = "https://ink.example.org"


def clean_feed(response):
    assert response.status_code == 200
    ET.fromstring(response.content)
    result = feedparser.parse(response.content)
    assert result.bozo == 0, result.get("bozo_exception")
    return result


@pytest.fixture
def feed_settings(db, settings):
    settings.SITE_URL = SITE
    settings.WEBSUB_HUB_URL = None
    return settings


def test_every_corpus_article_reaches_readers_whole(client, feed_settings, author):
    articles = dev_articles()
    feed_settings.FEED_ITEMS = len(articles)
    now = timezone.now()
    titles = []
    for number, (_path, meta, body) in enumerate(articles):
        language = "zh-hans" if str(meta.get("lang", "en")).startswith("zh") else "en"
        article = ArticleFactory(
            title=meta["title"],
            body=body,
            language=language,
            author=author,
            tags=[str(tag) for tag in meta.get("tags", [])][:5],
            published_at=now - timedelta(minutes=number + 1),
        )
        titles.append(article.title)

    for url in ("/feed/", "/feed/atom/"):
        entries = clean_feed(client.get(url)).entries
        assert [entry.title for entry in entries] == titles
        for entry in entries:
            content = entry.content[0].value
            assert 'src="../' not in content and 'href="#' not in content, entry.title
    items = json.loads(client.get("/feed/json/").content)["items"]
    assert [item["title"] for item in items] == titles
    with_math = [item for item in items if "<math" in item["content_html"]]
    assert len(with_math) > len(items) // 2
    assert all("$$" not in item["content_html"] for item in items)


def test_hostile_titles_keep_every_feed_well_formed(client, feed_settings):
    path = require_corpus("security", "payloadbox-xss-payload-list.txt")
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    payloads = [line[:200] for line in lines[::300] if line.strip()]
    feed_settings.FEED_ITEMS = len(payloads)
    now = timezone.now()
    for number, payload in enumerate(payloads):
        ArticleFactory(title=payload, published_at=now - timedelta(minutes=number + 1))
    expected = [" ".join(xml_safe(p).split()) for p in payloads]
    rss = client.get("/feed/")
    clean_feed(rss)
    # The exact text of each <title>: feedparser itself sanitizes RSS titles that look like HTML.
    rss_titles = [item.findtext("title") for item in ET.fromstring(rss.content).iter("item")]
    assert [" ".join(title.split()) for title in rss_titles] == expected
    entries = clean_feed(client.get("/feed/atom/")).entries
    assert [" ".join(entry.title.split()) for entry in entries] == expected
    items = json.loads(client.get("/feed/json/").content)["items"]
    assert [" ".join(item["title"].split()) for item in items] == expected

"""One story in two languages: switch, hreflang both ways, sitemap, listings, feeds, UI language."""

import json
import re
import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.urls import reverse

from articles.models import Translation
from tests.factories import ArticleFactory, draft

pytestmark = pytest.mark.django_db

SITE = "https://ink.example"
HEADINGS = "## One\n\nText.\n\n## Two\n\nText.\n\n## Three\n\nText."


@pytest.fixture
def pair(settings):
    settings.SITE_URL = SITE
    english = ArticleFactory(title="Attention", slug="attention", language="en", body=HEADINGS)
    chinese = ArticleFactory(title="注意力", slug="注意力", language="zh-hans", body=HEADINGS)
    Translation.objects.create(article=chinese, source=english)
    return english, chinese


def hreflangs(html):
    return {
        lang: href
        for lang, href in re.findall(
            r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html
        )
    }


def test_hreflang_pairs_point_both_ways_with_x_default(client, pair):
    expected = {
        "en": SITE + "/articles/attention/",
        "zh-Hans": SITE + "/articles/%E6%B3%A8%E6%84%8F%E5%8A%9B/",
        "x-default": SITE + "/articles/attention/",
    }
    for article in pair:
        links = hreflangs(client.get(article.get_absolute_url()).content.decode())
        assert links == expected
    # Each page the links name links back to the page naming it.
    for lang, href in expected.items():
        back = hreflangs(client.get(href.removeprefix(SITE)).content.decode())
        assert set(back.values()) == set(expected.values()), lang


def test_language_switch_names_each_version_in_its_own_language(client, pair):
    english, chinese = pair
    html = client.get(english.get_absolute_url()).content.decode()
    switch = re.search(r'<nav class="language-switch".*?</nav>', html, re.S).group(0)
    assert '<span aria-current="page" lang="en">English</span>' in switch
    assert f'href="{chinese.get_absolute_url()}" hreflang="zh-Hans" lang="zh-hans"' in switch
    assert ">简体中文</a>" in switch


def test_unpublished_versions_are_not_offered(client, settings):
    settings.SITE_URL = SITE
    english = ArticleFactory(title="Attention", language="en")
    hidden = draft(title="秘密译文", language="zh-hans")
    Translation.objects.create(article=hidden, source=english)
    html = client.get(english.get_absolute_url()).content.decode()
    assert 'class="language-switch"' not in html and 'rel="alternate" hreflang' not in html
    assert hidden.slug not in html


def test_article_without_translations_has_no_switch(client):
    html = client.get(ArticleFactory().get_absolute_url()).content.decode()
    assert 'class="language-switch"' not in html and 'hreflang="x-default"' not in html


def test_interface_follows_the_article_language_unless_the_reader_chose(client, pair):
    english, chinese = pair
    html = client.get(chinese.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="zh-hans">' in html
    assert "目录" in html and "分钟" in html
    html = client.get(english.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "Contents" in html and "min read" in html
    # The reader's choice, made with the footer's link, wins over the article's language.
    chosen = client.get(
        reverse("articles:choose_language", kwargs={"language": "en"}),
        HTTP_REFERER="http://testserver" + chinese.get_absolute_url(),
    )
    assert chosen.status_code == 302
    assert chosen["Location"] == "http://testserver" + chinese.get_absolute_url()
    html = client.get(chinese.get_absolute_url()).content.decode()
    assert "Contents" in html and "目录" not in html


def test_choosing_a_language_never_redirects_elsewhere(client):
    url = reverse("articles:choose_language", kwargs={"language": "zh-hans"})
    response = client.get(url, HTTP_REFERER="https://evil.example/")
    assert response["Location"] == reverse("articles:home")
    assert client.get("/interface/xx/").status_code == 404


def test_sitemap_lists_alternates_for_both_versions(client, pair):
    root = ET.fromstring(client.get(reverse("articles:sitemap")).content)
    ns = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    found = {}
    for url in root.findall("sm:url", ns):
        links = {link.get("hreflang"): link.get("href") for link in url.findall("x:link", ns)}
        if links:
            found[url.find("sm:loc", ns).text] = links
    english_url = SITE + "/articles/attention/"
    chinese_url = SITE + "/articles/%E6%B3%A8%E6%84%8F%E5%8A%9B/"
    expected = {"en": english_url, "zh-Hans": chinese_url, "x-default": english_url}
    assert found == {english_url: expected, chinese_url: expected}


class TestLanguageListings:
    def test_prefix_lists_one_language(self, client, pair):
        english, chinese = pair
        response = client.get(reverse("articles:language", kwargs={"language": "zh-hans"}))
        assert [article.title for article in response.context["articles"]] == [chinese.title]
        # The English version is only offered by the card's "also in" marker.
        html = response.content.decode()
        assert html.count(english.get_absolute_url()) == 1
        assert f'href="{english.get_absolute_url()}" hreflang="en"' in html
        assert client.get("/lang/xx/").status_code == 404
        # The unprefixed listing keeps its meaning: every story, each once, in the
        # reader's language (tests/views/test_stories.py).
        home = client.get(reverse("articles:home"), HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert [article.title for article in home.context["articles"]] == [chinese.title]

    def test_per_language_feeds(self, client, pair):
        rss = client.get(reverse("articles:language_feed_rss", kwargs={"language": "zh-hans"}))
        feed = feedparser.parse(rss.content)
        assert [entry.title for entry in feed.entries] == ["注意力"]
        assert feed.feed.language == "zh-hans"
        atom = client.get(reverse("articles:language_feed_atom", kwargs={"language": "en"}))
        assert [entry.title for entry in feedparser.parse(atom.content).entries] == ["Attention"]
        data = json.loads(
            client.get(reverse("articles:language_feed_json", kwargs={"language": "en"})).content
        )
        assert [item["title"] for item in data["items"]] == ["Attention"]
        assert client.get("/lang/xx/feed/").status_code == 404

"""Every author of an article in RSS (dc:creator), Atom (author) and JSON Feed (authors)."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from articles.feeds.websub import feed_urls_for
from tests.factories import ArticleFactory, UserFactory, draft, writers
from tests.feeds.helpers import ATOM, SITE, json_feed, parsed

DC = "{http://purl.org/dc/elements/1.1/}"


@pytest.fixture
def shared(site):
    lin, maya, kai = writers()
    return ArticleFactory(author=lin, coauthors=[maya, kai], title="Written by three")


def test_rss_has_one_dc_creator_per_author_in_order(client, shared):
    response = client.get(reverse("articles:feed_rss"))
    parsed(response)
    [item] = ET.fromstring(response.content).iter("item")
    assert [node.text for node in item.findall(f"{DC}creator")] == [
        "Lin Wei",
        "Maya Fischer",
        "kai",
    ]
    # RSS's own <author> must be an email address; the site publishes none.
    assert item.find("author") is None


def test_atom_has_one_author_element_per_author(client, shared):
    response = client.get(reverse("articles:feed_atom"))
    parsed(response)
    [entry] = ET.fromstring(response.content).iter(f"{ATOM}entry")
    authors = [
        (node.findtext(f"{ATOM}name"), node.findtext(f"{ATOM}uri"))
        for node in entry.findall(f"{ATOM}author")
    ]
    assert authors == [
        ("Lin Wei", f"{SITE}/authors/lin/"),
        ("Maya Fischer", f"{SITE}/authors/maya/"),
        ("kai", f"{SITE}/authors/kai/"),
    ]


def test_json_feed_lists_authors(client, shared):
    [item] = json_feed(client.get(reverse("articles:feed_json")))["items"]
    assert item["authors"] == [
        {"name": "Lin Wei", "url": f"{SITE}/authors/lin/"},
        {"name": "Maya Fischer", "url": f"{SITE}/authors/maya/"},
        {"name": "kai", "url": f"{SITE}/authors/kai/"},
    ]


def test_a_single_author_is_unchanged(client, site):
    ArticleFactory(author=UserFactory(username="solo", first_name="So", last_name="Lo"))
    response = client.get(reverse("articles:feed_rss"))
    [item] = ET.fromstring(response.content).iter("item")
    assert [node.text for node in item.findall(f"{DC}creator")] == ["So Lo"]
    [item] = json_feed(client.get(reverse("articles:feed_json")))["items"]
    assert item["authors"] == [{"name": "So Lo", "url": f"{SITE}/authors/solo/"}]


def test_each_coauthor_feed_carries_the_article(client, shared):
    draft(author=shared.author, coauthors=[UserFactory(username="maya")], title="Not yet")
    for username in ("lin", "maya", "kai"):
        for name in ("articles:author_feed_rss", "articles:author_feed_atom"):
            result = parsed(client.get(reverse(name, kwargs={"username": username})))
            assert [entry.title for entry in result.entries] == ["Written by three"], username


def test_websub_pings_every_authors_feed(shared):
    urls = feed_urls_for(shared)
    for username in ("lin", "maya", "kai"):
        assert f"{SITE}/authors/{username}/feed/" in urls
        assert f"{SITE}/authors/{username}/feed/atom/" in urls

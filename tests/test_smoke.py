"""The served site answers over real HTTP with the demo content."""

import urllib.request
from html.parser import HTMLParser

import pytest
from django.core.management import call_command

from articles.models import Article


class LinkCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.links.append(dict(attrs).get("href", ""))


def fetch(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, response.read().decode()


@pytest.mark.django_db(transaction=True)
def test_served_site_shows_the_demo_articles(live_server):
    call_command("load_demo", verbosity=0)
    status, home = fetch(live_server.url + "/")
    assert status == 200
    newest = Article.objects.published().for_listing().first()
    assert newest.title in home.replace("&amp;", "&").replace("&lt;", "<")

    parser = LinkCollector()
    parser.feed(home)
    article_links = [link for link in parser.links if link.startswith("/articles/")]
    assert article_links
    for link in article_links[:3]:
        status, page = fetch(live_server.url + link)
        assert status == 200
        assert "<article" in page

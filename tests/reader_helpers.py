"""Helpers for tests of the reader's pages: parse links and meta tags, inspect SQL."""

from html.parser import HTMLParser
from urllib.parse import unquote

import pytest

# Column references a listing query must never contain.
BODY_COLUMNS = ('"articles_article"."body"', '"articles_article"."body_html"')


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {name: value or "" for name, value in attrs}))

    handle_startendtag = handle_starttag


def elements(html, tag, **attrs):
    """Return the attribute dicts of every `tag` element whose attributes include attrs."""
    parser = _Collector()
    parser.feed(html)
    return [
        found
        for name, found in parser.elements
        if name == tag and all(found.get(key.rstrip("_")) == value for key, value in attrs.items())
    ]


def hrefs(html):
    """Return every link target on the page, percent-decoded."""
    return [unquote(a["href"]) for a in elements(html, "a") if "href" in a]


def meta(html, key):
    """Return the content of <meta property=key> or <meta name=key>."""
    for attrs in elements(html, "meta"):
        if key in (attrs.get("property"), attrs.get("name")):
            return attrs.get("content")
    return None


def body_columns_in(queries):
    """Return the captured SQL statements that select an article body."""
    return [q["sql"] for q in queries if any(column in q["sql"] for column in BODY_COLUMNS)]


def page_text(response):
    return response.content.decode()


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Hash factory passwords cheaply: PBKDF2 would dominate these tests' run time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

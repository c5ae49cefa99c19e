"""Bars, boxes and strikes reach feed readers as MathML, not as CSS classes (feeds/math.py)."""

import re
import xml.etree.ElementTree as ET

import pytest

from articles.feeds.math import portable_decorations
from tests.factories import ArticleFactory
from tests.feeds.helpers import MATHML, feed_urls, json_feed, parsed

M = f"{{{MATHML}}}"
DECORATED = (
    r"$\overline{z} = \underline{ab} + \cancel{x} + \bcancel{u} + \xcancel{v}"
    r" + \boxed{E=mc^2} + \sout{y} + \overline{\overline{a}+b}$"
)
PAGE_ONLY = re.compile(r"tex-(overline|underline|box|cancel|bcancel|xcancel|sout)\b")


def math_elements(html_text):
    """Parse each <math> of an item as XML, which also proves the rewrite kept it nested."""
    blocks = re.findall(r"<math\b.*?</math>", html_text, flags=re.S)
    return [ET.fromstring(block.replace("&nbsp;", "&#160;")) for block in blocks]


@pytest.fixture
def item_html(db, client):
    ArticleFactory(body=DECORATED)
    (item,) = json_feed(client.get(feed_urls()["site_json"]))["items"]
    return item["content_html"]


def test_the_page_draws_them_with_classes(db):
    # The premise: without feeds/math.py an item would carry these classes and no bar.
    article = ArticleFactory(body=DECORATED)
    assert len(set(PAGE_ONLY.findall(article.body_html))) == 7
    assert "menclose" not in article.body_html and "\u203e" not in article.body_html


def test_rules_become_stretchy_accents(item_html):
    (math,) = math_elements(item_html)
    overs = math.findall(f".//{M}mover")
    assert len(overs) == 3  # z, a, and the row around \overline{a}+b
    for over in overs:
        assert over.get("accent") == "true"
        base, accent = list(over)
        assert base.tag == f"{M}mrow"
        assert (accent.tag, accent.text, accent.get("stretchy")) == (f"{M}mo", "\u203e", "true")
    (under,) = math.findall(f".//{M}munder")
    assert under.get("accentunder") == "true"
    assert "".join(under[0].itertext()) == "ab"
    # The outer bar covers the inner one: nesting survives the rewrite.
    outer = next(over for over in overs if over.find(f".//{M}mover") is not None)
    assert "".join(outer[0].itertext()) == "a\u203e+b"


def test_boxes_and_strikes_become_menclose(item_html):
    (math,) = math_elements(item_html)
    notations = {
        "".join(enclosure.itertext()): enclosure.get("notation")
        for enclosure in math.findall(f".//{M}menclose")
    }
    assert notations == {
        "x": "updiagonalstrike",
        "u": "downdiagonalstrike",
        "v": "updiagonalstrike downdiagonalstrike",
        "E=mc2": "box",
        "y": "horizontalstrike",
    }
    assert not PAGE_ONLY.search(item_html)


def test_every_format_carries_them(client, db):
    ArticleFactory(body=DECORATED)
    for name in ("site_rss", "site_atom"):
        (entry,) = parsed(client.get(feed_urls()[name])).entries
        assert 'notation="updiagonalstrike"' in entry.content[0].value


def test_other_classes_and_text_are_left_alone():
    html_text = (
        '<p>tex-box in prose</p><math><mrow class="tex-colorbox tex-box" mathbackground="y">'
        '<mrow class="tex-llap"><mi>q</mi></mrow><mrow/></mrow></math>'
    )
    assert portable_decorations(html_text) == (
        '<p>tex-box in prose</p><math><menclose notation="box" class="tex-colorbox" '
        'mathbackground="y"><mrow class="tex-llap"><mi>q</mi></mrow><mrow></mrow>'
        "</menclose></math>"
    )

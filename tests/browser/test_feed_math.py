"""A feed item's math, drawn by Chromium with no stylesheet, as a feed reader shows it.

Screenshot: test-artifacts/screenshots/feed-math.png.
"""

import json

from django.test import Client
from django.urls import reverse

from tests.browser.tools import shoot
from tests.factories import ArticleFactory

BODY = r"$\overline{z} \cdot \underline{w} = \overline{\overline{a} + b}$"
# Each accent's parts: the base row and the bar; the bar must lie beyond the base.
PARTS = """() => [...document.querySelectorAll("mover, munder")].map(accent => {
  const [base, bar] = [...accent.children].map(child => child.getBoundingClientRect());
  return {
    kind: accent.localName, text: accent.children[0].textContent,
    base: [base.left, base.top, base.right, base.bottom],
    bar: [bar.left, bar.top, bar.right, bar.bottom],
  };
})"""


def test_a_reader_without_our_css_still_draws_the_bars(page):
    ArticleFactory(body=BODY)
    feed = Client().get(reverse("articles:feed_json"))
    (item,) = json.loads(feed.content)["items"]
    page.set_content(
        f"<!doctype html><html lang=en><body style='font-size:40px'>{item['content_html']}"
    )
    parts = page.evaluate(PARTS)
    assert [(part["kind"], part["text"]) for part in parts] == [
        ("mover", "z"),
        ("munder", "w"),
        ("mover", "a‾+b"),
        ("mover", "a"),
    ]
    for part in parts:
        base_left, base_top, base_right, base_bottom = part["base"]
        bar_left, bar_top, bar_right, bar_bottom = part["bar"]
        assert bar_right > bar_left, part  # drawn, with a width
        assert bar_left < base_right and bar_right > base_left, part  # over the base
        if part["kind"] == "mover":
            assert bar_top < base_top, part
        else:
            assert bar_bottom > base_bottom, part
    shoot(page, "feed-math")

"""Code blocks, tab groups and diagrams in real feeds: readable without the site's CSS or JS."""

import pytest
from django.urls import reverse

from tests.code_samples import SHOWCASE
from tests.factories import ArticleFactory
from tests.feeds.helpers import json_feed, parsed
from tests.html_tree import find_all


@pytest.fixture
def showcase(site, author):
    return ArticleFactory(title="Code showcase", body=SHOWCASE, author=author)


@pytest.mark.parametrize("name", ["articles:feed_rss", "articles:feed_atom"])
def test_xml_feeds_show_every_tab_with_inline_colours(client, showcase, name):
    entry = parsed(client.get(reverse(name))).entries[0]
    html = entry.content[0].value if "content" in entry else entry.summary
    assert find_all(html, "details") == [] and find_all(html, "summary") == []
    labels = [strong.full_text for strong in find_all(html, "strong")]
    assert labels == ["PyTorch", "TensorFlow", "JAX"] * 2
    codes = [code.full_text for code in find_all(html, "code")]
    assert any("tf.ones(3)" in code for code in codes) and any("jnp.ones" in code for code in codes)
    pres = find_all(html, "pre")
    assert pres and all("background" in pre.attrs.get("style", "") for pre in pres)
    added = [span for span in find_all(html, "span") if "#dafbe1" in span.attrs.get("style", "")]
    assert len(added) == 1 and added[0].full_text == "+    return x + 2\n"
    assert "train.py" in [caption.full_text for caption in find_all(html, "figcaption")]


def test_json_feed_carries_the_same_html(client, showcase):
    item = json_feed(client.get(reverse("articles:feed_json")))["items"][0]
    assert "<details" not in item["content_html"]
    assert "<svg" in item["content_html"]  # diagrams keep their light palette attributes

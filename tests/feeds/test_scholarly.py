"""Feed items carry numbered references and the References list, with absolute links."""

import pytest
from django.urls import reverse

from tests.factories import ArticleFactory
from tests.feeds.helpers import parsed

pytestmark = pytest.mark.django_db


def test_feed_items_keep_numbers_and_make_reference_links_absolute(client, site):
    ArticleFactory(
        title="Cited",
        slug="cited",
        body=(
            "See @fig-p and [@k].\n\n![P](/static/demo/attention-heatmap.png){#fig-p}\n\n"
            "```bibtex\n@book{k, author={Knuth, D.}, title={T}, publisher={AW}, year={1984}}\n```"
        ),
    )
    feed = parsed(client.get(reverse("articles:feed_rss")))
    content = feed.entries[0].content[0].value
    page = "https://ink.example.org/articles/cited/"
    assert f'href="{page}#fig-p"' in content and ">Figure 1<" in content
    assert f'href="{page}#ref-k"' in content and "Knuth, 1984" in content
    assert "References" in content and "{#" not in content

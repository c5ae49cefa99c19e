"""A series' feeds carry its published parts only, in every format."""

import json

import feedparser
import pytest
from django.urls import reverse

from articles.models import Series, SeriesPart
from tests.factories import draft
from tests.series_helpers import make_series

pytestmark = pytest.mark.django_db

PUBLISHED = {"First: dot products", "Third: multi-head", "Fifth: transformers"}


@pytest.mark.parametrize("name", ["series_feed_rss", "series_feed_atom"])
def test_xml_feeds_carry_published_parts_only(client, name):
    series, _parts = make_series()
    response = client.get(reverse(f"articles:{name}", kwargs={"slug": series.slug}))
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo
    assert feed.feed.title.startswith(series.title)
    assert {entry.title for entry in feed.entries} == PUBLISHED


def test_json_feed_carries_published_parts_only(client):
    series, _parts = make_series()
    response = client.get(reverse("articles:series_feed_json", kwargs={"slug": series.slug}))
    data = json.loads(response.content)
    assert {item["title"] for item in data["items"]} == PUBLISHED
    assert "Secret draft part" not in response.content.decode()


def test_no_feed_for_a_series_readers_cannot_see(client):
    hidden = Series.objects.create(title="Hidden plans")
    SeriesPart.objects.create(series=hidden, article=draft(), position=1)
    response = client.get(reverse("articles:series_feed_rss", kwargs={"slug": hidden.slug}))
    assert response.status_code == 404

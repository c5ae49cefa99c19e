"""Series on the reader's site: the box on each part, the series page, sitemap and JSON-LD."""

import json
import re

import pytest
from django.conf import settings
from django.urls import reverse

from articles.models import Series, SeriesPart
from tests.factories import ArticleFactory, draft
from tests.series_helpers import make_series

pytestmark = pytest.mark.django_db


def series_box(html):
    match = re.search(r'<nav class="series-nav".*?</nav>', html, re.S)
    return match.group(0) if match else None


def titles_in(box):
    return re.findall(r"<li>.*?>([^<>]+)</(?:a|span)></li>", box)


class TestArticlePage:
    def test_shows_part_n_of_published_parts_in_order(self, client):
        series, parts = make_series()
        box = series_box(client.get(parts["third"].get_absolute_url()).content.decode())
        assert box is not None
        # Published parts only, numbered without gaps: first, third, fifth.
        assert "Part 2 of 3 in" in box
        assert titles_in(box) == ["First: dot products", "Third: multi-head", "Fifth: transformers"]
        assert re.search(r'aria-current="page"[^>]*>Third: multi-head<', box)
        assert f'href="{series.get_absolute_url()}"' in box

    def test_previous_and_next_stay_within_the_series(self, client):
        _series, parts = make_series()
        ArticleFactory(title="Unrelated newer article")
        box = series_box(client.get(parts["third"].get_absolute_url()).content.decode())
        prev = re.search(r'class="series-prev" href="([^"]+)"', box).group(1)
        nxt = re.search(r'class="series-next" href="([^"]+)"', box).group(1)
        assert prev == parts["first"].get_absolute_url()
        assert nxt == parts["fifth"].get_absolute_url()
        first_box = series_box(client.get(parts["first"].get_absolute_url()).content.decode())
        assert "series-prev" not in first_box and "Part 1 of 3" in first_box

    def test_unpublished_parts_never_reach_readers(self, client):
        series, parts = make_series()
        pages = [client.get(parts[name].get_absolute_url()) for name in ("first", "third", "fifth")]
        pages.append(client.get(series.get_absolute_url()))
        pages.append(client.get(reverse("articles:series_index")))
        for response in pages:
            html = response.content.decode()
            assert response.status_code == 200
            assert "Secret draft part" not in html
            assert "Scheduled part" not in html

    def test_staff_preview_of_a_draft_part_slots_it_in_by_position(self, editor_client):
        _series, parts = make_series()
        box = series_box(editor_client.get(parts["draft"].get_absolute_url()).content.decode())
        assert titles_in(box) == [
            "First: dot products",
            "Secret draft part",
            "Third: multi-head",
            "Fifth: transformers",
        ]
        assert "Part 2 of 4" in box

    def test_article_outside_any_series_has_no_box(self, client):
        make_series()
        article = ArticleFactory(title="Standalone")
        assert series_box(client.get(article.get_absolute_url()).content.decode()) is None

    def test_json_ld_names_the_series(self, client, settings):
        settings.SITE_URL = "https://ink.example"
        series, parts = make_series()
        html = client.get(parts["first"].get_absolute_url()).content.decode()
        data = json.loads(re.search(r'ld\+json">(.*?)</script>', html, re.S).group(1))
        assert data["isPartOf"] == {
            "@type": "CreativeWorkSeries",
            "name": series.title,
            "url": "https://ink.example" + series.get_absolute_url(),
        }

    def test_a_series_change_shows_at_once_despite_the_caches(self, client):
        series, parts = make_series()
        url = parts["third"].get_absolute_url()
        assert "Part 2 of 3" in client.get(url).content.decode()
        newcomer = ArticleFactory(title="Zeroth: prerequisites")
        SeriesPart.objects.create(series=series, article=newcomer, position=6)
        series.title = "Attention, renamed"
        series.save()
        box = series_box(client.get(url).content.decode())
        assert "Part 2 of 4" in box and "Attention, renamed" in box


class TestSeriesPage:
    def test_lists_published_parts_in_order_with_feed_links(self, client):
        series, _parts = make_series()
        response = client.get(series.get_absolute_url())
        html = response.content.decode()
        assert response.status_code == 200
        order = [html.index(title) for title in ("First:", "Third:", "Fifth:")]
        assert order == sorted(order)
        assert "3 parts" in html
        for name in ("series_feed_rss", "series_feed_atom", "series_feed_json"):
            assert reverse(f"articles:{name}", kwargs={"slug": series.slug}) in html

    def test_each_part_shows_its_whole_preview(self, client):
        # The preview is already cut at a word (or a grapheme, in Chinese) with its own
        # ellipsis; cutting it again at 240 characters split words ("the one-lin…").
        series, parts = make_series()
        words = " ".join(f"word{n}" for n in range(80))
        parts["first"].body = words
        parts["first"].save()
        html = client.get(series.get_absolute_url()).content.decode()
        preview = parts["first"].preview
        assert len(preview) > 240
        assert f'<p class="series-part-preview" lang="en">{preview}</p>' in html

    def test_a_series_with_only_unpublished_parts_does_not_exist_for_readers(self, client):
        hidden = Series.objects.create(title="Hidden plans")
        SeriesPart.objects.create(series=hidden, article=draft(), position=1)
        assert client.get(hidden.get_absolute_url()).status_code == 404
        assert "Hidden plans" not in client.get(reverse("articles:series_index")).content.decode()

    def test_a_series_in_one_language_speaks_it_unless_the_reader_chose(self, client):
        series = Series.objects.create(title="数值计算入门")
        for position in (1, 2):
            article = ArticleFactory(language="zh-hans")
            SeriesPart.objects.create(series=series, article=article, position=position)
        html = client.get(series.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert '<html lang="zh-hans">' in html and "2 篇" in html
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        html = client.get(series.get_absolute_url()).content.decode()
        assert '<html lang="en">' in html and "2 parts" in html

    def test_a_series_in_two_languages_keeps_the_readers_language(self, client):
        series = Series.objects.create(title="Bilingual notes")
        for position, language in ((1, "en"), (2, "zh-hans")):
            article = ArticleFactory(language=language)
            SeriesPart.objects.create(series=series, article=article, position=position)
        html = client.get(series.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert '<html lang="en">' in html and "2 parts" in html

    def test_unicode_slug(self, client):
        series = Series.objects.create(title="注意力机制系列")
        SeriesPart.objects.create(series=series, article=ArticleFactory(), position=1)
        assert series.slug == "注意力机制系列"
        assert client.get(series.get_absolute_url()).status_code == 200

    def test_sitemap_lists_public_series_only(self, client, settings):
        settings.SITE_URL = "https://ink.example"
        series, _parts = make_series()
        hidden = Series.objects.create(title="Hidden")
        SeriesPart.objects.create(series=hidden, article=draft(), position=1)
        xml = client.get(reverse("articles:sitemap")).content.decode()
        assert f"<loc>https://ink.example{series.get_absolute_url()}</loc>" in xml
        assert hidden.get_absolute_url() not in xml

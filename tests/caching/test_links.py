"""Series, translations and sharing cards: what shows them changes, the rest stays cached."""

import pytest

from articles.models import ArticleCard, Translation
from tests.caching.helpers import page
from tests.factories import ArticleFactory
from tests.series_helpers import make_series

pytestmark = pytest.mark.django_db

NOTICE = 'class="translation-notice"'


def test_a_series_rename_reaches_its_parts_and_its_feed(client):
    series, parts = make_series()
    part_url = parts["third"].get_absolute_url()
    feed_url = f"/series/{series.slug}/feed/"
    assert series.title in page(client, part_url)
    first = client.get(feed_url)
    series.title = "Attention, renamed"
    series.save()
    assert "Attention, renamed" in page(client, part_url)
    # A reader holding the old feed must not be told it is unchanged.
    again = client.get(feed_url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert "Attention, renamed" in again.content.decode()


def test_a_source_edit_puts_the_notice_on_its_cached_translation(client):
    source = ArticleFactory(title="Attention", language="en", body="First words.")
    translation = ArticleFactory(title="注意力", language="zh-hans", body="最初的文字。")
    Translation.objects.create(article=translation, source=source, show_notice=True)
    assert NOTICE not in page(client, translation.get_absolute_url())
    source.body = "Second words."
    source.save()
    assert NOTICE in page(client, translation.get_absolute_url())


def test_an_edit_without_translations_to_tell_keeps_other_pages(client, django_assert_num_queries):
    source = ArticleFactory(title="Attention", language="en", body="First words.")
    translation = ArticleFactory(title="注意力", language="zh-hans", body="最初的文字。")
    Translation.objects.create(article=translation, source=source, show_notice=False)
    page(client, translation.get_absolute_url())
    source.body = "Second words."
    source.save()
    with django_assert_num_queries(1):  # a hit: the token's query only
        page(client, translation.get_absolute_url())


def test_a_new_card_shows_on_its_article_alone(client, django_assert_num_queries):
    article = ArticleFactory(title="Shared widely")
    other = ArticleFactory(title="Unrelated")
    for url in (article.get_absolute_url(), other.get_absolute_url()):
        page(client, url)
    card, _created = ArticleCard.objects.get_or_create(article=article)
    card.generated = "cards/shared-widely-new.png"
    card.save()
    assert "cards/shared-widely-new.png" in page(client, article.get_absolute_url())
    with django_assert_num_queries(1):
        page(client, other.get_absolute_url())

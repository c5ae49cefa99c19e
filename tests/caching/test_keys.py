"""Keys that cannot be wrong: releases, plain data, previews, feeds, reads that never write."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.caching import store
from articles.caching.entries import make_key
from articles.caching.token import content_token, page_mark
from articles.models import Article, Category
from tests.caching.helpers import behind_the_cache, page
from tests.factories import ArticleFactory, CategoryFactory, UserFactory, draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def fragments_only(settings):
    settings.PAGE_CACHE = False
    settings.FRAGMENT_CACHE = True


@pytest.fixture
def release(monkeypatch):
    def use(version):
        monkeypatch.setattr("articles.caching.entries.release_version", lambda: version)

    use("release-1")
    return use


def test_a_new_release_reads_no_fragment_of_the_old_one(client, fragments_only, release):
    recent = ArticleFactory(title="Recent one")
    reading = ArticleFactory(title="Being read")
    assert "Recent one" in page(client, reading.get_absolute_url())
    # Same token, different output (as a template change would make): the old
    # release's fragment is still served to the old release...
    behind_the_cache(recent, title="Renamed by the new release")
    assert "Recent one" in page(client, reading.get_absolute_url())
    # ...and never to the new one.
    release("release-2")
    assert "Renamed by the new release" in page(client, reading.get_absolute_url())


def test_a_cached_row_of_a_changed_model_still_reads(client, fragments_only):
    article = ArticleFactory(title="Stored as data", summary="A summary")
    page(client, article.get_absolute_url())
    key = make_key("data", ("article", article.slug, page_mark(None, article.slug)))
    names, values, linked, extras = store.get_many([key])[key]
    assert isinstance(values, tuple)  # Plain data, not a pickled instance.
    # As stored by a release whose model had a field more and one fewer.
    kept = [(n, v) for n, v in zip(names, values, strict=True) if n != "summary"]
    kept.append(("subtitle_from_the_old_release", "gone"))
    names, values = zip(*kept, strict=True)
    store.set_many({key: (names, values, linked, extras)})
    behind_the_cache(article, title="Not read: the entry is")
    html = page(client, article.get_absolute_url())
    assert "Stored as data" in html
    assert "A summary" in html  # The missing field is loaded when read.


def test_a_draft_preview_uses_no_cached_fragment(editor_client, fragments_only):
    recent = ArticleFactory(title="Recent one")
    preview = draft(title="Work in progress")
    assert "Recent one" in page(editor_client, preview.get_absolute_url())
    behind_the_cache(recent, title="Renamed since")
    html = page(editor_client, preview.get_absolute_url())
    assert "Renamed since" in html
    assert "Recent one" not in html


def test_a_reader_never_writes_when_a_scheduled_article_arrives(client):
    ArticleFactory(title="Already out")
    coming = ArticleFactory(title="Arriving", published_at=timezone.now() + timedelta(hours=1))
    assert "Arriving" not in page(client, "/")
    later = coming.published_at + timedelta(seconds=1)
    with (
        mock.patch("django.utils.timezone.now", return_value=later),
        CaptureQueriesContext(connection) as queries,
    ):
        assert "Arriving" in page(client, "/")
        assert "Arriving" in page(client, "/")
    writes = [q["sql"] for q in queries if q["sql"].split()[0] in ("UPDATE", "INSERT", "DELETE")]
    assert writes == []


@pytest.mark.parametrize("rename", ["author", "category", "tag"])
def test_a_feed_etag_changes_with_the_names_it_shows(client, rename):
    author = UserFactory(first_name="Ada", last_name="Lovelace")
    category = CategoryFactory(name="Numerics")
    article = ArticleFactory(author=author, category=category, tags=["floats"])
    first = client.get("/feed/")
    if rename == "author":
        author.last_name = "King"
        author.save()
    elif rename == "category":
        category.name = "Numerical analysis"
        category.save()
    else:
        tag = article.tags.get()
        tag.name = "floating point"
        tag.save()
    again = client.get(
        "/feed/",
        headers={"if-none-match": first["ETag"], "if-modified-since": first["Last-Modified"]},
    )
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]


def test_bulk_updates_move_the_token(client):
    article = ArticleFactory(title="Before the update", category=CategoryFactory(name="Old"))
    assert "Before the update" in page(client, "/")
    before = str(content_token())
    Article.objects.filter(pk=article.pk).update(title="After the update")
    assert str(content_token()) != before
    assert "After the update" in page(client, "/")
    before = str(content_token())
    Category.objects.filter(pk=article.category_id).update(name="New")
    assert str(content_token()) != before


def test_a_save_reads_the_stored_row_once():
    article = ArticleFactory(title="Saved once")
    article.title = "Saved again"
    with CaptureQueriesContext(connection) as queries:
        article.save()
    table = Article._meta.db_table
    reads = [
        q["sql"]
        for q in queries
        if q["sql"].startswith("SELECT") and f'FROM "{table}" WHERE "{table}"."id" =' in q["sql"]
    ]
    assert len(reads) == 1, reads


def test_cards_outlive_changes_to_other_articles(client, fragments_only):
    kept = ArticleFactory(title="Card kept")
    assert "Card kept" in page(client, "/")
    behind_the_cache(kept, title="Only a new card shows this")
    ArticleFactory(title="Published later")  # Moves the whole token.
    html = page(client, "/")
    assert "Published later" in html
    assert "Card kept" in html  # Its card was not rendered again.
    kept.refresh_from_db()
    kept.summary = "Its own edit"
    kept.save()
    html = page(client, "/")
    assert "Its own edit" in html
    assert "Only a new card shows this" in html


def test_a_save_that_leaves_updated_at_alone_drops_its_card(client, fragments_only):
    article = ArticleFactory(title="Card before")
    assert "Card before" in page(client, "/")
    article.title = "Card after"
    article.save(update_fields=["title"])
    assert "Card after" in page(client, "/")

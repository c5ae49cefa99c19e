"""The page cache is never stale: every change readers can see moves the content generation."""

import threading
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.test import Client, RequestFactory
from django.utils import timezone
from django.utils.http import http_date

from articles.caching import store
from articles.caching.pages import reader_page
from articles.caching.token import content_token, move_token
from articles.models import Article
from tests.caching.helpers import behind_the_cache, page
from tests.factories import ArticleFactory, CategoryFactory, UserFactory, draft, scheduled

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache_only(settings):
    # Cards and sidebars are cached per generation too; tests that change rows
    # behind the cache's back look at the page cache alone.
    settings.FRAGMENT_CACHE = False


@pytest.fixture
def article():
    return ArticleFactory(
        title="Original title",
        author=UserFactory(first_name="Ada", last_name="Lovelace"),
        category=CategoryFactory(name="Numerics"),
        tags=["floats"],
    )


PAGES = ["/", "/feed/", "/feed/atom/", "/tags/floats/", "/categories/{category}/"]


def public_pages(article):
    return [path.format(category=article.category.slug) for path in PAGES] + [
        article.get_absolute_url()
    ]


class TestServedFromCache:
    def test_a_second_anonymous_get_is_a_hit(self, client, article, django_assert_num_queries):
        assert "Original title" in page(client, "/")
        behind_the_cache(article, title="Changed behind the cache")
        with django_assert_num_queries(1):  # the content token, nothing else
            assert "Original title" in page(client, "/")

    def test_the_cache_can_be_turned_off(self, client, article, settings, page_cache_only):
        settings.PAGE_CACHE = False
        assert "Original title" in page(client, "/")
        behind_the_cache(article, title="Changed behind the cache")
        assert "Changed behind the cache" in page(client, "/")

    def test_languages_are_cached_apart(self, client, article):
        english = page(client, "/", accept_language="en")
        chinese = page(client, "/", accept_language="zh-hans")
        assert 'lang="en"' in english
        assert 'lang="zh-hans"' in chinese
        assert page(client, "/", accept_language="en") == english
        assert page(client, "/", accept_language="zh-hans") == chinese

    def test_query_strings_are_cached_apart(self, client):
        for number in range(12):
            ArticleFactory(title=f"Numbered {number}")
        first, second = page(client, "/"), page(client, "/?page=2")
        assert first != second
        assert page(client, "/?page=2") == second

    def test_errors_and_redirects_are_not_cached(self, client, article):
        assert client.get("/articles/nope/").status_code == 404
        ArticleFactory(slug="nope", title="Now it exists")
        assert client.get("/articles/nope/").status_code == 200


class TestNeverStale:
    @pytest.mark.parametrize("index", range(len(PAGES) + 1))
    def test_edit(self, client, article, index):
        path = public_pages(article)[index]
        assert "Original title" in page(client, path)
        article.title = "Edited title"
        article.save()
        assert "Edited title" in page(client, path)

    def test_publish(self, client, article):
        waiting = draft(title="Draft until now")
        assert "Draft until now" not in page(client, "/")
        assert client.get(waiting.get_absolute_url()).status_code == 404
        waiting.status = Article.Status.PUBLISHED
        waiting.save()
        assert "Draft until now" in page(client, "/")
        assert "Draft until now" in page(client, "/feed/")
        assert client.get(waiting.get_absolute_url()).status_code == 200

    def test_unpublish(self, client, article):
        for path in public_pages(article):
            assert "Original title" in page(client, path)
        article.status = Article.Status.DRAFT
        article.save()
        assert "Original title" not in page(client, "/")
        assert "Original title" not in page(client, "/feed/")
        assert client.get(article.get_absolute_url()).status_code == 404

    def test_delete(self, client, article):
        page(client, "/")
        page(client, article.get_absolute_url())
        url = article.get_absolute_url()
        article.delete()
        assert "Original title" not in page(client, "/")
        assert client.get(url).status_code == 404

    def test_tags_added_removed_and_renamed(self, client, article):
        assert "/tags/floats/" in page(client, article.get_absolute_url())
        article.tags.add("rounding")
        assert "/tags/rounding/" in page(client, article.get_absolute_url())
        article.tags.remove("floats")
        assert "/tags/floats/" not in page(client, article.get_absolute_url())
        assert client.get("/tags/floats/").status_code == 404
        tag = article.tags.get(name="rounding")
        assert ">rounding<" in page(client, "/")
        tag.name = "Rounding modes"
        tag.save()
        assert "Rounding modes" in page(client, "/")

    def test_category_moved_and_renamed(self, client, article):
        assert "Numerics" in page(client, article.get_absolute_url())
        article.category.name = "Numerical analysis"
        article.category.save()
        assert "Numerical analysis" in page(client, article.get_absolute_url())
        assert "Numerical analysis" in page(client, "/")
        article.category = CategoryFactory(name="Floating point")
        article.save()
        assert "Floating point" in page(client, article.get_absolute_url())

    def test_author_name(self, client, article):
        assert "Ada Lovelace" in page(client, "/")
        assert "Ada Lovelace" in page(client, "/feed/")
        author = article.author
        author.last_name = "King"
        author.save()
        assert "Ada King" in page(client, "/")
        assert "Ada King" in page(client, article.get_absolute_url())
        assert "Ada King" in page(client, "/feed/")

    def test_scheduled_time_arriving_with_no_cron(self, client, article):
        later = scheduled(title="Comes out later")
        due = later.published_at
        assert "Comes out later" not in page(client, "/")
        assert "Comes out later" not in page(client, "/feed/")
        with mock.patch("django.utils.timezone.now", return_value=due + timedelta(seconds=1)):
            assert "Comes out later" in page(client, "/")
            assert "Comes out later" in page(client, "/feed/")
            assert page(client, later.get_absolute_url())

    def test_two_scheduled_articles_arrive_one_after_the_other(self, client, article):
        first = ArticleFactory(
            title="First to come", published_at=timezone.now() + timedelta(hours=1)
        )
        second = ArticleFactory(
            title="Second to come", published_at=timezone.now() + timedelta(hours=2)
        )
        page(client, "/")
        with mock.patch("django.utils.timezone.now", return_value=first.published_at):
            html = page(client, "/")
            assert "First to come" in html
            assert "Second to come" not in html
            assert "First to come" in page(client, "/")  # after the roll-over too
        with mock.patch("django.utils.timezone.now", return_value=second.published_at):
            assert "Second to come" in page(client, "/")

    def test_draft_edits_leave_the_generation_alone(self, article):
        work = draft(title="Work in progress")
        before = str(content_token())
        work.title = "Still in progress"
        work.save()
        work.tags.add("secret")
        assert str(content_token()) == before


class TestStaffBypass:
    def test_staff_never_read_cached_pages(self, editor_client, article, page_cache_only):
        reader = Client()
        page(reader, "/")
        behind_the_cache(article, title="Fresh for staff")
        assert "Fresh for staff" in page(editor_client, "/")
        assert "Original title" in page(reader, "/")

    def test_staff_never_fill_the_cache(self, editor_client, article, page_cache_only):
        preview = draft(title="Secret draft")
        html = page(editor_client, preview.get_absolute_url())
        assert "draft-banner" in html
        page(editor_client, "/")
        behind_the_cache(article, title="Changed behind the cache")
        assert "Changed behind the cache" in page(Client(), "/")

    def test_responses_that_set_cookies_are_not_stored(self, client, article, page_cache_only):
        client.cookies["messages"] = "x"
        page(client, "/")
        behind_the_cache(article, title="Changed behind the cache")
        assert "Changed behind the cache" in page(Client(), "/")


class TestConditionalGet:
    @pytest.mark.parametrize("cached", [True, False])
    def test_etag_answers_304_until_a_change(self, client, article, settings, cached):
        settings.PAGE_CACHE = cached
        for path in public_pages(article):
            first = client.get(path)
            etag = first["ETag"]
            assert etag
            again = client.get(path, headers={"if-none-match": etag})
            assert again.status_code == 304, path
            assert again.content == b""
        etag = client.get("/")["ETag"]
        article.title = "Edited title"
        article.save()
        changed = client.get("/", headers={"if-none-match": etag})
        assert changed.status_code == 200
        assert "Edited title" in changed.content.decode()

    def test_last_modified_answers_304_until_a_change(self, client, article, monkeypatch):
        now = timezone.now()
        monkeypatch.setattr("articles.caching.pages.PROCESS_STARTED_AT", now - timedelta(hours=1))
        with mock.patch("django.utils.timezone.now", return_value=now - timedelta(minutes=5)):
            move_token()
        first = client.get("/")
        assert first["Last-Modified"]
        since = client.get("/", headers={"if-modified-since": first["Last-Modified"]})
        assert since.status_code == 304
        article.title = "Edited title"
        article.save()
        with mock.patch("django.utils.timezone.now", return_value=now + timedelta(seconds=5)):
            later = client.get("/", headers={"if-modified-since": http_date(now.timestamp())})
        assert later.status_code == 200

    def test_no_last_modified_within_a_second_of_a_change(self, client, article):
        # HTTP dates have one-second resolution; a second change in the same
        # second would otherwise answer 304 with the older page.
        assert "Last-Modified" not in client.get("/")
        assert client.get("/")["ETag"]

    def test_pages_revalidate(self, client, article):
        assert "max-age=0" in client.get("/")["Cache-Control"]
        assert "public" in client.get("/")["Cache-Control"]


class TestOneArticlesSave:
    """An edit shown only on its own article's page leaves other article pages cached."""

    @pytest.fixture
    def other(self, article):
        other = ArticleFactory(title="Another article")
        page(Client(), other.get_absolute_url())
        # Changed behind the cache: the page shows the old title while its entry lives.
        behind_the_cache(other, title="Entry dropped")
        return other

    def test_a_body_edit_keeps_other_article_pages(self, client, article, other):
        article.body = "A new body, shown on its own page."
        article.save()
        assert "A new body" in page(client, article.get_absolute_url())
        assert "Another article" in page(client, other.get_absolute_url())

    def test_past_the_mark_limit_an_edit_drops_every_article_page(
        self, client, article, monkeypatch
    ):
        monkeypatch.setattr("articles.caching.token.MAX_EDIT_MARKS", 1)
        edited = ArticleFactory(title="Edited article")
        watched = ArticleFactory(title="Watched article")
        page(client, watched.get_absolute_url())
        behind_the_cache(watched, title="Entry dropped")
        article.summary = "The first own-page edit: marked."
        article.save()
        assert "Watched article" in page(client, watched.get_absolute_url())
        edited.summary = "A second one: past the limit."
        edited.save()
        assert "Entry dropped" in page(client, watched.get_absolute_url())

    def test_a_body_edit_still_reaches_listings_and_feeds(self, client, article):
        for path in ("/", "/feed/", "/tags/floats/", article.get_absolute_url()):
            page(client, path)
        article.summary = "A summary written later"
        article.save()
        for path in ("/", "/feed/", "/tags/floats/", article.get_absolute_url()):
            assert "A summary written later" in page(client, path), path

    @pytest.mark.parametrize(
        "change",
        ["title", "slug", "unpublish", "tags", "update_fields"],
    )
    def test_changes_shown_elsewhere_drop_every_article_page(self, client, article, other, change):
        if change == "title":
            article.title = "Renamed"
        elif change == "slug":
            article.slug = "moved"
        elif change == "unpublish":
            article.status = Article.Status.DRAFT
        if change == "tags":
            article.tags.add("rounding")
        elif change == "update_fields":
            # A save that leaves updated_at alone cannot key the article's page.
            article.body_html = "<p>Stored directly</p>"
            article.save(update_fields=["body_html"])
        else:
            article.save()
        assert "Entry dropped" in page(client, other.get_absolute_url())


class TestOneRenderPerChange:
    """Requests that miss a page another worker is rendering wait for its entry."""

    def test_a_request_waits_for_the_render_under_way(self, client, article):
        request = RequestFactory().get("/")
        page_entry = reader_page(request)
        key = page_entry.key(request, "")
        assert store.claim(key, 5)  # Another worker is rendering "/".

        def other_worker():
            time.sleep(0.2)
            store.set_many({key: (b"rendered by the other worker", (), "", None, None)})

        worker = threading.Thread(target=other_worker)
        worker.start()
        response = client.get("/")
        worker.join()
        assert response.content == b"rendered by the other worker"

    def test_a_render_that_stores_nothing_releases_the_waiters(self, client, article):
        request = RequestFactory().get("/")
        key = reader_page(request).key(request, "")
        assert store.claim(key, 5)
        store.release(key)  # As a 404 would: claimed, then released without an entry.
        assert "Original title" in page(client, "/")

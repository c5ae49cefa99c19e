"""Headers for a front-end cache, and purges that never break a save."""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone
from django.utils.cache import get_max_age

from articles.caching import frontend
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def directives(response):
    return dict(part.strip().partition("=")[::2] for part in response["Cache-Control"].split(","))


def test_no_shared_caching_unless_configured(client):
    ArticleFactory()
    response = client.get("/")
    assert "s-maxage" not in response["Cache-Control"]
    assert "Surrogate-Key" not in response


def test_shared_lifetimes_and_surrogate_keys(client, settings):
    settings.PAGE_S_MAXAGE, settings.PAGE_STALE_WHILE_REVALIDATE = 300, 30
    article = ArticleFactory()
    home = client.get("/")
    assert directives(home)["s-maxage"] == "300"
    assert directives(home)["stale-while-revalidate"] == "30"
    assert get_max_age(home) == 0  # Browsers still revalidate.
    assert home["Surrogate-Key"] == "site lists"
    keys = client.get(article.get_absolute_url())["Surrogate-Key"]
    assert keys == f"site {frontend.article_key(article.slug)}"


def test_a_scheduled_publication_bounds_the_shared_lifetime(client, settings):
    # Nobody purges when a scheduled article's time comes: the edge must ask by then.
    settings.PAGE_S_MAXAGE, settings.PAGE_STALE_WHILE_REVALIDATE = 300, 30
    coming = ArticleFactory(published_at=timezone.now() + timedelta(seconds=100))
    ArticleFactory()
    shared = directives(client.get("/"))
    assert int(shared["s-maxage"]) + int(shared["stale-while-revalidate"]) <= 100
    # Served from the page cache a minute later, the lifetime has shrunk with it.
    later = coming.published_at - timedelta(seconds=40)
    with mock.patch("django.utils.timezone.now", return_value=later):
        shared = directives(client.get("/"))
    assert int(shared["s-maxage"]) + int(shared["stale-while-revalidate"]) <= 40


def test_a_failed_purge_is_logged_and_the_save_stands(
    settings, caplog, django_capture_on_commit_callbacks
):
    settings.FRONTEND_CACHES = ["varnish+http://127.0.0.1:9"]  # Nothing listens there.
    settings.PURGE_REPEAT_SECONDS = 0
    article = ArticleFactory(title="Saved anyway")
    article.title = "Saved again"
    with django_capture_on_commit_callbacks(execute=True):
        article.save()
    assert "Could not purge" in caplog.text
    article.refresh_from_db()
    assert article.title == "Saved again"


def test_an_unknown_front_end_cache_is_named(settings):
    settings.FRONTEND_CACHES = ["squid://127.0.0.1:3128"]
    with pytest.raises(ValueError, match="squid"):
        frontend.frontend_caches()

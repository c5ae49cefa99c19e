"""The content token's copy in Redis never runs ahead of, or lags behind, a committed change."""

import socket
import uuid

import pytest

from articles.caching.freshness import bump_content_generation, read_token
from articles.caching.token_mirror import mirror_get, mirror_offer

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_cache(settings):
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        pytest.skip("No Redis at 127.0.0.1:6379: start redis-server to test the token's copy.")
    settings.CACHES = {
        "default": {
            "BACKEND": "articles.caching.backend.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:6379/14",
            "KEY_PREFIX": f"inkstone-test-{uuid.uuid4().hex}",
        }
    }


def test_a_read_fills_the_copy(redis_cache):
    assert mirror_get() is None
    token = read_token()
    assert mirror_get()[0] == token.value


def test_a_bump_drops_the_copy_before_commit_and_replaces_it_after(
    redis_cache, django_capture_on_commit_callbacks
):
    before = read_token()
    with django_capture_on_commit_callbacks(execute=True):
        bump_content_generation()
        # Not committed yet: nobody may trust a copy from before this change.
        assert mirror_get() is None
        # A reader that fetched the old row now cannot plant it as the copy for long:
        mirror_offer(before.value, before.changed_at, None)
    assert mirror_get()[0] == before.value + 1
    assert read_token().value == before.value + 1


def test_an_older_row_never_replaces_a_newer_copy(redis_cache):
    mirror_offer(7, None, None)
    mirror_offer(6, None, None)
    assert mirror_get()[0] == 7


def test_no_copy_without_redis():
    read_token()
    assert mirror_get() is None

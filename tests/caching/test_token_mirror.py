"""The content token's copy in Redis never runs ahead of, or lags behind, a committed change."""

import socket
import uuid

import pytest

from articles.caching.mirror import TokenRow, mirror_get, mirror_offer
from articles.caching.token import move_token, read_token

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
    assert mirror_get()[:2] == (token.epoch, token.value)


def test_a_bump_drops_the_copy_before_commit_and_replaces_it_after(
    redis_cache, django_capture_on_commit_callbacks
):
    before = read_token()
    with django_capture_on_commit_callbacks(execute=True):
        move_token()
        # Not committed yet: nobody may trust a copy from before this change.
        assert mirror_get() is None
        # A reader that fetched the old row now cannot plant it as the copy for long:
        mirror_offer(row(before.epoch, before.value, before.comments))
    assert mirror_get().value == before.value + 1
    assert read_token().value == before.value + 1


def row(epoch, value, comments=1):
    return TokenRow(epoch, value, comments, 1, 1, {}, None, None)


def test_an_older_row_never_replaces_a_newer_copy(redis_cache):
    mirror_offer(row(1, 7))
    mirror_offer(row(1, 6, comments=9))
    assert mirror_get()[1:3] == (7, 1)


def test_a_comment_change_is_a_newer_row(redis_cache):
    # It moves comments alone: with the same value, more comments is later.
    mirror_offer(row(1, 7, comments=2))
    mirror_offer(row(1, 7, comments=3))
    assert mirror_get()[1:3] == (7, 3)
    mirror_offer(row(1, 7, comments=2))
    assert mirror_get()[1:3] == (7, 3)


def test_a_comment_change_drops_and_replaces_the_copy(
    redis_cache, django_capture_on_commit_callbacks
):
    before = read_token()
    with django_capture_on_commit_callbacks(execute=True):
        move_token(reach="comments", article="some-article")
        assert mirror_get() is None
        mirror_offer(row(before.epoch, before.value, before.comments))
    after = mirror_get()
    assert (after.value, after.comments) == (before.value, before.comments + 1)
    assert after.edits == {"some-article": {"m": f"c{before.comments + 1}", "e": 0, "id": None}}


def test_only_a_write_brings_a_new_epoch(redis_cache):
    mirror_offer(row(1, 7))
    mirror_offer(row(2, 3))  # a reader's row from before a restore, or after
    assert mirror_get()[:2] == (1, 7)
    mirror_offer(row(2, 3), written=True)  # the restore's own move
    assert mirror_get()[:2] == (2, 3)


def test_no_copy_without_redis():
    read_token()
    assert mirror_get() is None

"""A full, read-only or garbled Redis, and made-up query strings, against a real redis-server.

The server is one of our own with a tiny `maxmemory` and `noeviction`, so
writes fail with OutOfMemoryError as they would on a production Redis that
was given no eviction policy (docs/deployment.md, "Redis").
"""

import socket
import threading

import pytest
import redis
from django.core.cache import cache

from tests.factories import ArticleFactory
from tests.services import ThrowawayRedis

pytestmark = pytest.mark.django_db

PAGES = ["/", "/search/?q=kernel", "/tags/floats/"]


def use_redis(settings, url):
    settings.CACHES = {
        "default": {
            "BACKEND": "articles.caching.backend.ResilientRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


@pytest.fixture
def small_redis(settings):
    server = ThrowawayRedis("--maxmemory", "2mb", "--maxmemory-policy", "noeviction").start()
    use_redis(settings, server.url)
    yield server, redis.Redis.from_url(server.url)
    server.stop()


@pytest.fixture
def articles():
    return [ArticleFactory(title=f"Kernel notes {n}", tags=["floats"]) for n in range(3)]


def fill(direct):
    """Write junk until Redis refuses with OutOfMemoryError."""
    chunk = b"x" * 64 * 1024
    with pytest.raises(redis.exceptions.OutOfMemoryError):
        for number in range(1000):
            direct.set(f"junk:{number}", chunk)


def page_keys(direct):
    # Listings are "listing_page" entries (articles/caching/shown.py).
    return sorted(key for key in direct.keys("*") if b":listing_page:" in key or b":page:" in key)


def test_tracking_parameters_never_add_a_cache_entry(small_redis, articles, client):
    _, direct = small_redis
    assert client.get("/").status_code == 200
    before = page_keys(direct)
    assert len(before) == 1
    for number in range(50):
        response = client.get(f"/?utm_source=mail{number}&fbclid={number}&x={number}")
        assert response.status_code == 200
    assert page_keys(direct) == before


def test_known_parameters_are_keyed_canonically(small_redis, articles, client, settings):
    _, direct = small_redis
    # Two pages and a bit, whatever ARTICLES_PER_PAGE is.
    for number in range(2 * settings.ARTICLES_PER_PAGE):
        ArticleFactory(title=f"Filler {number}")
    for path in ("/?page=2", "/?page=0002", "/?utm_medium=x&page=2", "/?page=1&page=2"):
        assert client.get(path).status_code == 200, path
    assert len(page_keys(direct)) == 1
    # The page itself never repeats a parameter it ignored.
    body = client.get("/?utm_campaign=spring&page=2").content.decode()
    assert "utm_campaign" not in body
    assert "?page=3" in body
    for path in ("/search/?q=kernel", "/search/?utm_source=x&q=kernel"):
        assert client.get(path).status_code == 200
    assert len(page_keys(direct)) == 2


def test_full_redis_is_a_miss_not_a_500(small_redis, articles, client):
    _, direct = small_redis
    fill(direct)
    for path in PAGES:
        assert client.get(path).status_code == 200, path
        assert client.get(path + ("&" if "?" in path else "?") + "utm=1").status_code == 200
    cache.set("greeting", "hello")  # Skipped, not raised.
    assert cache.add("other", 1) is False
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert cache.get_or_set("computed", lambda: 42) == 42
    # Redis freed: the cache is used again.
    direct.flushall()
    cache.set("greeting", "back")
    assert cache.get("greeting") == "back"


def test_read_only_redis_is_a_miss_not_a_500(small_redis, articles, client):
    server, direct = small_redis
    # A replica of a primary that is not there: Redis answers READONLY to writes.
    direct.replicaof("127.0.0.1", server.port + 1 if server.port < 65535 else server.port - 1)
    try:
        with pytest.raises(redis.exceptions.ReadOnlyError):
            direct.set("probe", 1)
        for path in PAGES:
            assert client.get(path).status_code == 200, path
        cache.set("greeting", "hello")
        assert cache.get("greeting") is None
    finally:
        direct.replicaof("NO", "ONE")


def test_garbled_values_are_misses(small_redis, articles, client):
    _, direct = small_redis
    assert client.get("/").status_code == 200
    for key in direct.keys("*"):
        direct.set(key, b"\x80\x05not a pickle")
    assert cache.get("missing") is None
    cache.set("greeting", "hello")
    direct.set(cache.make_and_validate_key("greeting"), b"\x80\x05garbage")
    assert cache.get("greeting", "fallback") == "fallback"
    assert cache.get_many(["greeting"]) == {}
    with pytest.raises(ValueError):
        cache.incr("greeting")
    for path in PAGES:
        assert client.get(path).status_code == 200, path


@pytest.fixture
def garbage_server(settings):
    """A TCP server that answers every command with bytes that are not RESP."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            with conn:
                try:
                    conn.settimeout(1)
                    while conn.recv(4096):
                        conn.sendall(b"?? not redis ??\r\n")
                except OSError:
                    pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    use_redis(settings, f"redis://127.0.0.1:{listener.getsockname()[1]}/0")
    yield
    stop.set()
    thread.join(timeout=5)
    listener.close()


def test_a_server_replying_garbage_is_a_miss(garbage_server, articles, client):
    assert cache.get("greeting", "fallback") == "fallback"
    cache.set("greeting", "hello")
    assert cache.ping() is False
    for path in PAGES:
        assert client.get(path).status_code == 200, path

"""Database and Redis outages against real servers the tests stop and restart (docs/security.md)."""

import json
import tempfile
import time

import pytest
import redis
from django.core.cache import cache
from django.db import OperationalError
from django.test import RequestFactory

from site_config import faults
from tests.services import (
    Gunicorn,
    ThrowawayPostgres,
    ThrowawayRedis,
    fetch,
    manage,
    production_env,
    wait_for,
)

PUBLIC_PATHS = ["/", "/articles/no-such-article/", "/categories/none/"]


@pytest.fixture(scope="module")
def postgres():
    """A migrated database on a cluster this module owns, plus collected static files."""
    cluster = ThrowawayPostgres().init().start()
    static_root = tempfile.mkdtemp(prefix="inkstone-static-")
    try:
        cluster.create_database("inkstone")
        env = production_env(DATABASE_URL=cluster.url(), STATIC_ROOT=static_root)
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")
        yield cluster, env
    finally:
        cluster.destroy()


@pytest.fixture
def site(postgres):
    _, env = postgres
    server = Gunicorn(env)
    yield server
    server.stop()


def timed_fetch(url):
    started = time.monotonic()
    status, headers, body = fetch(url, timeout=10)
    return status, headers, body, time.monotonic() - started


def test_database_down_answers_503_fast_and_recovers(postgres, site, capsys):
    cluster, _ = postgres
    for path in PUBLIC_PATHS:
        assert fetch(site.url(path))[0] in (200, 404)
    assert fetch(site.url("/healthz"))[0] == 200

    cluster.stop()
    try:
        timings = []
        for path in PUBLIC_PATHS:
            status, headers, body, elapsed = timed_fetch(site.url(path))
            timings.append(elapsed)
            assert status == 503, body
            assert headers["Retry-After"] == str(faults.RETRY_AFTER_SECONDS)
            assert "taking a short break" in body
            assert "script-src" not in headers["Content-Security-Policy"]
            # A connect timeout, not a hang.
            assert elapsed < 2.0
        status, _, body, elapsed = timed_fetch(site.url("/healthz"))
        timings.append(elapsed)
        assert status == 503
        assert json.loads(body)["database"] == "error"
        with capsys.disabled():
            print(f"\n[faults] database down: 503 in {max(timings) * 1000:.0f} ms at most")
        assert site.process.poll() is None
    finally:
        cluster.start()

    # The same process, and the same worker, serves again without a restart.
    assert wait_for(lambda: fetch(site.url("/"))[0] == 200, timeout=15)
    for path in PUBLIC_PATHS:
        assert fetch(site.url(path))[0] in (200, 404)
    health = json.loads(fetch(site.url("/healthz"))[2])
    assert health == {"status": "ok", "database": "ok", "cache": "ok"}
    assert site.worker_boots() == 1


@pytest.fixture
def redis_server():
    server = ThrowawayRedis().start()
    yield server
    server.stop()


def test_redis_down_serves_uncached_and_recovers(postgres, redis_server):
    _, env = postgres
    site = Gunicorn({**env, "REDIS_URL": redis_server.url})
    try:
        assert fetch(site.url("/"))[0] == 200
        assert json.loads(fetch(site.url("/healthz"))[2])["cache"] == "ok"

        redis_server.stop()
        for path in PUBLIC_PATHS:
            assert fetch(site.url(path))[0] in (200, 404)
        # Pages keep serving; /healthz reports the cache as the failing part.
        status, _, body = fetch(site.url("/healthz"))
        assert status == 503
        assert json.loads(body) == {"status": "error", "database": "ok", "cache": "error"}

        redis_server.start()
        assert wait_for(
            lambda: json.loads(fetch(site.url("/healthz"))[2])["cache"] == "ok", timeout=10
        )
        assert fetch(site.url("/"))[0] == 200
        assert site.worker_boots() == 1
    finally:
        site.stop()


@pytest.mark.django_db
def test_cache_backend_degrades_to_misses_and_comes_back(redis_server, settings, client):
    settings.CACHES = {
        "default": {
            "BACKEND": "articles.caching.backend.ResilientRedisCache",
            "LOCATION": redis_server.url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    direct = redis.Redis.from_url(redis_server.url)
    cache.set("greeting", "hello")
    assert cache.get("greeting") == "hello"

    redis_server.stop()
    assert cache.get("greeting") is None
    assert cache.get("greeting", "fallback") == "fallback"
    cache.set("greeting", "ignored")
    assert cache.add("other", 1) is False
    assert cache.get_many(["greeting", "other"]) == {}
    assert cache.get_or_set("computed", lambda: 42) == 42
    assert cache.delete("greeting") is False
    with pytest.raises(ValueError):
        cache.incr("counter")
    assert cache.ping() is False
    assert client.get("/").status_code == 200

    redis_server.start()
    cache.set("greeting", "back")
    assert cache.get("greeting") == "back"
    assert direct.keys("*greeting*")
    assert cache.ping() is True


def test_server_error_handler_turns_database_errors_into_503(rf: RequestFactory):
    request = rf.get("/")
    try:
        raise OperationalError("connection refused")
    except OperationalError:
        response = faults.server_error(request)
    assert response.status_code == 503
    assert response["Retry-After"] == str(faults.RETRY_AFTER_SECONDS)
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]

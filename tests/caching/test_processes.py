"""No stale page across processes: two app processes, with and without a shared Redis."""

import json
import os
import socket
import subprocess
import sys
import uuid
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from articles.models import Article
from tests.factories import ArticleFactory, UserFactory
from tests.services import empty_database, server_url

REPO = Path(__file__).resolve().parents[2]
REDIS = ("127.0.0.1", 6379)
# A database number of our own, and a random prefix: other people's tests may share Redis.
REDIS_URL = "redis://127.0.0.1:6379/14"

# Committed data, visible to the worker processes (conftest puts the role groups back).
pytestmark = pytest.mark.django_db(transaction=True)


def redis_available():
    try:
        socket.create_connection(REDIS, timeout=1).close()
    except OSError:
        return False
    return True


class Worker:
    def __init__(self, redis_url=None, prefix=None, database=None):
        env = {**os.environ, "DEBUG": "true", "DATABASE_URL": server_url(database)}
        env.pop("REDIS_URL", None)
        if redis_url:
            env.update(REDIS_URL=redis_url, CACHE_KEY_PREFIX=prefix)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.page_worker"],
            cwd=REPO,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def get(self, path):
        self.process.stdin.write(path + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        assert line, "the worker process died"
        answer = json.loads(line)
        return answer["status"], answer["body"]

    def stop(self):
        self.process.stdin.close()
        self.process.wait(timeout=30)


@pytest.fixture(params=["memory", "redis"])
def workers(request, settings):
    if request.param == "redis" and not redis_available():
        pytest.skip("No Redis at 127.0.0.1:6379: start redis-server to test the shared cache.")
    redis_url = REDIS_URL if request.param == "redis" else None
    prefix = f"inkstone-test-{uuid.uuid4().hex}"
    if redis_url:
        # The writer (this process, standing in for an admin's server) shares
        # the cache too, as every app server of a deployment does: its changes
        # must drop the token's copy in Redis (articles/caching/mirror.py).
        settings.CACHES = {
            "default": {
                "BACKEND": "articles.caching.backend.ResilientRedisCache",
                "LOCATION": redis_url,
                "KEY_PREFIX": prefix,
            }
        }
    pair = [Worker(redis_url, prefix), Worker(redis_url, prefix)]
    yield request.param, pair
    for worker in pair:
        worker.stop()


def body(worker, path):
    status, html = worker.get(path)
    assert status == 200, path
    return html


def test_no_stale_page_in_either_process(workers):
    kind, (first, second) = workers
    author = UserFactory(first_name="Ada", last_name="Lovelace")
    article = ArticleFactory(title="Original title", author=author, tags=["floats"])
    paths = ["/", article.get_absolute_url(), "/feed/", "/tags/floats/"]
    for worker in (first, second):
        for path in paths:
            assert "Original title" in body(worker, path)

    # Each process now holds cached copies. A change made elsewhere (here, the
    # test process: an admin's save on a third server) must reach both.
    article.title = "Edited title"
    article.save()
    for worker in (first, second):
        for path in paths:
            assert "Edited title" in body(worker, path), (kind, path)

    author.last_name = "King"
    author.save()
    for worker in (first, second):
        assert "Ada King" in body(worker, "/")

    article.status = Article.Status.DRAFT
    article.save()
    for worker in (first, second):
        assert "Edited title" not in body(worker, "/")
        assert first.get(article.get_absolute_url())[0] == 404


def test_processes_share_redis_but_not_memory(workers):
    kind, (first, second) = workers
    article = ArticleFactory(title="Original title")
    assert "Original title" in body(first, "/")
    # Changed with raw SQL, telling nobody: only a process that renders afresh can see it.
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Article._meta.db_table} SET title = %s WHERE id = %s",
            ["Changed behind the cache", article.pk],
        )
    seen_by_second = body(second, "/")
    if kind == "redis":
        assert "Original title" in seen_by_second  # the first process's entry, shared
    else:
        assert "Changed behind the cache" in seen_by_second  # its own memory, empty


@pytest.fixture
def restored_database():
    """An empty database on the test server, for a restore; dropped afterwards."""
    with empty_database("_restored") as name:
        yield name


def test_a_restore_sharing_redis_serves_no_page_of_the_old_database(
    tmp_path, settings, restored_database
):
    if not redis_available():
        pytest.skip("No Redis at 127.0.0.1:6379: start redis-server to test the shared cache.")
    settings.MEDIA_ROOT = tmp_path / "media"
    prefix = f"inkstone-test-{uuid.uuid4().hex}"
    article = ArticleFactory(title="In the backup")
    call_command("backup", output=tmp_path / "backup", stdout=StringIO())
    # After the backup the old database moves on; its pages fill the shared cache.
    article.title = "Only in the old database"
    article.save()
    old = Worker(REDIS_URL, prefix)
    try:
        assert "Only in the old database" in body(old, "/")
    finally:
        old.stop()
    # The restored rows carry the token of the backup's moment, one step behind:
    # the restore's own move would land exactly on the old database's token.
    env = {
        **os.environ,
        "DATABASE_URL": server_url(restored_database),
        "MEDIA_ROOT": str(tmp_path / "restored-media"),
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": prefix,
    }
    restore = subprocess.run(
        [sys.executable, "manage.py", "restore", str(tmp_path / "backup")],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert restore.returncode == 0, restore.stderr
    new = Worker(REDIS_URL, prefix, database=restored_database)
    try:
        html = body(new, "/")
    finally:
        new.stop()
    assert "In the backup" in html
    assert "Only in the old database" not in html

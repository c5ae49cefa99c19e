"""A database that stops answering (SIGSTOP) gives the 503 page within seconds.

A stopped server refuses connections at once; a frozen one accepts and
acknowledges TCP but never answers, which only a client-side time limit can
notice (site_config/postgres/, docs/deployment.md).
"""

import contextlib
import os
import signal
import time
from pathlib import Path

import pytest

from site_config import faults
from site_config.postgres.base import query_timeout
from tests.services import (
    Gunicorn,
    fetch,
    production_site,
    wait_for,
)

READER_TIMEOUT = 2.0


def cluster_pids(cluster):
    """Return the postmaster's pid and its children's (the backends serving our connections)."""
    postmaster = int((cluster.data / "postmaster.pid").read_text().split()[0])
    pids = [postmaster]
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == postmaster:
            pids.append(int(stat.parent.name))
    return pids


def signal_all(pids, number):
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, number)


@pytest.fixture(scope="module")
def postgres():
    with production_site(DB_READER_TIMEOUT=str(READER_TIMEOUT)) as site:
        yield site


def timed_fetch(url):
    started = time.monotonic()
    status, headers, body = fetch(url, timeout=40)
    return status, headers, body, time.monotonic() - started


def test_frozen_database_answers_503_within_seconds_and_recovers(postgres, capsys):
    cluster, env = postgres
    site = Gunicorn(env)
    try:
        # Open the worker's persistent connection while the database answers.
        assert fetch(site.url("/"))[0] == 200
        pids = cluster_pids(cluster)
        signal_all(pids, signal.SIGSTOP)
        try:
            timings = []
            for path in ["/", "/articles/none/", "/"]:
                status, headers, body, elapsed = timed_fetch(site.url(path))
                timings.append(elapsed)
                assert status == 503, body
                assert headers["Retry-After"] == str(faults.RETRY_AFTER_SECONDS)
                assert "taking a short break" in body
                # The reader limit plus a connect timeout at most, never the worker's 30 s.
                assert elapsed < READER_TIMEOUT + 4, elapsed
            with capsys.disabled():
                print(f"\n[faults] database frozen: 503 in {max(timings):.1f} s at most")
            assert site.process.poll() is None
        finally:
            signal_all(pids, signal.SIGCONT)
        assert wait_for(lambda: fetch(site.url("/"))[0] == 200, timeout=20)
        # The same worker throughout: none was killed for hanging.
        assert site.worker_boots() == 1
    finally:
        site.stop()


def test_admin_requests_may_wait_longer_than_readers(rf, settings):
    settings.DB_READER_TIMEOUT, settings.DB_ADMIN_TIMEOUT = 3.0, 20.0
    seen = {}

    def view(request):
        seen[request.path] = query_timeout.get()
        return None

    middleware = faults.DatabaseUnavailableMiddleware(view)
    for path in ("/", "/feed/", f"/{settings.ADMIN_PATH}articles/", "/admin-tools/markdownx/"):
        middleware(rf.get(path))
    assert seen == {
        "/": 3.0,
        "/feed/": 3.0,
        f"/{settings.ADMIN_PATH}articles/": 20.0,
        "/admin-tools/markdownx/": 20.0,
    }
    assert query_timeout.get() is None  # Commands and other code outside requests: no limit.

"""Behind a real Varnish with docs/varnish.vcl: pages cached at the edge and never stale.

Starts Debian's varnishd in front of a live server. Skips without varnishd
(`apt-get install varnish`; .ci/run installs it), and fails instead under CI=true.
"""

import http.client
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from articles.comments.moderation import moderate
from articles.models import Article, Comment
from tests.factories import ArticleFactory, draft

pytestmark = pytest.mark.django_db(transaction=True)

VCL = Path(__file__).resolve().parents[2] / "docs" / "varnish.vcl"
FRESH_WITHIN = 1.0  # seconds
# Debian installs varnishd in /usr/sbin, which a user's PATH may lack.
SBIN = "/usr/local/sbin:/usr/sbin"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def varnish(live_server, tmp_path, settings):
    varnishd = shutil.which("varnishd") or shutil.which("varnishd", path=SBIN)
    if varnishd is None:
        message = "varnishd is not installed: apt-get install varnish"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true: {message}", pytrace=False)
        pytest.skip(f"Varnish purge tests skipped: {message}")
    backend = urlsplit(live_server.url)
    host = "127.0.0.1" if backend.hostname == "localhost" else backend.hostname
    vcl = VCL.read_text().replace('"127.0.0.1"', f'"{host}"', 1)
    vcl = vcl.replace('.port = "8000"', f'.port = "{backend.port}"')
    (tmp_path / "site.vcl").write_text(vcl)
    port = free_port()
    process = subprocess.Popen(
        [varnishd, "-F", "-j", "none", "-n", str(tmp_path / "varnish"), "-T", "none",
         "-a", f"127.0.0.1:{port}", "-f", str(tmp_path / "site.vcl"),
         "-p", "http_gzip_support=off", "-s", "malloc,32m"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    settings.ALLOWED_HOSTS = ["*"]
    settings.PAGE_S_MAXAGE = 300
    settings.PAGE_STALE_WHILE_REVALIDATE = 30
    settings.FRONTEND_CACHES = [f"varnish+http://127.0.0.1:{port}"]
    settings.PURGE_REPEAT_SECONDS = 0
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"varnishd did not start: {process.stderr.read().decode()}")
            time.sleep(0.1)
    yield port
    process.terminate()
    process.wait(timeout=20)


class Edge:
    def __init__(self, port):
        self.port = port

    def get(self, path, **headers):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def hit(self, path):
        status, headers, _body = self.get(path)
        return status == 200 and headers.get("X-Cache") == "HIT"

    def warm(self, path):
        self.get(path)
        assert self.hit(path), path

    def fresh(self, path, check):
        """Return once `check(status, body)` holds through Varnish, failing after FRESH_WITHIN."""
        started = time.monotonic()
        while True:
            status, _headers, body = self.get(path)
            if check(status, body.decode()):
                return time.monotonic() - started
            if time.monotonic() - started > FRESH_WITHIN:
                pytest.fail(f"{path} still stale after {FRESH_WITHIN} s: {status}")
            time.sleep(0.05)


def test_publish_edit_and_unpublish_through_varnish(varnish):
    edge = Edge(varnish)
    steady = ArticleFactory(title="Steady article", body="Never edited.")
    edited = ArticleFactory(title="Edited article", body="The first body.")
    pages = ["/", steady.get_absolute_url(), edited.get_absolute_url(), "/feed/"]
    for path in pages:
        status, headers, _body = edge.get(path)
        assert headers["X-Cache"] == "MISS"
        assert "s-maxage=300" in headers["Cache-Control"]
        assert "Surrogate-Key" not in headers  # For bans only.
        status, headers, _body = edge.get(path)
        assert (status, headers["X-Cache"]) == (200, "HIT"), path
        assert "Age" in headers

    # Publish: it shows everywhere (every article page lists the newest).
    waiting = draft(title="Newly published")
    waiting.status = Article.Status.PUBLISHED
    waiting.save()
    edge.fresh("/", lambda status, body: "Newly published" in body)
    edge.fresh(steady.get_absolute_url(), lambda status, body: "Newly published" in body)
    for path in pages:
        edge.warm(path)

    # An edit of one article's body: its page and the listings change, nothing else.
    edited.body = "The second body."
    edited.save()
    edge.fresh(edited.get_absolute_url(), lambda status, body: "The second body" in body)
    assert edge.hit(steady.get_absolute_url())
    edge.fresh("/feed/", lambda status, body: "The second body" in body)
    assert edge.hit(steady.get_absolute_url())

    # Unpublish: gone from its URL and from every listing.
    edited.status = Article.Status.DRAFT
    edited.save()
    edge.fresh(edited.get_absolute_url(), lambda status, body: status == 404)
    edge.fresh("/", lambda status, body: "Edited article" not in body)
    edge.fresh(steady.get_absolute_url(), lambda status, body: "Edited article" not in body)


def test_a_comment_through_varnish(varnish):
    edge = Edge(varnish)
    discussed = ArticleFactory(title="Discussed article")
    steady = ArticleFactory(title="Steady article")
    recent = reverse("articles:comments_feed")
    for path in ("/", steady.get_absolute_url(), discussed.get_absolute_url(), recent):
        edge.get(path)
        edge.warm(path)
    comment = Comment.objects.create(article=discussed, name="Lin", body="Seen at the edge")
    moderate(comment, "approve")
    edge.fresh(discussed.get_absolute_url(), lambda status, body: "Seen at the edge" in body)
    edge.fresh(recent, lambda status, body: "Seen at the edge" in body)
    # Nothing else shows comments: the rest stays at the edge.
    assert edge.hit("/")
    assert edge.hit(steady.get_absolute_url())


def test_varnish_keeps_one_variant_per_encoding(varnish):
    edge = Edge(varnish)
    ArticleFactory(title="Compressed at the edge", body="Text. " * 300)
    for accept, expected in (("gzip, deflate, br", "br"), ("gzip", "gzip"), ("", None)):
        for attempt in ("MISS", "HIT"):
            _status, headers, _body = edge.get("/", **{"Accept-Encoding": accept})
            assert headers["X-Cache"] == attempt, accept
            assert headers.get("Content-Encoding") == expected, accept
            assert "Accept-Encoding" in headers["Vary"]


def test_staff_pass_through_varnish(varnish, editor_client):
    edge = Edge(varnish)
    ArticleFactory(title="Public")
    session = editor_client.cookies["sessionid"].value
    for _attempt in range(2):
        _status, headers, _body = edge.get("/", Cookie=f"sessionid={session}")
        assert headers["X-Cache"] == "MISS"
        assert "s-maxage" not in headers.get("Cache-Control", "")

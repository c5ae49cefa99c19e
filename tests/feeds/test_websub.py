"""WebSub pings against a real hub on 127.0.0.1 (docs/feeds.md).

These tests commit for real (transaction=True): pings go out only after a
commit, and the background thread reads the queue over its own connection.
"""

import io
import logging
import socket
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from articles.feeds import websub
from articles.models import Article, WebSubPing
from tests.factories import ArticleFactory, CategoryFactory, draft

pytestmark = pytest.mark.django_db(transaction=True)

SITE = "https://ink.example.org"
WAIT_SECONDS = 20


class Hub:
    """A minimal WebSub hub: records publish notifications and answers with `status`."""

    def __init__(self, port=0):
        self.requests = []
        self.status = 204
        self.hold = None  # an Event the handler waits for before answering
        self.held_too_long = False
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                form = parse_qs(self.rfile.read(length).decode())
                hub.requests.append({"content_type": self.headers["Content-Type"], **form})
                if hub.hold is not None and not hub.hold.wait(WAIT_SECONDS):
                    hub.held_too_long = True
                self.send_response(hub.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hub"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def topics(self):
        return sorted(url for request in self.requests for url in request["hub.url"])

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hub_settings(settings):
    settings.SITE_URL = SITE
    return settings


@pytest.fixture
def hub(hub_settings):
    server = Hub()
    hub_settings.WEBSUB_HUB_URL = server.url
    yield server
    websub.join_deliveries(WAIT_SECONDS)
    server.close()


@pytest.fixture
def closed_port():
    """Return a port on 127.0.0.1 where nothing listens (the hub is down)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def publish(**kwargs):
    """Create a published article the way the admin does: one transaction, tags included."""
    with transaction.atomic():
        article = ArticleFactory(**kwargs)
    websub.join_deliveries(WAIT_SECONDS)
    return article


def site_feeds():
    return [f"{SITE}/feed/", f"{SITE}/feed/atom/", f"{SITE}/feed/json/"]


def author_feeds(article):
    name = article.author.username
    return [f"{SITE}/authors/{name}/feed/", f"{SITE}/authors/{name}/feed/atom/"]


def test_publishing_pings_every_affected_feed_after_commit(hub):
    parent = CategoryFactory(slug="ml")
    child = CategoryFactory(slug="transformers", parent=parent)
    with transaction.atomic():
        article = ArticleFactory(category=child, tags=["python", "深度学习"])
        # Inside the transaction nothing is sent: the hub would fetch the old feed.
        assert hub.requests == []
    websub.join_deliveries(WAIT_SECONDS)

    expected = site_feeds() + author_feeds(article)
    for slug in ("ml", "transformers"):
        expected += [f"{SITE}/categories/{slug}/feed/", f"{SITE}/categories/{slug}/feed/atom/"]
    for slug in ("python", "%E6%B7%B1%E5%BA%A6%E5%AD%A6%E4%B9%A0"):
        expected += [f"{SITE}/tags/{slug}/feed/", f"{SITE}/tags/{slug}/feed/atom/"]
    assert hub.topics() == sorted(expected)
    for request in hub.requests:
        assert request["hub.mode"] == ["publish"]
        assert request["content_type"] == "application/x-www-form-urlencoded"
    assert not WebSubPing.objects.exists()


def test_updating_a_published_article_pings_again(hub):
    article = publish()
    hub.requests.clear()
    with transaction.atomic():
        article.body = "Corrected."
        article.save()
    websub.join_deliveries(WAIT_SECONDS)
    assert hub.topics() == sorted(site_feeds() + author_feeds(article))


def test_drafts_and_scheduled_articles_do_not_ping(hub):
    with transaction.atomic():
        draft()
        ArticleFactory(published_at=timezone.now() + timedelta(days=1))
    websub.join_deliveries(WAIT_SECONDS)
    assert hub.requests == []
    assert not WebSubPing.objects.exists()


def test_unpublishing_pings_because_the_feeds_lose_an_item(hub):
    article = publish()
    hub.requests.clear()
    with transaction.atomic():
        article.status = Article.Status.DRAFT
        article.save()
    websub.join_deliveries(WAIT_SECONDS)
    assert f"{SITE}/feed/" in hub.topics()


def test_a_rolled_back_save_pings_nothing(hub):
    with pytest.raises(RuntimeError), transaction.atomic():
        ArticleFactory()
        raise RuntimeError("the admin form failed after saving")
    websub.join_deliveries(WAIT_SECONDS)
    assert hub.requests == []
    assert not WebSubPing.objects.exists()


def test_saving_does_not_wait_for_the_hub(hub):
    hub.hold = threading.Event()
    try:
        article = None
        with transaction.atomic():
            article = ArticleFactory()
        # The save has returned while the hub is still holding its answer back.
        assert Article.objects.filter(pk=article.pk).exists()
    finally:
        hub.hold.set()
    websub.join_deliveries(WAIT_SECONDS)
    assert not hub.held_too_long
    assert hub.requests


def test_hub_down_keeps_the_ping_then_retry_delivers_it(hub_settings, closed_port, caplog):
    hub_settings.WEBSUB_HUB_URL = f"http://127.0.0.1:{closed_port}/hub"
    with caplog.at_level(logging.WARNING, logger="articles.feeds.websub"):
        article = publish()

    # Saving succeeded; every feed waits in the queue with a retry time and the reason.
    assert Article.objects.filter(pk=article.pk, status=Article.Status.PUBLISHED).exists()
    pings = list(WebSubPing.objects.order_by("topic_url"))
    assert sorted(ping.topic_url for ping in pings) == sorted(site_feeds() + author_feeds(article))
    assert all(ping.attempts == 1 and ping.last_error for ping in pings)
    assert all(ping.next_attempt_at > timezone.now() for ping in pings)
    assert "WebSub ping for" in caplog.text and "failed (attempt 1)" in caplog.text

    hub = Hub(port=closed_port)
    try:
        # Not due yet: the command leaves them alone.
        call_command("websub_retry", stdout=io.StringIO())
        assert hub.requests == []
        assert WebSubPing.objects.count() == len(pings)

        # Once due (time moved explicitly), the retry delivers and empties the queue.
        WebSubPing.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
        call_command("websub_retry", stdout=io.StringIO())
        assert hub.topics() == sorted(site_feeds() + author_feeds(article))
        assert not WebSubPing.objects.exists()
    finally:
        hub.close()


def test_a_hub_error_is_retried_on_the_next_publish(hub):
    hub.status = 503
    first = publish(tags=["first-tag"])
    assert WebSubPing.objects.filter(topic_url=f"{SITE}/tags/first-tag/feed/").exists()

    hub.status = 204
    hub.requests.clear()
    WebSubPing.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    second = publish(author=first.author)
    assert f"{SITE}/tags/first-tag/feed/" in hub.topics()
    assert not WebSubPing.objects.exists()
    assert second.is_public


def test_retry_now_sends_pings_before_their_time(hub):
    websub.enqueue_pings([f"{SITE}/feed/"])
    WebSubPing.objects.update(next_attempt_at=timezone.now() + timedelta(hours=1))
    call_command("websub_retry", stdout=io.StringIO())
    assert hub.requests == []
    call_command("websub_retry", "--now", stdout=io.StringIO())
    assert hub.topics() == [f"{SITE}/feed/"]


def test_repeated_changes_queue_one_ping_per_feed(hub_settings, closed_port):
    hub_settings.WEBSUB_HUB_URL = f"http://127.0.0.1:{closed_port}/hub"
    websub.enqueue_pings([f"{SITE}/feed/", f"{SITE}/feed/"])
    WebSubPing.objects.update(next_attempt_at=timezone.now() + timedelta(hours=1), attempts=3)
    websub.enqueue_pings([f"{SITE}/feed/"])
    (ping,) = WebSubPing.objects.all()
    assert ping.attempts == 3
    assert ping.next_attempt_at <= timezone.now()


def test_gives_up_after_the_last_attempt(hub_settings, closed_port, caplog):
    hub_settings.WEBSUB_HUB_URL = f"http://127.0.0.1:{closed_port}/hub"
    websub.enqueue_pings([f"{SITE}/feed/"])
    WebSubPing.objects.update(attempts=websub.MAX_ATTEMPTS - 1)
    with caplog.at_level(logging.ERROR, logger="articles.feeds.websub"):
        assert websub.deliver_due_pings() == (0, 1)
    assert not WebSubPing.objects.exists()
    assert "giving up" in caplog.text


def test_retry_delays_grow_and_are_capped():
    delays = [websub.OUTBOX.retry_delay(attempts) for attempts in range(1, 12)]
    assert delays[0] == timedelta(minutes=1)
    assert delays == sorted(delays)
    assert delays[-1] == timedelta(seconds=websub.OUTBOX.max_retry_seconds)


def test_without_a_hub_nothing_is_queued(hub_settings):
    hub_settings.WEBSUB_HUB_URL = None
    publish()
    assert not WebSubPing.objects.exists()
    assert websub.deliver_due_pings() == (0, 0)

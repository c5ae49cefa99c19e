"""Tell a WebSub hub when feeds change, without ever holding up a save.

Saving a public article (or unpublishing one) queues one `WebSubPing` row per
affected feed once the transaction commits, then a background thread posts
them to `WEBSUB_HUB_URL`. A ping that fails stays queued with a growing delay;
the next publish or `manage.py websub_retry` (run it from cron) sends it again.
The rows make the queue durable: a crash between commit and ping loses nothing.
"""

import logging
from urllib.parse import urlencode, urlsplit
from urllib.request import Request, urlopen

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone

from articles.feeds.views import absolute
from articles.models import Article, WebSubPing
from articles.operations.outbox import Outbox

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 5
# Past this many failures the hub is considered gone for this feed; readers still poll.
MAX_ATTEMPTS = 10
# A claimed ping is skipped by other workers this long, enough for its request to finish.
OUTBOX = Outbox(
    WebSubPing, name="websub-ping", batch_size=100, lease_seconds=2 * TIMEOUT_SECONDS + 30
)


def feed_urls_for(article):
    """Return the absolute URL of every feed the article appears in."""
    names = [("articles:feed_rss", {}), ("articles:feed_atom", {}), ("articles:feed_json", {})]
    for tag in sorted(article.tags.all(), key=lambda tag: tag.slug):
        names += [(f"articles:tag_feed_{kind}", {"slug": tag.slug}) for kind in ("rss", "atom")]
    if article.category_id:
        # Category feeds include subcategories, so every ancestor's feed changes too.
        for category in article.category.ancestors():
            names += [
                (f"articles:category_feed_{kind}", {"slug": category.slug})
                for kind in ("rss", "atom")
            ]
    for person in article.byline:
        names += [
            (f"articles:author_feed_{kind}", {"username": person.username})
            for kind in ("rss", "atom")
        ]
    return [absolute(reverse(name, kwargs=kwargs)) for name, kwargs in names]


def enqueue_pings(topic_urls):
    """Queue a ping for each feed URL, making any already queued one due now."""
    now = timezone.now()
    WebSubPing.objects.bulk_create(
        [WebSubPing(topic_url=url, next_attempt_at=now) for url in dict.fromkeys(topic_urls)],
        update_conflicts=True,
        unique_fields=["topic_url"],
        update_fields=["next_attempt_at"],
    )


def post_to_hub(hub_url, topic_url):
    """POST a WebSub publish notification; raise OSError unless the hub answers 2xx."""
    if urlsplit(hub_url).scheme not in ("http", "https"):
        # urlopen would also read file: URLs; a hub is only ever reached over HTTP.
        raise OSError(f"WEBSUB_HUB_URL must be an http(s) URL, not {hub_url!r}")
    data = urlencode({"hub.mode": "publish", "hub.url": topic_url}).encode()
    request = Request(
        hub_url,
        data=data,
        method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    with urlopen(request, timeout=TIMEOUT_SECONDS) as response:
        if not 200 <= response.status < 300:
            raise OSError(f"hub answered {response.status}")


def deliver_due_pings(*, include_future=False):
    """Send every queued ping that is due; return (sent, failed) counts."""
    hub_url = settings.WEBSUB_HUB_URL
    if not hub_url:
        return 0, 0
    sent = failed = 0
    for ping in OUTBOX.claim_due(include_future=include_future):
        try:
            post_to_hub(hub_url, ping.topic_url)
        except OSError as error:
            failed += 1
            _record_failure(ping, error)
        else:
            sent += 1
            ping.delete()
    return sent, failed


def _record_failure(ping, error):
    if ping.attempts + 1 >= MAX_ATTEMPTS:
        logger.error(
            "WebSub ping for %s failed %d times; giving up: %s",
            ping.topic_url,
            ping.attempts + 1,
            error,
        )
        ping.delete()
        return
    OUTBOX.reschedule(ping, error)
    logger.warning(
        "WebSub ping for %s failed (attempt %d), retrying after %s: %s",
        ping.topic_url,
        ping.attempts,
        ping.next_attempt_at.isoformat(),
        error,
    )


def start_delivery():
    """Send due pings on a background thread and return the thread."""
    return OUTBOX.start(deliver_due_pings)


def join_deliveries(timeout=None):
    """Wait for background deliveries to finish (for tests and orderly shutdown)."""
    OUTBOX.join(timeout)


def notify_article_feeds(article_pk):
    """Queue pings for an article's feeds and start sending them."""
    try:
        article = (
            Article.objects.with_byline()
            .select_related("category")
            .prefetch_related("tags")
            .get(pk=article_pk)
        )
        enqueue_pings(feed_urls_for(article))
    except (Article.DoesNotExist, DatabaseError):
        logger.exception("Could not queue WebSub pings for article %s", article_pk)
        return
    start_delivery()


@receiver(post_save, sender=Article, dispatch_uid="websub_ping_after_commit")
def ping_after_commit(sender, instance, raw=False, **kwargs):
    if not settings.WEBSUB_HUB_URL or raw:
        return
    # Unpublishing changes feeds too: Article.save() kept the state before the save.
    before = getattr(instance, "stored_state", None)
    if instance.is_public or (before is not None and before.is_public):
        # After commit: the hub fetches at once and must see the new version.
        # robust: nothing here may turn a saved article into an error page.
        pk = instance.pk
        transaction.on_commit(lambda: notify_article_feeds(pk), robust=True)

"""Durable outboxes: rows that must leave the site after a commit, without anyone waiting.

Comment emails (`articles.comments.outbox`) and WebSub pings (`articles.feeds.websub`)
share one shape. The caller writes a row inside its own transaction; once that commits,
a background thread claims due rows under a lease (so two workers never send the same
row twice), sends them, deletes what went out and reschedules what failed with a
doubling delay. A cron command sends whatever is still due, so a crash or an outage
delays delivery but never loses it. The model needs an `attempts` integer, a
`last_error` text and a `next_attempt_at` datetime.
"""

import logging
import threading
from datetime import timedelta

from django.db import connections, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)


class Outbox:
    def __init__(
        self,
        model,
        *,
        name,
        batch_size,
        lease_seconds,
        first_retry_seconds=60,
        max_retry_seconds=6 * 60 * 60,
    ):
        self.model = model
        self.name = name
        self.batch_size = batch_size
        self.lease_seconds = lease_seconds
        self.first_retry_seconds = first_retry_seconds
        self.max_retry_seconds = max_retry_seconds
        self._threads = []
        self._lock = threading.Lock()

    def retry_delay(self, attempts):
        """Return how long to wait after the given number of failed attempts."""
        seconds = self.first_retry_seconds * 2 ** max(attempts - 1, 0)
        return timedelta(seconds=min(seconds, self.max_retry_seconds))

    def claim_due(self, *, include_future=False):
        """Return up to one batch of due rows, leased so other workers skip them."""
        now = timezone.now()
        with transaction.atomic():
            due = self.model.objects.select_for_update(skip_locked=True)
            due = due.order_by("next_attempt_at")
            if not include_future:
                due = due.filter(next_attempt_at__lte=now)
            rows = list(due[: self.batch_size])
            self.model.objects.filter(pk__in=[row.pk for row in rows]).update(
                next_attempt_at=now + timedelta(seconds=self.lease_seconds)
            )
        return rows

    def reschedule(self, row, error):
        """Count a failed attempt and push the row back by the retry delay."""
        row.attempts += 1
        row.last_error = f"{type(error).__name__}: {error}"[:1000]
        row.next_attempt_at = timezone.now() + self.retry_delay(row.attempts)
        row.save(update_fields=["attempts", "last_error", "next_attempt_at"])

    def start(self, deliver):
        """Run `deliver()` on a background thread and return the thread."""
        thread = threading.Thread(target=self._run, args=(deliver,), name=self.name, daemon=True)
        with self._lock:
            self._threads[:] = [alive for alive in self._threads if alive.is_alive()]
            self._threads.append(thread)
        thread.start()
        return thread

    def join(self, timeout=None):
        """Wait for background deliveries (tests, orderly shutdown)."""
        with self._lock:
            running = list(self._threads)
        for thread in running:
            thread.join(timeout)

    def _run(self, deliver):
        try:
            deliver()
        except Exception:
            logger.exception("%s delivery stopped; queued rows stay queued", self.name)
        finally:
            # This thread's own connection; the request's connection is untouched.
            connections.close_all()

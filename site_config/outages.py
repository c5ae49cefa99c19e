"""Log an outage of the database or Redis as a handful of lines, not one per request.

While a dependency is down every request fails the same way; a traceback per
request buried the logs (hundreds of tracebacks, megabytes, in a 12 s outage).
Each process instead logs, per outage: the first failure with its traceback,
then at most one summary line per OUTAGE_LOG_INTERVAL seconds saying how many
more requests failed, and one line when the dependency answers again
(docs/security.md, "Outages").
"""

import logging
import threading
import time

from django.conf import settings

logger = logging.getLogger("inkstone.outages")


class Outage:
    """The outage state of one dependency in this process."""

    def __init__(self, name):
        self.name = name
        self._lock = threading.Lock()
        self._reset()

    def _reset(self):
        self.started = None
        self.failures = 0
        self.unreported = 0
        self.reported_at = None

    @property
    def active(self):
        return self.started is not None

    def failed(self, error, what="a request"):
        """Record one failure; log it if it starts the outage or an interval has passed."""
        now = time.monotonic()
        with self._lock:
            first = self.started is None
            if first:
                self.started = self.reported_at = now
            else:
                self.unreported += 1
            self.failures += 1
            due = not first and now - self.reported_at >= settings.OUTAGE_LOG_INTERVAL
            if due:
                count, since = self.unreported, now - self.reported_at
                self.unreported, self.reported_at = 0, now
            elapsed = now - self.started
        if first:
            logger.error(
                "%s is unavailable (%s failed: %s); further failures are summarised "
                "every %g s until it answers again.",
                self.name,
                what,
                error,
                settings.OUTAGE_LOG_INTERVAL,
                exc_info=error if isinstance(error, BaseException) else None,
            )
        elif due:
            logger.warning(
                "%s still unavailable after %.0f s: %d more failures in the last %.0f s.",
                self.name,
                elapsed,
                count,
                since,
            )

    def recovered(self):
        """Record a success; log the end of the outage if there was one."""
        if self.started is None:  # The common case, without taking the lock.
            return
        with self._lock:
            if self.started is None:
                return
            elapsed, failures = time.monotonic() - self.started, self.failures
            self._reset()
        logger.warning(
            "%s is available again after %.0f s; %d failures in all.",
            self.name,
            elapsed,
            failures,
        )


DATABASE = Outage("The database")
REDIS = Outage("Redis")


class QuietOutageFilter(logging.Filter):
    """Drop django.request's per-request line for 503 answers: the outage log has them."""

    def filter(self, record):
        return getattr(record, "status_code", None) != 503

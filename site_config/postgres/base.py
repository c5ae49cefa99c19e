"""Django's PostgreSQL backend, with a client-side time limit on every wait for the server.

A frozen server (SIGSTOP, a hung host behind a live kernel) still accepts and
acknowledges TCP, so neither keepalives nor a server-side statement_timeout
ever fire: a query simply waits forever, and gunicorn kills the worker. Here
each wait for the server is bounded by `query_timeout`, which
site_config.faults sets per request (short for readers, longer for the admin;
none for management commands). When it expires the query is cancelled if the
server can take a cancel request, the connection is closed and an
OperationalError raised, which the site answers with its 503 page
(docs/deployment.md, "When the database stops answering").
"""

import contextlib
import contextvars

import psycopg
from django.db.backends.postgresql import base

# Seconds a request may wait for one answer from the server; None: no limit.
query_timeout = contextvars.ContextVar("query_timeout", default=None)
# How long to try cancelling the query that ran out of time.
CANCEL_TIMEOUT = 0.5


class TimedConnection(psycopg.Connection):
    def wait(self, gen, interval=0.1, timeout=None):
        limit = query_timeout.get()
        if timeout is not None or not limit:
            return super().wait(gen, interval=interval, timeout=timeout)
        try:
            return super().wait(gen, interval=interval, timeout=limit)
        except psycopg.errors._WaitTimeout:
            # A slow query on a live server is cancelled, as statement_timeout
            # would; a frozen server cannot take the cancel either, so give up
            # on it quickly. The protocol is mid-exchange: drop the connection.
            with contextlib.suppress(Exception):
                self.cancel_safe(timeout=CANCEL_TIMEOUT)
            self.pgconn.finish()
            raise psycopg.OperationalError(
                f"The database did not answer within {limit:g} s."
            ) from None


class _PsycopgWithTimeouts:
    """The psycopg module as Django's backend sees it, connecting with TimedConnection."""

    connect = staticmethod(TimedConnection.connect)

    def __getattr__(self, name):
        return getattr(psycopg, name)


class DatabaseWrapper(base.DatabaseWrapper):
    Database = _PsycopgWithTimeouts()

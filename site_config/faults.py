"""Answer a friendly 503 instead of a 500 while the database is unreachable (docs/security.md).

A connection attempt fails fast (libpq's connect_timeout is DB_CONNECT_TIMEOUT),
so a page answers within seconds instead of hanging. Django discards the broken
connection at the end of the request and opens a new one on the next, so the
process recovers by itself when the database returns.
"""

import base64
import hashlib
import re
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.db.backends.signals import connection_created
from django.http import HttpResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.views import defaults

from site_config.outages import DATABASE
from site_config.postgres.base import query_timeout

RETRY_AFTER_SECONDS = 30
_STYLE = re.compile(r"<style>(.*?)</style>", re.DOTALL)


def is_database_unavailable(error):
    return isinstance(error, OperationalError | InterfaceError)


def _policy_for(html):
    # The page is self-contained, so its one inline style is allowed by hash and
    # nothing else at all is: no scripts, no requests, no database.
    hashes = " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(m.encode()).digest()).decode()}'"
        for m in _STYLE.findall(html)
    )
    style_src = hashes or "'none'"
    return (
        f"default-src 'none'; style-src {style_src}; base-uri 'none'; "
        "form-action 'none'; frame-ancestors 'none'"
    )


def service_unavailable(request=None):
    """Render templates/503.html without touching the database or context processors."""
    html = loader.get_template("503.html").render({"SITE_NAME": settings.SITE_NAME})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Content-Security-Policy"] = _policy_for(html)
    add_never_cache_headers(response)
    return response


class DatabaseUnavailableMiddleware:
    """Turn a database outage raised by a view into a 503 with Retry-After."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefixes = ("/" + settings.ADMIN_PATH, "/admin-tools/")

    def __call__(self, request):
        # Every wait for the database during this request is bounded, so a frozen
        # server gives the 503 below within seconds (site_config/postgres/).
        admin = request.path_info.startswith(self.admin_prefixes)
        limit = settings.DB_ADMIN_TIMEOUT if admin else settings.DB_READER_TIMEOUT
        token = query_timeout.set(limit or None)
        try:
            return self.get_response(request)
        finally:
            query_timeout.reset(token)

    def process_exception(self, request, exception):
        if not is_database_unavailable(exception):
            return None
        DATABASE.failed(exception, f"{request.method} {request.path}")
        return service_unavailable(request)


def server_error(request):
    """handler500: a 503 when the database is the cause, Django's 500 otherwise."""
    # Errors raised in middleware (sessions, auth) never reach process_exception;
    # Django calls this handler from inside its except block, so the error is here.
    error = sys.exc_info()[1]
    if is_database_unavailable(error):
        DATABASE.failed(error, f"{request.method} {request.path}" if request else "a request")
        return service_unavailable(request)
    return defaults.server_error(request)


def _database_answers(sender, connection, **kwargs):
    # A new connection is the first sign the database is back: a failed one is
    # always dropped, and the next request reconnects.
    DATABASE.recovered()


connection_created.connect(_database_answers, dispatch_uid="outages_database_answers")

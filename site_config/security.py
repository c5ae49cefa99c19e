"""Small request-level defences (docs/security.md): client addresses and malformed input."""

from django.conf import settings
from django.http import HttpResponseBadRequest


def client_ip(request):
    """Return the client's address for login throttling.

    Behind TRUSTED_PROXY_COUNT proxies the client is the entry that many places
    from the right of X-Forwarded-For; entries further left are whatever the
    client chose to send and are never trusted.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


class BadInputMiddleware:
    """Answer 400 to NUL characters in the path or query string.

    PostgreSQL text cannot hold NUL, so psycopg raises on such a value and a slug
    or page lookup would otherwise end in a 500.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            return HttpResponseBadRequest(
                "Bad request: the address contains a NUL character.", content_type="text/plain"
            )
        return self.get_response(request)

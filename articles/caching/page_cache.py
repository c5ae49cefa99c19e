"""Serve readers' pages and feeds from Django's cache, keyed by the content generation.

Only anonymous GET and HEAD requests of the reader's site (the `articles`
namespace) take part: a request with a session cookie (staff, authors, anyone
logged in) neither reads nor fills the cache, so draft banners and admin links
can never reach a reader. Keys hold the content token (articles.caching.freshness), the
interface language LocaleMiddleware would pick, the host, scheme, path and the
query parameters the page reads, in a canonical order; nothing is ever deleted,
a change simply moves the token.

Any other parameter (utm_source, fbclid, a random ?x=N) is dropped from the
request before the view sees it, so it neither changes the page nor creates a
cache entry: a flood of made-up query strings is served from one entry
(docs/deployment.md, "Redis").

Every such response also gets an ETag and, where safe, Last-Modified, and a
conditional request that matches answers 304, with the cache on or off.
"""

import hashlib
import time
from calendar import timegm
from datetime import UTC, datetime

from django.conf import settings
from django.http import HttpResponse, QueryDict
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, parse_http_date_safe, quote_etag
from django.utils.translation import get_language_from_request

from articles.caching import generation_cache
from articles.caching.freshness import content_token

CACHED_NAMESPACE = "articles"
UNCACHED_VIEWS = {"healthz"}
# Views that are functions or Feed objects, and so cannot declare `query_params`.
QUERY_PARAMS_BY_VIEW = {"sitemap": ("p",)}
# Headers worth replaying; the rest (Date, Server) belong to each response.
STORED_HEADERS = (
    "Content-Type",
    "Content-Language",
    "Vary",
    "Cache-Control",
    "ETag",
    "Last-Modified",
    "Link",
    "X-Frame-Options",
)
# A deploy can change templates without changing content: pages are never
# older than the code that rendered them.
PROCESS_STARTED_AT = datetime.fromtimestamp(time.time(), UTC)
# HTTP dates have one-second resolution: a Last-Modified closer than this to a
# change could match a later change in the same second (RFC 9110, 8.8.2.2).
LAST_MODIFIED_MARGIN = 1.0


def reader_view(request):
    """Return the resolver match of a request the page cache may serve or store, or None."""
    if request.method not in ("GET", "HEAD"):
        return None
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return None
    if settings.REPLICA_PIN_COOKIE in cookies:
        return None  # Someone who just wrote reads the primary, uncached.
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return None
    if match.namespace != CACHED_NAMESPACE or match.url_name in UNCACHED_VIEWS:
        return None
    return match


def view_query_params(match):
    """Return the query parameters the matched view reads."""
    if match.url_name in QUERY_PARAMS_BY_VIEW:
        return QUERY_PARAMS_BY_VIEW[match.url_name]
    view = getattr(match.func, "view_class", match.func)
    return getattr(view, "query_params", ())


def canonical_query(request, names):
    """Keep only `names` in the request's query, last value each, in sorted order.

    The request is changed in place, so the view, its pagination links and the
    cache key all see the same query. Leading zeros go from ?page= too: the view
    reads "0002" as 2, and each spelling would otherwise be its own entry.
    """
    kept = QueryDict(mutable=True)
    for name in sorted(names):
        value = request.GET.get(name)
        if value is None:
            continue
        if name == "page" and value.isascii() and value.isdigit():
            value = value.lstrip("0") or "0"
        kept[name] = value
    query = kept.urlencode()
    kept._mutable = False
    request.GET = kept
    request.META["QUERY_STRING"] = query
    return query


def page_key(request, token):
    language = get_language_from_request(request)
    query = request.META.get("QUERY_STRING", "")
    identity = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    digest = hashlib.blake2b(identity.encode(), digest_size=16).hexdigest()
    return f"page:{token}:{language}:{digest}"


def is_storable(response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    directives = response.get("Cache-Control", "").lower()
    return not any(word in directives for word in ("private", "no-store", "no-cache"))


class PageCacheMiddleware:
    """Answer readers from the cache; place it before the session and locale middleware."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.enabled = settings.PAGE_CACHE

    def __call__(self, request):
        match = reader_view(request)
        if match is None:
            return self.get_response(request)
        canonical_query(request, view_query_params(match))
        token = content_token(request)
        key = page_key(request, token) if self.enabled else None
        if key is not None:
            # Through generation_cache: the hottest pages are answered from this
            # worker's memory, the rest from the shared cache.
            entry = generation_cache.get(key)
            if entry is not None:
                return self.replay(request, entry)
        response = self.get_response(request)
        if not is_storable(response):
            return response
        self.add_validators(response, token)
        if key is not None and request.method == "GET":
            generation_cache.set(key, self.entry(response))
        return self.conditional(request, response)

    def add_validators(self, response, token):
        if "ETag" not in response:
            digest = hashlib.blake2b(response.content, digest_size=16).hexdigest()
            response["ETag"] = quote_etag(digest)
        changed = max(filter(None, (token.last_modified, PROCESS_STARTED_AT)))
        if "Last-Modified" not in response and time.time() - changed.timestamp() > (
            LAST_MODIFIED_MARGIN
        ):
            response["Last-Modified"] = http_date(timegm(changed.utctimetuple()))
        if "Cache-Control" not in response:
            # Browsers and CDNs revalidate (a cheap 304) rather than keep a copy blindly.
            patch_cache_control(response, public=True, max_age=settings.PAGE_MAX_AGE)

    def entry(self, response):
        # Immutable (bytes and tuples), so workers may keep it in memory.
        headers = tuple((name, response[name]) for name in STORED_HEADERS if name in response)
        return (response.content, headers)

    def replay(self, request, entry):
        content, headers = entry
        response = HttpResponse(content, headers=dict(headers))
        response["Content-Length"] = str(len(content))
        return self.conditional(request, response)

    def conditional(self, request, response):
        last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
        return get_conditional_response(
            request, etag=response.get("ETag"), last_modified=last_modified, response=response
        )

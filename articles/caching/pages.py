"""Serve readers' pages and feeds from the cache, compressed, keyed by the content token.

Only anonymous GET and HEAD requests of the reader's site (the `articles`
namespace) take part (reader_page()): a request with a session cookie (staff,
authors, anyone logged in) neither reads nor fills the cache, so draft banners
and admin links can never reach a reader, and pages holding a CSRF token are
never compressed (BREACH). Keys hold the content token, the release, the
interface language LocaleMiddleware would pick, the host, scheme, path and the
query parameters the page reads (in a canonical order: any other parameter is
dropped before the view sees it, so made-up query strings share one entry;
docs/deployment.md, "Redis"), and the encoding. An article's page and its
comment feed are keyed by the token's "links" scope and their slug's mark
instead, so an edit of another article's body, or a comment on it, leaves them
cached; the recent-comments feed by the "comments" scope. A page is stored up to three times
(identity, gzip, Brotli), each compressed once (encoding.py).

Every such response also gets an ETag and, where safe, Last-Modified, so a
conditional request that matches answers 304, with the cache on or off; and,
for a CDN or Varnish in front, s-maxage and stale-while-revalidate (settings)
with surrogate keys for purging (articles/caching/frontend.py).
"""

import hashlib
import time
from calendar import timegm
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.http import HttpResponse, QueryDict
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe, quote_etag
from django.utils.translation import get_language_from_request

from articles.caching import encoding
from articles.caching.entries import (
    filled,
    forget_local,
    is_enabled,
    lookup,
    make_key,
    remember,
    wait_for,
)
from articles.caching.frontend import COMMENTS_KEY, LISTS_KEY, SITE_KEY, article_key
from articles.caching.shown import is_outdated, shown_record
from articles.caching.token import content_token, page_mark

CACHED_NAMESPACE = "articles"
# An article's page and its comment feed: keyed by their slug's mark.
ARTICLE_VIEWS = {"detail", "article_comments_feed"}
# The site's recent comments: keyed by comment changes too.
COMMENTS_VIEW = "comments_feed"
# Views that are functions or Feed objects, and so cannot declare `query_params`.
QUERY_PARAMS_BY_VIEW = {"sitemap": ("p",)}
# A font is bytes made once and kept in storage; the page cache holds pages.
UNCACHED_VIEWS = {"healthz", "math_font"}
# Headers worth replaying; the rest (Date, Server) belong to each response.
STORED_HEADERS = (
    "Content-Type",
    # Set by a view only for a page with its own inline style (site_config.middleware).
    "Content-Security-Policy",
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
# A request that finds another worker rendering its page waits this long for it,
# then renders it itself (a slow or failed render must not stall readers).
FILL_WAIT_SECONDS = 1.0
# HTTP dates have one-second resolution: a Last-Modified closer than this to a
# change could match a later change in the same second (RFC 9110, 8.8.2.2).
LAST_MODIFIED_MARGIN = 1.0


@dataclass(frozen=True)
class ReaderPage:
    """A reader's request as the page cache sees it: its kind of entry and identity."""

    kind: str
    parts: tuple
    surrogate_keys: tuple
    # A listing or feed whose entries keep the articles they show (shown.py).
    by_articles_shown: bool = False

    def key(self, request, variant):
        return make_key(self.kind, (*self.parts, variant), request=request)


def reader_page(request):
    """Return the ReaderPage of a request that may use the page cache, else None."""
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
    query = canonical_query(request, view_query_params(match))
    language = get_language_from_request(request)
    if settings.LANGUAGE_COOKIE_NAME in cookies:
        # A language the reader chose overrides the article's own; Accept-Language
        # does not (docs/bilingual.md), so the two must not share an entry.
        language += ":chosen"
    identity = (language, f"{request.scheme}://{request.get_host()}{request.path}?{query}")
    if match.url_name in ARTICLE_VIEWS:
        # Keyed by the changes other pages show and this slug's own-page edits and
        # comment changes (articles/caching/token.py): another article's edit or
        # comment leaves it cached.
        slug = match.kwargs["slug"]
        parts = (*identity, page_mark(request, slug))
        return ReaderPage("article_page", parts, (SITE_KEY, article_key(slug)))
    if match.url_name == COMMENTS_VIEW:
        return ReaderPage("comments_page", identity, (SITE_KEY, COMMENTS_KEY))
    if getattr(view_of(match), "cached_by_articles_shown", False):
        return ReaderPage("listing_page", identity, (SITE_KEY, LISTS_KEY), by_articles_shown=True)
    return ReaderPage("page", identity, (SITE_KEY, LISTS_KEY))


def view_query_params(match):
    """Return the query parameters the matched view reads."""
    if match.url_name in QUERY_PARAMS_BY_VIEW:
        return QUERY_PARAMS_BY_VIEW[match.url_name]
    return getattr(view_of(match), "query_params", ())


def view_of(match):
    """Return the matched view's class, or the view itself (a function, a Feed object)."""
    return getattr(match.func, "view_class", match.func)


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


def expire_page_at(request, moment):
    """Keep this request's page in caches no later than `moment`, when it will change by itself.

    For what changes with the clock rather than with content: a discussion that
    closes N days after publication shows its form until then, and no edit moves
    the token when the time comes. The earliest moment set for a request counts.
    """
    if request is None or moment is None:
        return
    current = getattr(request, "page_expires_at", None)
    request.page_expires_at = moment if current is None else min(current, moment)


def is_expired(entry):
    expires_at = entry[4]
    return expires_at is not None and timezone.now().timestamp() >= expires_at


def is_storable(response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    directives = response.get("Cache-Control", "").lower()
    return not any(word in directives for word in ("private", "no-store", "no-cache"))


def seconds_until(moment):
    return max(0, int((moment - timezone.now()).total_seconds()))


class PageCacheMiddleware:
    """Answer readers from the cache; place it before the session and locale middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        page = reader_page(request)
        if page is None:
            return self.get_response(request)
        wanted = encoding.choose(request, encoding.ENCODINGS)
        enabled = is_enabled(page.kind, request)
        fill = enabled and request.method == "GET"
        if enabled:
            entry = self.stored(request, page, wanted)
            if entry is None and fill:
                # Just after a change every worker misses the busiest pages at
                # once: one renders each, the others wait for its entry.
                entry = wait_for(page.key(request, wanted), seconds=FILL_WAIT_SECONDS)
                if entry is not None and self.outdated(request, page, entry):
                    entry = None  # Still the one before the edit: render it here.
            if entry is not None:
                return self.replay(request, entry, page)
        try:
            response = self.get_response(request)
            if not is_storable(response):
                return response
            self.add_headers(request, response, page)
            headers = tuple((name, response[name]) for name in STORED_HEADERS if name in response)
            shown = shown_record(request) if page.by_articles_shown else None
            expires_at = getattr(request, "page_expires_at", None)
            expires_at = expires_at and expires_at.timestamp()
            plain = (response.content, headers, "", shown, expires_at)
            entry = encoding.encoded(plain, wanted)
            if fill:
                remember({page.key(request, ""): plain, page.key(request, wanted): entry})
        finally:
            if fill:
                filled(page.key(request, wanted))
        return self.replay(request, entry, page)

    def stored(self, request, page, wanted):
        """Return the stored entry in the wanted encoding, compressing it once if need be."""
        key = page.key(request, wanted)
        entry = self.current(request, page, key)
        if entry is None and wanted:
            plain = self.current(request, page, page.key(request, ""))
            if plain is not None:
                entry = encoding.encoded(plain, wanted)
                remember({key: entry})
        return entry

    def current(self, request, page, key):
        """Return the entry under `key` unless an edit has outdated it (shown.py)."""
        entry = lookup([key]).get(key)
        if entry is not None and self.outdated(request, page, entry):
            # This worker's copy; another worker may have stored the new one.
            forget_local([key])
            entry = lookup([key]).get(key)
            if entry is not None and self.outdated(request, page, entry):
                return None
        return entry

    def outdated(self, request, page, entry):
        if is_expired(entry):
            return True
        return page.by_articles_shown and is_outdated(request, entry[3])

    def add_headers(self, request, response, page):
        token = content_token(request)
        if "ETag" not in response:
            digest = hashlib.blake2b(response.content, digest_size=16).hexdigest()
            response["ETag"] = quote_etag(digest)
        changed = max(filter(None, (token and token.last_modified, PROCESS_STARTED_AT)))
        if "Last-Modified" not in response and time.time() - changed.timestamp() > (
            LAST_MODIFIED_MARGIN
        ):
            response["Last-Modified"] = http_date(timegm(changed.utctimetuple()))
        if "Cache-Control" not in response:
            # Browsers revalidate (a cheap 304) rather than keep a copy blindly.
            patch_cache_control(response, public=True, max_age=settings.PAGE_MAX_AGE)
        patch_vary_headers(response, ("Accept-Encoding",))

    def add_edge_headers(self, request, response, page, expires_at=None):
        """Tell a front-end cache how long it may keep this page, and its surrogate keys.

        Per response, not stored: the lifetime shrinks as the next scheduled
        publication or the page's own expiry (expire_page_at()) nears, and nobody
        purges when its time comes.
        """
        token = content_token(request)
        shared = settings.PAGE_S_MAXAGE
        if not shared or token is None:
            return
        grace = settings.PAGE_STALE_WHILE_REVALIDATE
        moments = [token.next_arrival] if token.next_arrival is not None else []
        if expires_at is not None:
            moments.append(datetime.fromtimestamp(expires_at, UTC))
        for moment in moments:
            shared = min(shared, seconds_until(moment))
            grace = min(grace, max(0, seconds_until(moment) - shared))
        patch_cache_control(response, s_maxage=shared, stale_while_revalidate=grace)
        response["Surrogate-Key"] = " ".join(page.surrogate_keys)

    def replay(self, request, entry, page):
        # Immutable (bytes and tuples), so workers may keep entries in memory.
        content, headers, content_encoding, _shown, expires_at = entry
        response = HttpResponse(content, headers=dict(headers))
        self.add_edge_headers(request, response, page, expires_at)
        response["Content-Length"] = str(len(content))
        if content_encoding:
            response["Content-Encoding"] = content_encoding
            etag = response.get("ETag", "")
            if etag and not etag.startswith("W/"):
                # Another representation of the same page: weakly the same (RFC 9110, 8.8.1).
                response["ETag"] = f"W/{etag}"
        last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
        return get_conditional_response(
            request, etag=response.get("ETag"), last_modified=last_modified, response=response
        )

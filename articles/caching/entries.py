"""The cache's vocabulary: the kinds of entry, the one key builder and the get-or-compute helper.

Every cached value belongs to a kind (KINDS). The kind says which setting
turns it on and whether its key holds the content token (the value depends on
public content) or only a digest of its inputs (the inputs are the whole
story, as for a feed item's rewritten HTML). make_key() is the only place keys
are built, and every key holds the release version, so a deploy never reads
what an older release stored. cached() and cached_many() are the only way
values are fetched or computed; is_enabled() is the only place that decides
whether a kind is used for a request (a draft preview uses none).
"""

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import get_language

from articles.caching import store
from articles.caching.release import release_version
from articles.caching.token import content_token


@dataclass(frozen=True)
class Kind:
    switch: str | None  # the setting that turns it on; None: always on
    by_token: bool = True  # False: keyed by a digest of all its inputs
    per_language: bool = False  # rendered markup: the active language is part of the key
    scope: str = "all"  # which changes the token counts (ContentToken.scoped())


KINDS = {
    # Whole responses for anonymous readers (articles/caching/pages.py); the
    # language is in their parts, taken from the request before LocaleMiddleware.
    "page": Kind("PAGE_CACHE"),
    # An article's page: keyed by the changes that show on other articles'
    # pages too, and by its slug's own-page edit mark (in its parts).
    "article_page": Kind("PAGE_CACHE", scope="links"),
    # Listings and article feeds: keyed like article pages, each entry keeping the
    # articles it shows, which an own-page edit must not be one of (shown.py).
    "listing_page": Kind("PAGE_CACHE", scope="links"),
    # The recent-comments feed: keyed by comment changes and the changes shown on
    # other pages than their article's (titles); not by own-page edits.
    "comments_page": Kind("PAGE_CACHE", scope="comments"),
    "fragment": Kind("FRAGMENT_CACHE", per_language=True),  # {% cachefragment %}
    # {% article_cards %}: keyed by the article's updated_at too (in its parts).
    "card": Kind("FRAGMENT_CACHE", per_language=True, scope="names"),
    "data": Kind("FRAGMENT_CACHE"),  # rows as plain data: an article, a tag, categories
    # A listing page's article ids: per language, since a listing shows each story
    # in the reader's language when it can (one_per_story); its count does not vary.
    "ids": Kind("FRAGMENT_CACHE", per_language=True),
    "count": Kind(None),  # a listing's count: a COUNT(*) over every article otherwise
    "feedhtml": Kind(None, by_token=False),  # a feed item's rewritten body
}
# How often a request waiting for another worker's render looks for it.
WAIT_POLL_SECONDS = 0.02
# Kinds a draft preview may still use: they hold nothing a draft could change.
PREVIEW_SAFE = {"feedhtml"}


def mark_preview(request):
    """Make this request use no cached entry: it shows what readers cannot see yet."""
    request.is_cache_preview = True


def is_enabled(kind, request=None):
    """Return whether entries of this kind are read and stored for this request."""
    spec = KINDS[kind]
    if spec.switch is not None and not getattr(settings, spec.switch):
        return False
    if getattr(request, "is_cache_preview", False) and kind not in PREVIEW_SAFE:
        return False
    return not spec.by_token or content_token(request) is not None


def make_key(kind, parts, *, request=None):
    """Return the key of a `kind` entry computed from `parts` (strings, numbers)."""
    spec = KINDS[kind]
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(str(part).encode())
        digest.update(b"\0")
    scope = content_token(request).scoped(spec.scope) if spec.by_token else "-"
    language = get_language() if spec.per_language else "-"
    return f"{kind}:{release_version()}:{scope}:{language}:{digest.hexdigest()}"


def cached(kind, parts, compute, *, request=None, keep=None):
    """Return compute()'s value, stored under (kind, parts) until the token moves.

    `keep(value)` may refuse to store a value (a draft's row, say). None is
    never stored: it means "missing".
    """
    if not is_enabled(kind, request):
        return compute()
    key = make_key(kind, parts, request=request)
    value = store.get_many([key]).get(key)
    if value is None:
        value = compute()
        if value is not None and (keep is None or keep(value)):
            store.set_many({key: value})
    return value


def cached_many(kind, parts_by_id, compute_missing, *, request=None):
    """Return {id: value} for every id of parts_by_id, in one round trip.

    compute_missing(ids) returns {id: value} for the ids not found; ids it
    leaves out are left out of the answer too.
    """
    if not is_enabled(kind, request):
        return compute_missing(list(parts_by_id))
    keys = {ident: make_key(kind, parts, request=request) for ident, parts in parts_by_id.items()}
    found = store.get_many(list(keys.values()))
    values = {ident: found[key] for ident, key in keys.items() if key in found}
    missing = [ident for ident in parts_by_id if ident not in values]
    if missing:
        computed = compute_missing(missing)
        store.set_many({keys[ident]: value for ident, value in computed.items()})
        values.update(computed)
    return values


def lookup(keys):
    """Return {key: value} for keys made by make_key(): for callers batching several kinds."""
    return store.get_many(keys)


def remember(values):
    """Store {key: value} for keys made by make_key()."""
    store.set_many(values)


def forget_local(keys):
    """Drop this worker's copies of `keys`, to read the shared cache's again."""
    store.drop_local(keys)


def wait_for(key, *, seconds):
    """Return the value another worker is storing under `key`, or None after `seconds`.

    Returns None at once if nobody has claimed it: the caller claims it,
    computes it and calls filled(). Used by the page cache, so that the requests arriving just
    after a change render each page once rather than once per worker.
    """
    if store.claim(key, seconds):
        return None
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(WAIT_POLL_SECONDS)
        value, claimed = store.poll(key)
        if value is not None or not claimed:
            return value  # None: the render stored nothing (a 404, say); make our own.
    return None


def filled(key):
    """Drop the claim wait_for() took on `key`, once its value is stored."""
    store.release(key)

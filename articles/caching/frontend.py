"""Purge front-end caches (Varnish, a CDN) when content changes: one backend per kind of cache.

Pages tell a front-end cache how long it may keep them (PAGE_S_MAXAGE) and
under which surrogate keys (the Surrogate-Key header). When the content token
moves, purge() asks every configured backend to drop the pages under the keys
that changed, after the change commits. FRONTEND_CACHES lists them as URLs:

- `varnish+http://host:port`: an HTTP `BAN` with a Surrogate-Key header, as the
  VCL in docs/varnish.vcl expects.

Another CDN is another subclass of FrontendCache with its own purge(). A purge
that fails is logged; the page then lives at most PAGE_S_MAXAGE in that cache.
A page rendered just before a change can reach the front-end cache just after
the purge, so the purge is sent again PURGE_REPEAT_SECONDS later.
"""

import hashlib
import http.client
import logging
import threading
from functools import cache
from urllib.parse import urlsplit

from django.conf import settings
from django.core.signals import setting_changed

logger = logging.getLogger(__name__)

# Every page carries SITE_KEY; an article's page and its comment feed carry
# article_key(its slug), the recent-comments feed COMMENTS_KEY, and every other
# page LISTS_KEY. A change that may show anywhere purges SITE_KEY; an edit
# shown only on its article's page (and so on listings and feeds) purges
# LISTS_KEY and that article's key; a comment change, COMMENTS_KEY and its
# article's key.
SITE_KEY = "site"
LISTS_KEY = "lists"
COMMENTS_KEY = "comments"
# The keys each reach of move_token() purges besides its article's; any other, SITE_KEY.
PURGED_WITH_ARTICLE = {"own_page": LISTS_KEY, "comments": COMMENTS_KEY}


def article_key(slug):
    # Slugs may be any letters; surrogate keys must be safe inside Varnish's regex.
    return "a" + hashlib.blake2b(slug.encode(), digest_size=6).hexdigest()


PURGE_TIMEOUT = 2.0


class FrontendCache:
    """A front-end cache that can drop the pages tagged with given surrogate keys."""

    def __init__(self, url):
        self.url = url

    def purge(self, keys):
        raise NotImplementedError


class VarnishCache(FrontendCache):
    """Varnish with docs/varnish.vcl: `BAN /` with the keys in a Surrogate-Key header."""

    def purge(self, keys):
        parts = urlsplit(self.url)
        connection = http.client.HTTPConnection(
            parts.hostname, parts.port or 80, timeout=PURGE_TIMEOUT
        )
        try:
            connection.request("BAN", "/", headers={"Surrogate-Key": " ".join(keys)})
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise OSError(f"Varnish answered {response.status} {response.reason}")
        finally:
            connection.close()


BACKENDS = {"varnish+http": VarnishCache}


@cache
def frontend_caches():
    """Return the configured backends, from settings.FRONTEND_CACHES."""
    caches = []
    for url in settings.FRONTEND_CACHES:
        scheme = urlsplit(url).scheme
        if scheme not in BACKENDS:
            known = ", ".join(BACKENDS)
            raise ValueError(f"FRONTEND_CACHES: unknown kind {scheme!r} in {url}; use {known}.")
        caches.append(BACKENDS[scheme](url.replace(f"{scheme}://", "http://", 1)))
    return caches


setting_changed.connect(lambda **kwargs: frontend_caches.cache_clear(), weak=False)


def purge(keys=(SITE_KEY,), *, repeat=True):
    """Ask every front-end cache to drop the pages under `keys`; never raises."""
    for backend in frontend_caches():
        try:
            backend.purge(keys)
        except OSError:
            logger.warning("Could not purge %s from %s.", keys, backend.url, exc_info=True)
    if repeat and settings.PURGE_REPEAT_SECONDS and frontend_caches():
        timer = threading.Timer(settings.PURGE_REPEAT_SECONDS, purge, (keys,), {"repeat": False})
        timer.daemon = True
        timer.start()


def purge_after_move(sender, using=None, reach=None, article=None, **kwargs):
    if reach in PURGED_WITH_ARTICLE:
        purge((PURGED_WITH_ARTICLE[reach], article_key(article)))
    else:
        purge((SITE_KEY,))

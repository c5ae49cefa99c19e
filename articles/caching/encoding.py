"""Compressed variants of a page: each made once, when first stored, chosen per request.

A stored page keeps its body up to three ways (identity, gzip, Brotli), each
under its own key, so a hit reads only the bytes it sends and never
compresses anything. A page is stored as identity and in the encoding its
first client asked for; another encoding is made from the identity entry the
first time a client asks for it, and stored too. The client's Accept-Encoding
picks one (Brotli over gzip over identity, honouring q=0), and every response
that could have been compressed says `Vary: Accept-Encoding`, so no shared
cache hands Brotli to a client that cannot read it.
"""

import gzip

import brotli

# Best-first; identity is always acceptable unless refused, and is last.
ENCODINGS = ("br", "gzip")
# Measured on the benchmark's pages (docs/performance.md): Brotli 6 shrinks home
# 4.7x in 1.5 ms and the feed 9.7x in 13 ms; quality 9 gains nothing on pages,
# 7 % on the feed, for 20-30 times the time; gzip 9 costs 4 times gzip 6 on
# the feed for 3 % fewer bytes.
BROTLI_QUALITY = 6
GZIP_LEVEL = 6
# Below this, compressing saves less than a packet's headers.
MIN_BYTES = 200
COMPRESSIBLE_TYPES = (
    "text/",
    "application/xml",
    "application/json",
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "image/svg+xml",
)


def compress(content, encoding):
    if encoding == "br":
        return brotli.compress(content, quality=BROTLI_QUALITY, mode=brotli.MODE_TEXT)
    return gzip.compress(content, compresslevel=GZIP_LEVEL, mtime=0)


def is_compressible(content, headers):
    """Return whether a body with these headers ({name: value}) is worth compressing."""
    kind = headers.get("Content-Type", "").split(";")[0].strip().lower()
    return (
        len(content) >= MIN_BYTES
        and "Content-Encoding" not in headers
        and kind.startswith(COMPRESSIBLE_TYPES)
    )


def encoded(entry, name):
    """Return a stored page entry (content, headers, encoding, ...) in encoding `name`."""
    content, headers, _encoding, *rest = entry
    if name and is_compressible(content, dict(headers)):
        return (compress(content, name), headers, name, *rest)
    return (content, headers, "", *rest)


def accepted(header):
    """Return the encodings of ENCODINGS the Accept-Encoding header allows, best first."""
    weights = {}
    for item in header.split(","):
        name, _, params = item.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        weights[name.strip().lower()] = quality
    star = weights.get("*", 0.0)
    return [name for name in ENCODINGS if weights.get(name, star) > 0]


def choose(request, available):
    """Return the encoding to send ('' for identity) among those available."""
    for name in accepted(request.headers.get("Accept-Encoding", "")):
        if name in available:
            return name
    return ""

"""Caching that is never stale: one token, one key builder, one get-or-compute helper.

The rules (docs/performance.md explains and measures them):

1. Every entry belongs to a kind (`entries.KINDS`); `entries.is_enabled()` is
   the one place that decides whether a kind is used (its setting, and never
   around a draft preview).
2. Keys come only from `entries.make_key()`: the kind, the release version
   (`release`), the content token (`token`) unless the value is keyed by a
   digest of all its inputs, the language for rendered markup, and a digest
   of the parts. Values are fetched or computed only through `entries.cached()`
   and `entries.cached_many()`; nothing else talks to the backend (`store`).
3. The token moves in the same transaction as every change readers could see,
   from one module (`invalidation`), as far as the change shows: a comment
   moves its article's page and the comment feeds, an edit of one article's
   body its page and the listings and feeds that show it (`shown`), other
   changes more (docs/performance.md, "One article's save, and one comment").
   Bulk writes move it through the queryset (articles/models/changes.py).
   Its epoch is random per database and redrawn by a restore, so values never
   repeat across databases. Readers never write it.
4. Only plain data is stored (`store` refuses anything else; `plain` turns rows
   into data and back), so no release can fail to read another's entries.
5. Whole pages for anonymous readers (`pages`) are stored compressed once per
   encoding (`encoding`) and carry headers for a CDN or Varnish, which
   `frontend` purges when the token moves.

Also here: `mirror`, a short-lived copy of the token in Redis that spares a
cache hit its database round trip, and `backend`, the Redis cache that
degrades to no cache while Redis is down.
"""

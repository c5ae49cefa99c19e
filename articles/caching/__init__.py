"""Caching that is never stale: the content token, cached fragments and pages.

Every cached value is keyed by the content token (`freshness`), which moves in
the same transaction as any change readers could see; `generation_cache` holds
token-keyed values, `page_cache` whole anonymous responses, `token_mirror` a
short-lived copy of the token in Redis, and `backend` the Redis cache that
degrades to no cache while Redis is down. The rules are in docs/performance.md.
"""

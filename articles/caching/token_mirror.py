"""A copy of the content token in Redis, so a cache hit needs no database round trip.

PostgreSQL stays the source of truth (articles.caching.freshness). The copy is used only
when the cache is Redis and there is no read replica (with a replica the token
must come from the replica, with the content). It is kept safe by three rules:

- a bump deletes the copy *before* its transaction commits, so nobody can read
  a copy newer than the data, and replaces it after the commit;
- a copy is only ever replaced by a greater counter (a Lua script), so a reader
  that fetched the old row just before a commit cannot put it back;
- the copy lives TOKEN_MIRROR_SECONDS at most: if Redis fails between a commit
  and the replacement (the only way the copy could lag), the lag ends then.
"""

from datetime import datetime

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

from site_config.outages import REDIS

KEY = "content-token"
SET_IF_GREATER = """
local current = redis.call('GET', KEYS[1])
if current then
  local value = tonumber(string.match(current, '^(%d+)'))
  if value and value >= tonumber(ARGV[1]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
return 1
"""


def _redis():
    if not settings.TOKEN_MIRROR_SECONDS or settings.DATABASE_REPLICA_URL:
        return None
    cache = caches[settings.PAGE_CACHE_ALIAS]
    if not isinstance(cache, RedisCache):
        return None
    key = cache.make_and_validate_key(KEY)
    return cache._cache.get_client(key, write=True), key


def _stamp(moment):
    return moment.isoformat() if moment else ""


def _unstamp(text):
    return datetime.fromisoformat(text) if text else None


def mirror_get():
    """Return (value, changed_at, next_arrival) from Redis, or None to ask the database."""
    redis = _redis()
    if redis is None:
        return None
    client, key = redis
    try:
        raw = client.get(key)
    except Exception as error:  # Redis failing: the database answers instead.
        REDIS.failed(error, "reading the content token")
        return None
    REDIS.recovered()
    try:
        if raw is None:
            return None
        value, changed_at, next_arrival = raw.decode().split("|")
        return int(value), _unstamp(changed_at), _unstamp(next_arrival)
    except Exception:  # A garbled copy: the database answers instead.
        return None


def mirror_offer(value, changed_at, next_arrival):
    """Store a row read from or written to the database, unless a newer one is there."""
    redis = _redis()
    if redis is None:
        return
    client, key = redis
    payload = f"{value}|{_stamp(changed_at)}|{_stamp(next_arrival)}"
    try:
        client.eval(SET_IF_GREATER, 1, key, value, payload, settings.TOKEN_MIRROR_SECONDS)
    except Exception as error:
        REDIS.failed(error, "storing the content token")


def mirror_forget():
    """Drop the copy; called before a change commits."""
    redis = _redis()
    if redis is None:
        return
    client, key = redis
    try:
        client.delete(key)
    except Exception as error:
        # The copy may now outlive the change by up to TOKEN_MIRROR_SECONDS.
        REDIS.failed(error, "dropping the content token")

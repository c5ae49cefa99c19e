"""A copy of the content token in Redis, so a cache hit needs no database round trip.

PostgreSQL stays the source of truth (articles/caching/token.py). The copy is used only
when the cache is Redis and there is no read replica (with a replica the token
must come from the replica, with the content). It is kept safe by three rules:

- a bump deletes the copy *before* its transaction commits, so nobody can read
  a copy newer than the data, and replaces it after the commit;
- a copy is only ever replaced by a later row of the same epoch (a Lua
  script): every move raises `value` or `comments` and lowers neither, so
  the pair orders rows, and a reader that fetched the old row just before a
  commit cannot put it back; only a write may bring a new epoch (a restore);
- the copy lives TOKEN_MIRROR_SECONDS at most: if Redis fails between a commit
  and the replacement (the only way the copy could lag), the lag ends then.
"""

import json
from datetime import datetime
from typing import NamedTuple

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import connections, router

from articles.models import ContentGeneration
from site_config.outages import REDIS

KEY = "content-token:v6"  # v6: epoch|value|comments|links|names|changed_at|next_arrival|edits
# ARGV: epoch, value, comments, payload, seconds, whether a write offers it (1) or a read (0).
SET_IF_NEWER = """
local current = redis.call('GET', KEYS[1])
if current then
  local epoch, value, comments = string.match(current, '^(%d+)|(%d+)|(%d+)|')
  if epoch == ARGV[1] then
    value, comments = tonumber(value), tonumber(comments)
    local offered, offered_comments = tonumber(ARGV[2]), tonumber(ARGV[3])
    if value > offered or (value == offered and comments >= offered_comments) then
      return 0
    end
  elseif ARGV[6] ~= '1' then
    return 0
  end
end
redis.call('SET', KEYS[1], ARGV[4], 'EX', ARGV[5])
return 1
"""


class TokenRow(NamedTuple):
    """The token's row, as its table holds it (articles/caching/token.py) and the copy too."""

    epoch: int
    value: int
    comments: int
    links: int
    names: int
    edits: dict
    changed_at: datetime | None
    next_arrival: datetime | None


def _redis():
    if not settings.TOKEN_MIRROR_SECONDS or settings.DATABASE_REPLICA_URL:
        return None
    cache = caches[settings.PAGE_CACHE_ALIAS]
    if not isinstance(cache, RedisCache):
        return None
    # Per database: two databases sharing one Redis (a restore next to the
    # original, a recreated database) must never share a copy.
    db = connections[router.db_for_read(ContentGeneration)].settings_dict
    key = cache.make_and_validate_key(f"{KEY}:{db['HOST']}:{db['PORT']}:{db['NAME']}")
    return cache._cache.get_client(key, write=True), key


def _stamp(moment):
    return moment.isoformat() if moment else ""


def _unstamp(text):
    return datetime.fromisoformat(text) if text else None


def mirror_get():
    """Return the token's TokenRow from Redis, or None."""
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
    if raw is None:
        return None
    try:
        # The edits' JSON goes last: slugs hold no "|", but keep the split safe anyway.
        *counters, changed_at, next_arrival, edits = raw.decode().split("|", 7)
        epoch, value, comments, links, names = map(int, counters)
        return TokenRow(
            epoch,
            value,
            comments,
            links,
            names,
            json.loads(edits),
            _unstamp(changed_at),
            _unstamp(next_arrival),
        )
    except Exception:  # A garbled copy: the database answers instead.
        return None


def mirror_offer(row, *, written=False):
    """Store a TokenRow read from or written to the database, unless a newer one is there."""
    redis = _redis()
    if redis is None:
        return
    client, key = redis
    counters = f"{row.epoch}|{row.value}|{row.comments}|{row.links}|{row.names}"
    stamps = f"{_stamp(row.changed_at)}|{_stamp(row.next_arrival)}"
    payload = f"{counters}|{stamps}|{json.dumps(row.edits)}"
    seconds = settings.TOKEN_MIRROR_SECONDS
    try:
        client.eval(
            SET_IF_NEWER, 1, key, row.epoch, row.value, row.comments, payload, seconds, int(written)
        )
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

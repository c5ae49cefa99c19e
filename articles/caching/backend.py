"""A Redis cache that degrades to "no cache" whenever Redis fails (docs/security.md).

Django's RedisCache raises whenever Redis does, which turns every cached page
into a 500. Here any failure is logged and treated as a miss (reads) or a no-op
(writes): Redis unreachable or timing out, but also Redis full under
`noeviction` (OutOfMemoryError), a read-only replica (ReadOnlyError), any other
error reply, a reply that is not RESP, and a stored value that does not
unpickle. redis-py reconnects by itself on the next call, so the cache is used
again as soon as Redis answers properly.
"""

import functools

from django.core.cache.backends.redis import RedisCache, RedisCacheClient, RedisSerializer
from redis.exceptions import RedisError

from site_config.outages import REDIS


class UnreadableEntry(Exception):
    """A value in Redis that is not what this cache stored (garbage, another program's key)."""


# RedisError covers connection errors, timeouts, error replies (OOM, READONLY,
# WRONGTYPE) and malformed replies; OSError covers sockets failing below redis-py.
UNAVAILABLE = (RedisError, OSError, UnreadableEntry)


class TolerantSerializer(RedisSerializer):
    """Django's serializer, but a value it cannot read is reported as unreadable."""

    def loads(self, data):
        try:
            return super().loads(data)
        except Exception as error:  # pickle raises many types on garbage input.
            raise UnreadableEntry(f"{type(error).__name__}: {error}") from error


def _degrade(fallback):
    """Wrap a cache method so a Redis outage returns `fallback(args)` instead of raising."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                result = method(self, *args, **kwargs)
            except UNAVAILABLE as error:
                # Logged once per outage, then summarised (site_config/outages.py).
                REDIS.failed(error, f"cache {method.__name__}")
                return fallback(*args, **kwargs)
            REDIS.recovered()
            return result

        return wrapper

    return decorate


def _raise_missing(key, *args, **kwargs):
    # incr/decr on a missing key raise ValueError; an unreachable key is missing.
    raise ValueError(f"Key {key!r} not found (the cache is unavailable).")


class ReusingRedisCacheClient(RedisCacheClient):
    """Build one redis.Redis per connection pool and keep it.

    Django builds a new client object for every call; constructing one costs
    more than a GET on a local Redis (docs/performance.md). Clients are
    thread-safe and share the pool, so one per pool is enough.
    """

    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        self._serializer = TolerantSerializer()

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_reused_clients", {})
        client = clients.get(id(pool))
        if client is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    add = _degrade(lambda *a, **k: False)(RedisCache.add)
    get = _degrade(lambda key, default=None, *a, **k: default)(RedisCache.get)
    set = _degrade(lambda *a, **k: None)(RedisCache.set)
    touch = _degrade(lambda *a, **k: False)(RedisCache.touch)
    delete = _degrade(lambda *a, **k: False)(RedisCache.delete)
    get_many = _degrade(lambda *a, **k: {})(RedisCache.get_many)
    has_key = _degrade(lambda *a, **k: False)(RedisCache.has_key)
    incr = _degrade(_raise_missing)(RedisCache.incr)
    set_many = _degrade(lambda data, *a, **k: list(data))(RedisCache.set_many)
    delete_many = _degrade(lambda *a, **k: None)(RedisCache.delete_many)
    clear = _degrade(lambda *a, **k: False)(RedisCache.clear)

    def ping(self):
        """Return whether Redis answers, for the health check."""
        try:
            return bool(self._cache.get_client(write=True).ping())
        except UNAVAILABLE:
            return False

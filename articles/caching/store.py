"""Where entries live: the shared cache, with each worker's hottest entries in its memory.

Only plain values are stored (strings, bytes, numbers, dates, UUIDs, None, and
tuples, lists and dicts of them): never model instances, whose pickles may not load in
the next release (articles/caching/plain.py turns rows into plain data).
set_many() refuses anything else, so the rule cannot be broken quietly.

Every key names exactly one value (it holds the content token or a digest of
the value's inputs, and the release version: articles/caching/entries.py), so
a copy in a worker's memory can never be stale; it spares the round trip to
Redis. That tier is bounded in bytes, evicts the least recently used entry,
and keeps only immutable values (str, bytes, numbers, tuples of them), since
two requests must not share a list one of them could change.
"""

import threading
from collections import OrderedDict
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from uuid import UUID

from django.conf import settings
from django.core.cache import caches
from django.core.signals import setting_changed

from site_config.outages import REDIS

# Per process; with three workers that is 12 MB at most, well within the
# 150 MB worker budget (docs/performance.md).
LOCAL_BYTES = 4 * 1024 * 1024
# What a number, a date or None is charged.
SMALL_VALUE_BYTES = 16
SCALARS = (int, float, bool, Decimal, UUID, date, datetime, time, timedelta)

_local = OrderedDict()
_local_bytes = 0
_lock = threading.Lock()


def plain_size(value, *, mutable=True):
    """Return roughly how many bytes a plain value holds, or None if it is not plain.

    With mutable=False, lists and dicts count as not plain (not kept locally).
    """
    if isinstance(value, str | bytes):
        return len(value)
    if value is None or isinstance(value, SCALARS):
        return SMALL_VALUE_BYTES
    if isinstance(value, tuple) or (mutable and isinstance(value, list)):
        items = value
    elif mutable and isinstance(value, dict):
        items = [*value.keys(), *value.values()]
    else:
        return None
    total = SMALL_VALUE_BYTES
    for item in items:
        size = plain_size(item, mutable=mutable)
        if size is None:
            return None
        total += size
    return total


def _remember(key, value):
    global _local_bytes
    size = plain_size(value, mutable=False)
    if size is None or size > LOCAL_BYTES // 16:
        return
    with _lock:
        previous = _local.pop(key, None)
        if previous is not None:
            _local_bytes -= previous[1]
        _local[key] = (value, size)
        _local_bytes += size
        while _local_bytes > LOCAL_BYTES and _local:
            _key, (_value, evicted) = _local.popitem(last=False)
            _local_bytes -= evicted


def _shared():
    return caches[settings.PAGE_CACHE_ALIAS]


def get_many(keys):
    """Return {key: value} for the keys found, locally or in the shared cache."""
    found, missing = {}, []
    with _lock:
        for key in keys:
            entry = _local.get(key)
            if entry is None:
                missing.append(key)
            else:
                _local.move_to_end(key)
                found[key] = entry[0]
    if missing:
        shared = _shared().get_many(missing)
        for key, value in shared.items():
            _remember(key, value)
        found.update(shared)
    return found


def set_many(values):
    """Store plain values; raise TypeError for anything else (a model instance, a set)."""
    for key, value in values.items():
        if plain_size(value) is None:
            raise TypeError(f"Only plain data goes in the cache: {key} holds {value!r:.200}.")
    _shared().set_many(values, settings.PAGE_CACHE_SECONDS)
    for key, value in values.items():
        _remember(key, value)


def claim(key, seconds):
    """Return whether this process may fill `key` now: True unless another holds the claim.

    A claim is a short-lived shared key set only if absent (Redis SET NX), so of
    many workers missing the same entry one renders it and the rest wait. With
    the shared cache unreachable every worker may fill: nobody waits on Redis.
    """
    return _shared().add(f"claim:{key}", 1, seconds) or REDIS.active


def release(key):
    _shared().delete(f"claim:{key}")


def poll(key):
    """Return (value or None, whether `key` is still claimed), from the shared cache."""
    found = _shared().get_many([key, f"claim:{key}"])
    if key in found:
        _remember(key, found[key])
    return found.get(key), f"claim:{key}" in found


def drop_local(keys):
    """Drop this process's copies of `keys`: the shared cache may hold newer values."""
    global _local_bytes
    with _lock:
        for key in keys:
            entry = _local.pop(key, None)
            if entry is not None:
                _local_bytes -= entry[1]


def forget_local(**kwargs):
    """Empty this process's part: for tests, whose rolled-back tokens repeat."""
    global _local_bytes
    with _lock:
        _local.clear()
        _local_bytes = 0


setting_changed.connect(forget_local, dispatch_uid="cache_store_forget")

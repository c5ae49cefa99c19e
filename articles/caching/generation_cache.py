"""A cache for what is keyed by the content token: this process first, then the shared cache.

Fragments, cards, counts and page ids are stored under keys that hold the
content token (articles/caching/freshness.py), so a key never names two different
values and an entry can be kept anywhere without ever being stale. Keeping
the hot ones in each worker's memory spares a round trip to Redis per
fragment, which profiling showed to be a good part of an uncached page.

Only immutable values are kept locally (strings, bytes, numbers and tuples of
them): a model instance shared by two requests could be changed by one of them.
The local part is bounded in bytes and evicts the least recently used entry.
"""

import threading
from collections import OrderedDict

from django.conf import settings
from django.core.cache import caches
from django.core.signals import setting_changed

# Per process; with four workers that is 16 MB at most, well within
# the 150 MB worker budget (docs/performance.md).
LOCAL_BYTES = 4 * 1024 * 1024
# What a number (or None) is charged.
SMALL_VALUE_BYTES = 16

_local = OrderedDict()
_local_bytes = 0
_lock = threading.Lock()


def _size(value):
    """Return roughly how many bytes an immutable value holds, or None if it may change."""
    if isinstance(value, str | bytes):
        return len(value)
    if value is None or isinstance(value, int | float):
        return SMALL_VALUE_BYTES
    if isinstance(value, tuple):  # Named tuples included.
        total = SMALL_VALUE_BYTES
        for item in value:
            size = _size(item)
            if size is None:
                return None
            total += size
        return total
    return None  # Not kept locally.


def _remember(key, value):
    global _local_bytes
    size = _size(value)
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


def get(key):
    return get_many([key]).get(key)


def set_many(values):
    _shared().set_many(values, settings.PAGE_CACHE_SECONDS)
    for key, value in values.items():
        _remember(key, value)


def set(key, value):
    set_many({key: value})


def forget_local(**kwargs):
    """Empty this process's part: for tests, whose rolled-back tokens repeat."""
    global _local_bytes
    with _lock:
        _local.clear()
        _local_bytes = 0


setting_changed.connect(forget_local, dispatch_uid="generation_cache_forget")

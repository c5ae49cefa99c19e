"""`/healthz`: whether this process can reach its database and its cache (issue 10)."""

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


def database_state():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return "unavailable"
    return "ok"


def cache_state():
    # The Redis backend swallows outages, so ask it directly; the per-process
    # memory cache cannot be down.
    ping = getattr(cache, "ping", None)
    if ping is None:
        return "ok"
    return "ok" if ping() else "unavailable"


@never_cache
def healthz(request):
    """Report database and cache state: 503 when the database is unreachable.

    A Redis outage reports "degraded" with a 200: the site keeps serving
    uncached, and a load balancer that pulled every instance out because of the
    shared cache would turn a slowdown into an outage.
    """
    checks = {"database": database_state(), "cache": cache_state()}
    if checks["database"] != "ok":
        status, code = "unavailable", 503
    elif checks["cache"] != "ok":
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    return JsonResponse({"status": status, **checks}, status=code)

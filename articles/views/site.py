"""Site endpoints: robots.txt and the health check."""

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe

from site_config.outages import DATABASE, REDIS


@require_safe
@cache_control(max_age=3600, public=True)
def robots_txt(request):
    """Let every crawler in and point it to the sitemap."""
    lines = [
        "User-agent: *",
        "Allow: /",
        f"Sitemap: {settings.SITE_URL}{reverse('articles:sitemap')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


HEALTH_CACHE_KEY = "healthz:probe"


@require_safe
@never_cache
def healthz(request):
    """Report whether the database and the cache answer: 200 when both do, else 503."""
    checks = {"database": "ok", "cache": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # Any failure means "not healthy"; the detail goes to the logs.
        DATABASE.failed(error, "the health check")
        checks["database"] = "error"
    try:
        token = timezone.now().isoformat()
        cache.set(HEALTH_CACHE_KEY, token, timeout=10)
        if cache.get(HEALTH_CACHE_KEY) != token:
            raise RuntimeError("the cache did not return what was just stored")
    except Exception as error:
        REDIS.failed(error, "the health check")
        checks["cache"] = "error"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )

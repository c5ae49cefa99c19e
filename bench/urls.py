"""The site's URLs plus the benchmark's floor: a trivial view through the same middleware."""

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.http import require_safe

from site_config.urls import urlpatterns as site_urlpatterns

FLOOR_BODY = b"<!doctype html><title>floor</title><p>A small fixed response.</p>\n"


@require_safe
def floor(request):
    """Return a small fixed page: the cheapest response Django can give through the stack."""
    return HttpResponse(FLOOR_BODY, content_type="text/html; charset=utf-8")


urlpatterns = [path("bench/floor/", floor, name="bench_floor"), *site_urlpatterns]

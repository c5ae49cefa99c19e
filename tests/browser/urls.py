"""The site's URLs plus uploaded media, which the live server does not serve by itself.

Also a test-only page that is unsafe on purpose, so tests/browser/test_xss.py can
prove its detector fires; it is never part of the real site's URLs.
"""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.urls import path, re_path
from django.views.static import serve

from site_config.urls import urlpatterns as site_urlpatterns

# Each probe does one thing the XSS detector must notice.
PROBES = {
    "inline": "<script>alert('inline')</script>",
    "handler": "<img src='/no-such-image.png' onerror=\"alert('handler')\">",
    # An alert reached through a new frame's own window, which the page's hooks don't cover.
    "fresh-frame": (
        "<script>const frame = document.createElement('iframe');"
        "document.body.append(frame); frame.contentWindow.alert('frame');</script>"
    ),
    "request": "<img src='http://evil.invalid/beacon.png' alt=''>",
    # Inert until someone clicks: only the DOM scan can see it.
    "markup": "<a href=' javascript:alert(1)'>click</a>",
}


def xss_probe(request, kind):
    if kind not in PROBES:
        raise Http404("No such probe.")
    return HttpResponse(f"<!doctype html><title>probe</title><body>{PROBES[kind]}</body>")


urlpatterns = [
    re_path(
        rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.*)$",
        lambda request, path: serve(request, path, document_root=settings.MEDIA_ROOT),
    ),
    path("test-only/xss-probe/<str:kind>/", xss_probe, name="xss_probe"),
    *site_urlpatterns,
]

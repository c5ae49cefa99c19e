"""Serve uploaded images so a browser can only ever display them (docs/security.md).

Uploads are stored under random names with an extension chosen from the
decoded format (articles/admin/uploads.py). Here only those extensions are served,
with a content type fixed from the extension, `nosniff`, and a sandboxing CSP,
so even a file that got into MEDIA_ROOT some other way can never run as a page.
"""

from pathlib import PurePosixPath

from django.conf import settings
from django.http import Http404
from django.views.static import serve

MEDIA_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
}
MEDIA_POLICY = "default-src 'none'; img-src 'self'; style-src 'none'; sandbox"


def serve_media(request, path):
    """Return an uploaded image, or 404 for anything that is not one."""
    content_type = MEDIA_TYPES.get(PurePosixPath(path).suffix.lower())
    if content_type is None:
        raise Http404("Only uploaded images are served here.")
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Content-Type"] = content_type
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = MEDIA_POLICY
    response["Content-Disposition"] = "inline"
    # Every stored name is new for new content (random upload names, cards and
    # variants named by a digest), so a browser or CDN may keep a copy for good.
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response

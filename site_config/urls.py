from django.conf import settings
from django.contrib import admin
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path

from articles.admin import review, uploads
from site_config.media import serve_media

admin.site.site_header = f"{settings.SITE_NAME} admin"
admin.site.site_title = settings.SITE_NAME

urlpatterns = [
    path(settings.ADMIN_PATH, admin.site.urls),
    # markdownx's editor endpoints, kept behind staff login (its own views are open).
    path(
        "admin-tools/markdownx/markdownify/",
        uploads.markdownify_view,
        name="markdownx_markdownify",
    ),
    path("admin-tools/markdownx/upload/", uploads.image_upload_view, name="markdownx_upload"),
    # A draft shown through a secret, expiring, revocable link (docs/authoring.md).
    path("preview/<str:token>/", review.draft_preview_view, name="draft_preview"),
    # Browsers and feed readers ask for /favicon.ico whatever the page says.
    path("favicon.ico", lambda request: HttpResponsePermanentRedirect(static("favicon.ico"))),
    # Posting and the signed email links: never page-cached (docs/comments.md).
    path("comments/", include("articles.comments.urls")),
    path("", include("articles.urls")),
]

# A database outage answers 503 with Retry-After, never a 500 (docs/security.md).
handler500 = "site_config.faults.server_error"

if settings.SERVE_MEDIA:
    # Images only, with a fixed content type and nosniff (site_config/media.py).
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns.insert(0, path(f"{media_prefix}<path:path>", serve_media, name="media"))

"""Security headers Django 5.2 does not set by itself."""

import base64
import hashlib

from django.conf import settings

# No inline script anywhere, and no third-party origins: everything is self-hosted.
PUBLIC_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
# Django's admin and the markdownx editor set style attributes from their own
# scripts; scripts stay locked down there too.
ADMIN_POLICY = {**PUBLIC_POLICY, "style-src": "'self' 'unsafe-inline'"}

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
        "interest-cohort",
    )
)


def build_policy(directives, frame_hosts=(), *, remote_images=False):
    directives = dict(directives)
    if remote_images:
        directives["img-src"] += " https:"
    if frame_hosts:
        directives["frame-src"] = " ".join(f"https://{host}" for host in frame_hosts)
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def allow_inline_styles(response, styles):
    """Let this response's page use these exact inline <style> texts, by their hashes.

    The policy is the public one plus a 'sha256-…' source per text; the middleware
    below leaves a policy a view set alone, and the page cache keeps it with the page.
    """
    hashes = " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()}'"
        for text in styles
    )
    directives = {**PUBLIC_POLICY, "style-src": f"{PUBLIC_POLICY['style-src']} {hashes}"}
    response["Content-Security-Policy"] = build_policy(
        directives, settings.MARKDOWN_IFRAME_HOSTS, remote_images=settings.REMOTE_IMAGES
    )


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        frame_hosts = settings.MARKDOWN_IFRAME_HOSTS
        remote = settings.REMOTE_IMAGES
        self.public_policy = build_policy(PUBLIC_POLICY, frame_hosts, remote_images=remote)
        self.admin_policy = build_policy(ADMIN_POLICY, frame_hosts, remote_images=remote)
        self.admin_prefixes = ("/" + settings.ADMIN_PATH, "/admin-tools/")

    def __call__(self, request):
        response = self.get_response(request)
        is_admin = request.path.startswith(self.admin_prefixes)
        response.headers.setdefault(
            "Content-Security-Policy", self.admin_policy if is_admin else self.public_policy
        )
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response

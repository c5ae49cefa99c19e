"""Read replicas: public reads on the replica, writes and the admin on the primary.

Only the content apps (articles, taggit) are read from the replica; sessions,
users' logins and the admin's own tables always use the primary, where a login
or a lockout has just been written. A client that writes gets a short-lived
cookie that keeps its reads on the primary for REPLICA_PIN_SECONDS, so an
author who just saved sees the save even while the replica lags; within one
request, any write pins the rest of that request's reads as well.
"""

from contextvars import ContextVar

from django.conf import settings

REPLICATED_APPS = {"articles", "taggit"}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}

_pinned = ContextVar("inkstone_pinned_to_primary", default=False)


def pin_to_primary():
    """Send the rest of this request's (or thread's) reads to the primary."""
    _pinned.set(True)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if model._meta.app_label in REPLICATED_APPS and not _pinned.get():
            return "replica"
        return "default"

    def db_for_write(self, model, **hints):
        # Read your own writes: whatever this request reads next comes from the primary.
        pin_to_primary()
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # The replica is a copy of the primary: rows from either may be related.
        return True

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"


class ReplicaPinMiddleware:
    """Decide per request whether reads may use the replica; pin writers for a while."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.active = bool(settings.DATABASE_REPLICA_URL)
        self.primary_prefixes = ("/" + settings.ADMIN_PATH, "/admin-tools/")

    def __call__(self, request):
        if not self.active:
            return self.get_response(request)
        writes = request.method not in SAFE_METHODS
        pinned = (
            writes
            or request.path.startswith(self.primary_prefixes)
            or settings.REPLICA_PIN_COOKIE in request.COOKIES
        )
        token = _pinned.set(pinned)
        try:
            response = self.get_response(request)
            wrote = _pinned.get() and not pinned
        finally:
            _pinned.reset(token)
        if writes or wrote:
            response.set_cookie(
                settings.REPLICA_PIN_COOKIE,
                "1",
                max_age=settings.REPLICA_PIN_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

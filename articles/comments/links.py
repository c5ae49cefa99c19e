"""Signed links in emails: moderate, unsubscribe, delete one comment, forget an email.

Each link carries what it may do, signed with SECRET_KEY and a salt per kind, and
expires after COMMENTS_LINK_DAYS. Following a link only shows a page with a
button; the change happens on POST, so mail scanners that prefetch links
change nothing (docs/comments.md).
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "articles.comments.link"
MODERATION_ACTIONS = ("approve", "reject", "spam", "delete")


def absolute(path):
    return f"{settings.SITE_URL}{path}"


def make_token(kind, **data):
    return signing.dumps({"k": kind, **data}, salt=SALT, compress=True)


def read_token(token, kind):
    """Return the data of a valid token of this kind, or None."""
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.COMMENTS_LINK_DAYS * 86400)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("k") != kind:
        return None
    return data


def moderation_url(comment, action):
    token = make_token("moderate", c=comment.pk, a=action)
    return absolute(reverse("comments:moderate", kwargs={"token": token}))


def unsubscribe_url(comment):
    token = make_token("unsubscribe", c=comment.pk, e=comment.email_hash)
    return absolute(reverse("comments:unsubscribe", kwargs={"token": token}))


def delete_url(comment):
    token = make_token("delete", c=comment.pk, e=comment.email_hash)
    return absolute(reverse("comments:delete", kwargs={"token": token}))


def forget_url(email_hash):
    token = make_token("forget", e=email_hash)
    return absolute(reverse("comments:forget_confirm", kwargs={"token": token}))

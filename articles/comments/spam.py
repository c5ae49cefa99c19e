"""Spam defences that need no third party (docs/comments.md).

Two kinds. Refusals answer the poster at once and store nothing: the honeypot,
the signed form stamp (too fast, too old, forged), the rate limits per IP and
per email, the link limit, a repeated post and a full moderation queue. Signals
add to a score whose reasons moderators see: blocked words and hosts, the same
text on another article, links, a spammer's earlier record. At
COMMENTS_SPAM_SCORE the comment is filed as spam instead of being queued.
"""

import time
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from articles.comments.rendering import body_digest, count_links, link_hosts
from articles.models import BlockedTerm, Comment, CommentStatus
from articles.models.comments import email_digest

STAMP_SALT = "articles.comments.stamp"
HONEYPOT_FIELD = "homepage"


class Refusal(Exception):
    """A post that is not stored; the message says why and what to do."""

    def __init__(self, message, *, status=400, retry_after=None, field=None, fresh_stamp=False):
        super().__init__(message)
        self.message = message
        self.status = status
        self.retry_after = retry_after
        self.field = field
        self.fresh_stamp = fresh_stamp


@dataclass
class Verdict:
    score: int = 0
    reasons: list = field(default_factory=list)

    def add(self, points, reason):
        self.score += points
        self.reasons.append(f"+{points} {reason}")


def make_stamp(article_pk, *, now=None):
    """Return a signed token of when the form was served, for one article."""
    # Milliseconds: whole seconds would round a one-second wait down to nothing.
    issued = int((now if now is not None else time.time()) * 1000)
    return signing.dumps({"a": article_pk, "t": issued}, salt=STAMP_SALT, compress=False)


def page_stamp(article_pk):
    """Return the stamp printed in the article page: the same all day.

    The page is cached and its ETag is a hash of its bytes, so the stamp in it
    must not change from one rendering to the next. Its time is the start of the
    day (UTC): it proves the form came from this article's page, and still
    expires (COMMENTS_MAX_FORM_AGE). The minimum time is measured from the exact
    stamp that the page's script fetches on load, and that a re-shown form carries.
    """
    day = int(time.time()) // 86400 * 86400
    return make_stamp(article_pk, now=day)


def check_stamp(stamp, article_pk, *, now=None):
    """Refuse a missing, forged, too fresh or too old form stamp."""
    now = now if now is not None else time.time()
    try:
        data = signing.loads(stamp or "", salt=STAMP_SALT)
        issued, article = int(data["t"]) / 1000, data["a"]
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise Refusal(
            _("The form was incomplete or damaged. Please post your comment again."),
            fresh_stamp=True,
        ) from None
    if article != article_pk:
        raise Refusal(_("This form belongs to another article."), fresh_stamp=True)
    age = now - issued
    if age < settings.COMMENTS_MIN_SECONDS:
        wait = max(1, int(settings.COMMENTS_MIN_SECONDS - age + 0.999))
        raise Refusal(
            ngettext(
                "That was quick: please wait %(seconds)d second and post again.",
                "That was quick: please wait %(seconds)d seconds and post again.",
                wait,
            )
            % {"seconds": wait},
            retry_after=wait,
        )
    if age > settings.COMMENTS_MAX_FORM_AGE:
        raise Refusal(
            _("This form is too old. Please check your comment and post it again."),
            fresh_stamp=True,
        )


def check_rates(*, ip, email, now=None):
    """Refuse a poster over the per-IP or per-email limit for the window."""
    now = now or timezone.now()
    window = settings.COMMENTS_RATE_WINDOW
    since = now - timedelta(seconds=window)
    recent = Comment.objects.filter(created_at__gte=since)
    for limit, condition in (
        (settings.COMMENTS_RATE_PER_IP, Q(ip_address=ip) if ip else None),
        (settings.COMMENTS_RATE_PER_EMAIL, Q(email_hash=email_digest(email)) if email else None),
    ):
        if condition is None or not limit:
            continue
        times = list(
            recent.filter(condition)
            .order_by("-created_at")
            .values_list("created_at", flat=True)[:limit]
        )
        if len(times) >= limit:
            wait = int((times[-1] + timedelta(seconds=window) - now).total_seconds()) + 1
            raise Refusal(
                _("You have posted several comments in a short time. Please try again later."),
                status=429,
                retry_after=max(wait, 1),
            )


def check_links(body, website):
    if count_links(body) > settings.COMMENTS_MAX_LINKS:
        raise Refusal(
            ngettext(
                "A comment may hold at most %(limit)d link.",
                "A comment may hold at most %(limit)d links.",
                settings.COMMENTS_MAX_LINKS,
            )
            % {"limit": settings.COMMENTS_MAX_LINKS},
            field="body",
        )


def check_repeat(*, article, body, email, ip):
    """Refuse the same text posted twice on one article by the same person (a double submit)."""
    same = Comment.objects.filter(article=article, body_digest=body_digest(body))
    who = Q(ip_address=ip) if ip else Q(pk__in=[])
    if email:
        who |= Q(email_hash=email_digest(email))
    if same.filter(who).exists():
        raise Refusal(_("You have already posted this comment."), field="body")


def check_queue(article):
    limit = settings.COMMENTS_MAX_PENDING_PER_ARTICLE
    pending = Comment.objects.filter(article=article, status=CommentStatus.PENDING)
    if limit and pending.count() >= limit:
        raise Refusal(
            _("Many comments on this article are awaiting moderation. Please try again later."),
            status=429,
            retry_after=3600,
        )


def _matches_host(host, blocked):
    return host == blocked or host.endswith("." + blocked)


def score(*, article, name, email, website, body, ip):
    """Return the spam score of a comment and the reasons for it."""
    verdict = Verdict()
    text = f"{name}\n{website}\n{body}".lower()
    terms = list(BlockedTerm.objects.values_list("kind", "value"))
    for kind, value in terms:
        if kind == BlockedTerm.Kind.WORD and value and value in text:
            verdict.add(5, _("blocked word “%(word)s”") % {"word": value})
    hosts = link_hosts(body, website)
    for kind, value in terms:
        if kind == BlockedTerm.Kind.HOST and any(_matches_host(host, value) for host in hosts):
            verdict.add(5, _("blocked host “%(host)s”") % {"host": value})
    elsewhere = Comment.objects.filter(body_digest=body_digest(body)).exclude(article=article)
    if elsewhere.exists():
        verdict.add(3, _("same text posted on another article"))
    links = count_links(body)
    if links:
        verdict.add(links, ngettext("%(count)d link", "%(count)d links", links) % {"count": links})
    if count_links(name):
        verdict.add(2, _("a link in the name"))
    record = Q(ip_address=ip) if ip else Q(pk__in=[])
    if email:
        record |= Q(email_hash=email_digest(email))
    if Comment.objects.filter(record, status=CommentStatus.SPAM).exists():
        verdict.add(3, _("earlier spam from this address or email"))
    return verdict

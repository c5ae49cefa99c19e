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
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db.models import Count, Min, Q
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


@dataclass(frozen=True)
class History:
    """What the database knows about this poster and this text, read in one query."""

    by_ip: int = 0
    by_ip_since: datetime | None = None
    by_email: int = 0
    by_email_since: datetime | None = None
    repeated: bool = False
    elsewhere: bool = False
    earlier_spam: bool = False
    trusted: bool = False
    pending_here: int = 0


def read_history(*, article, name, email, ip, body, now=None):
    """Return the poster's recent comments, repeats, record and the article's queue."""
    now = now or timezone.now()
    since = now - timedelta(seconds=settings.COMMENTS_RATE_WINDOW)
    digest = body_digest(body)
    nothing = Q(pk__in=[])
    by_ip = Q(ip_address=ip) if ip else nothing
    by_email = Q(email_hash=email_digest(email)) if email else nothing
    who = by_ip | by_email
    same_text = Q(body_digest=digest)
    pending = Q(article=article, status=CommentStatus.PENDING)
    # One query over the rows any check needs (each side has an index).
    rows = Comment.objects.filter(who | same_text | pending)
    row = rows.aggregate(
        by_ip=Count("pk", filter=by_ip & Q(created_at__gte=since)),
        by_ip_since=Min("created_at", filter=by_ip & Q(created_at__gte=since)),
        by_email=Count("pk", filter=by_email & Q(created_at__gte=since)),
        by_email_since=Min("created_at", filter=by_email & Q(created_at__gte=since)),
        repeated=Count("pk", filter=same_text & Q(article=article) & who),
        elsewhere=Count("pk", filter=same_text & ~Q(article=article)),
        earlier_spam=Count("pk", filter=who & Q(status=CommentStatus.SPAM)),
        trusted=Count(
            "pk",
            filter=by_email & Q(status=CommentStatus.APPROVED, name__iexact=name.strip()),
        ),
        pending_here=Count("pk", filter=pending),
    )
    return History(
        by_ip=row["by_ip"],
        by_ip_since=row["by_ip_since"],
        by_email=row["by_email"],
        by_email_since=row["by_email_since"],
        repeated=bool(row["repeated"]),
        elsewhere=bool(row["elsewhere"]),
        earlier_spam=bool(row["earlier_spam"]),
        trusted=bool(row["trusted"]) and settings.COMMENTS_TRUST_APPROVED,
        pending_here=row["pending_here"],
    )


def check_rates(history, *, now=None):
    """Refuse a poster over the per-IP or per-email limit for the window."""
    now = now or timezone.now()
    window = timedelta(seconds=settings.COMMENTS_RATE_WINDOW)
    for limit, count, oldest in (
        (settings.COMMENTS_RATE_PER_IP, history.by_ip, history.by_ip_since),
        (settings.COMMENTS_RATE_PER_EMAIL, history.by_email, history.by_email_since),
    ):
        if limit and count >= limit:
            # When the oldest post in the window leaves it (an upper bound of the wait).
            wait = int((oldest + window - now).total_seconds()) + 1
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


def check_repeat(history):
    """Refuse the same text posted twice on one article by the same person (a double submit)."""
    if history.repeated:
        raise Refusal(_("You have already posted this comment."), field="body")


def check_queue(history):
    limit = settings.COMMENTS_MAX_PENDING_PER_ARTICLE
    if limit and history.pending_here >= limit:
        raise Refusal(
            _("Many comments on this article are awaiting moderation. Please try again later."),
            status=429,
            retry_after=3600,
        )


def _matches_host(host, blocked):
    return host == blocked or host.endswith("." + blocked)


def score(*, history, name, website, body):
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
    if history.elsewhere:
        verdict.add(3, _("same text posted on another article"))
    links = count_links(body)
    if links:
        verdict.add(links, ngettext("%(count)d link", "%(count)d links", links) % {"count": links})
    if count_links(name):
        verdict.add(2, _("a link in the name"))
    if history.earlier_spam:
        verdict.add(3, _("earlier spam from this address or email"))
    return verdict

"""Comment emails through a durable outbox: queued with the change, sent after the commit.

`queue_mail()` writes a `CommentMail` row inside the caller's transaction and
asks for delivery once it commits, on a background thread, so nobody waits for
SMTP. A failed send stays queued with a growing delay (and a log line);
`manage.py send_comment_mail` (run it from cron) sends whatever is due, so a
crash or an SMTP outage delays mail but never loses it (docs/comments.md).
"""

import logging
import threading
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connections, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from articles.models import CommentMail

logger = logging.getLogger(__name__)

BATCH_SIZE = 50
FIRST_RETRY_SECONDS = 60
MAX_RETRY_SECONDS = 6 * 60 * 60
LEASE_SECONDS = 2 * 60

_threads = []
_threads_lock = threading.Lock()


def queue_mail(*, to, subject, template, context, unsubscribe_url=""):
    """Render an email from template(.txt/.html), queue it for each address in `to`.

    One insert for all recipients; delivery starts once the caller's transaction commits.
    """
    recipients = [to] if isinstance(to, str) else list(to)
    if not recipients:
        return []
    context = {**context, "SITE_NAME": settings.SITE_NAME, "unsubscribe_url": unsubscribe_url}
    text = render_to_string(f"comments/email/{template}.txt", context)
    html = render_to_string(f"comments/email/{template}.html", context)
    subject = " ".join(subject.split())[:300]
    mails = CommentMail.objects.bulk_create(
        CommentMail(
            to=address, subject=subject, text=text, html=html, unsubscribe_url=unsubscribe_url
        )
        for address in recipients
    )
    transaction.on_commit(start_delivery, robust=True)
    return mails


def retry_delay(attempts):
    seconds = FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, MAX_RETRY_SECONDS))


def _claim_due(*, include_future):
    now = timezone.now()
    with transaction.atomic():
        due = CommentMail.objects.select_for_update(skip_locked=True).order_by("next_attempt_at")
        if not include_future:
            due = due.filter(next_attempt_at__lte=now)
        mails = list(due[:BATCH_SIZE])
        # A lease: another worker skips these while this one sends them.
        CommentMail.objects.filter(pk__in=[mail.pk for mail in mails]).update(
            next_attempt_at=now + timedelta(seconds=LEASE_SECONDS)
        )
    return mails


def as_message(mail):
    headers = {}
    if mail.unsubscribe_url:
        # One-click unsubscribe (RFC 8058): mail clients POST to the link.
        headers["List-Unsubscribe"] = f"<{mail.unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mail.to],
        headers=headers,
    )
    if mail.html:
        message.attach_alternative(mail.html, "text/html")
    return message


def deliver_due(*, include_future=False):
    """Send every queued email that is due; return (sent, failed)."""
    sent = failed = 0
    for mail in _claim_due(include_future=include_future):
        try:
            as_message(mail).send()
        except Exception as error:  # SMTP, DNS, TLS: every failure is retried, none lost.
            failed += 1
            mail.attempts += 1
            mail.last_error = f"{type(error).__name__}: {error}"[:1000]
            mail.next_attempt_at = timezone.now() + retry_delay(mail.attempts)
            mail.save(update_fields=["attempts", "last_error", "next_attempt_at"])
            logger.warning(
                "Comment email %s to %s failed (attempt %d), retrying after %s: %s",
                mail.pk,
                mail.to,
                mail.attempts,
                mail.next_attempt_at.isoformat(),
                mail.last_error,
            )
        else:
            sent += 1
            mail.delete()
    return sent, failed


def _deliver_in_background():
    try:
        deliver_due()
    except Exception:
        logger.exception("Comment email delivery stopped; queued emails stay queued")
    finally:
        connections.close_all()


def start_delivery():
    thread = threading.Thread(target=_deliver_in_background, name="comment-mail", daemon=True)
    with _threads_lock:
        _threads[:] = [alive for alive in _threads if alive.is_alive()]
        _threads.append(thread)
    thread.start()
    return thread


def join_deliveries(timeout=None):
    """Wait for background deliveries (tests, orderly shutdown)."""
    with _threads_lock:
        running = list(_threads)
    for thread in running:
        thread.join(timeout)

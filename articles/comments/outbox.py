"""Comment emails through a durable outbox: queued with the change, sent after the commit.

`queue_mail()` writes a `CommentMail` row inside the caller's transaction and
asks for delivery once it commits, on a background thread, so nobody waits for
SMTP. A failed send stays queued with a growing delay (and a log line);
`manage.py send_comment_mail` (run it from cron) sends whatever is due, so a
crash or an SMTP outage delays mail but never loses it (docs/comments.md).
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string

from articles.models import CommentMail
from articles.operations.outbox import Outbox

logger = logging.getLogger(__name__)

OUTBOX = Outbox(CommentMail, name="comment-mail", batch_size=50, lease_seconds=2 * 60)


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
    for mail in OUTBOX.claim_due(include_future=include_future):
        try:
            as_message(mail).send()
        except Exception as error:  # SMTP, DNS, TLS: every failure is retried, none lost.
            failed += 1
            OUTBOX.reschedule(mail, error)
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


def start_delivery():
    return OUTBOX.start(deliver_due)


def join_deliveries(timeout=None):
    """Wait for background deliveries (tests, orderly shutdown)."""
    OUTBOX.join(timeout)

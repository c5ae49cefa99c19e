"""Review before publishing: submissions, comments, decisions, notifications, secret links.

An author saves with "Submit for review"; editors see the queue (admin index and the
"review" filter), comment, request changes or approve, and publish or schedule with
the usual status and date fields. Each step is a ReviewEvent and sends an email
through Django's email framework. A secret preview link shows a draft to someone
without an account until it expires or is revoked (docs/authoring.md).
"""

import logging

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.models import Article, PreviewLink, ReviewEvent
from articles.views.queries import display_name

logger = logging.getLogger(__name__)
Kind = ReviewEvent.Kind

# What each button does, and whether it needs the publish permission.
ACTIONS = {
    "submit": (Kind.SUBMITTED, False),
    "comment": (Kind.COMMENT, False),
    "changes": (Kind.CHANGES_REQUESTED, True),
    "approve": (Kind.APPROVED, True),
}


def can_review(user):
    return user.has_perm("articles.publish_article")


def editors():
    """Return the active people who may review: holders of the publish permission."""
    permission = Q(groups__permissions__codename="publish_article") | Q(
        user_permissions__codename="publish_article"
    )
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    return users.filter(permission | Q(is_superuser=True)).distinct()


def record(request, article):
    """Record the review step the pressed button asks for; return it, or None."""
    action = request.POST.get("_review")
    if action not in ACTIONS:
        return None
    kind, needs_publish = ACTIONS[action]
    if needs_publish and not can_review(request.user):
        raise PermissionDenied
    text = request.POST.get("review_text", "").strip()[:10_000]
    if kind == Kind.COMMENT and not text:
        return None
    event = ReviewEvent.objects.create(article=article, user=request.user, kind=kind, text=text)
    transaction.on_commit(lambda: notify(request, event))
    return event


def notify(request, event):
    """Email the people the step concerns; a mail failure never undoes the save."""
    article = event.article
    if event.kind == Kind.SUBMITTED:
        recipients = [user.email for user in editors() if user.pk != event.user_id]
    else:
        # Every co-author hears about the article they share, as its author does.
        people = article.credited_people().exclude(pk=event.user_id).exclude(email="")
        recipients = sorted(people.values_list("email", flat=True))
    if not recipients:
        return
    link = request.build_absolute_uri(reverse("admin:articles_article_change", args=[article.pk]))
    subject = _("%(step)s: %(title)s") % {"step": event.get_kind_display(), "title": article.title}
    lines = [
        _("%(who)s — %(step)s")
        % {"who": display_name(event.user), "step": event.get_kind_display()},
        f"“{article.title}”",
    ]
    if event.text:
        lines += ["", event.text]
    lines += ["", link]
    try:
        send_mail(subject, "\n".join(lines), None, recipients)
    except Exception:  # SMTP errors are many types; the step is recorded either way.
        logger.exception("Could not send the review notification for article %s", article.pk)
        messages.warning(request, _("The step was recorded, but the email could not be sent."))


class ReviewFilter(admin.SimpleListFilter):
    title = gettext_lazy("review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [
            ("waiting", _("Waiting for review")),
            ("changes", _("Changes requested")),
            ("approved", _("Approved")),
        ]

    def queryset(self, request, queryset):
        kinds = {"waiting": Kind.SUBMITTED, "changes": Kind.CHANGES_REQUESTED}
        kinds["approved"] = Kind.APPROVED
        if self.value() in kinds:
            return queryset.filter(review_state=kinds[self.value()])
        return queryset


def review_context(request, article):
    """Return the review thread and controls for the change form."""
    if article is None or article.pk is None:
        return {}
    events = list(article.review_events.select_related("user"))
    links = [link for link in article.preview_links.all() if link.is_active]
    return {
        "review_events": events,
        "review_can_decide": can_review(request.user),
        "review_waiting": bool(events)
        and [e.kind for e in events if e.kind != Kind.COMMENT][-1:] == [Kind.SUBMITTED],
        "preview_links": links,
    }


def create_preview_link(request, article):
    link, token = PreviewLink.create_for(
        article, user=request.user, days=settings.PREVIEW_LINK_DAYS
    )
    url = request.build_absolute_uri(reverse("draft_preview", args=[token]))
    messages.success(
        request,
        _("Secret preview link (shown once, works until %(date)s unless revoked): %(url)s")
        % {"url": url, "date": timezone.localtime(link.expires_at).strftime("%Y-%m-%d %H:%M")},
    )
    return redirect("admin:articles_article_change", article.pk)


def revoke_preview_link(request, article, link_id):
    revoked = article.preview_links.filter(pk=link_id, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if revoked:
        messages.success(request, _("The preview link was revoked; it no longer works."))
    return redirect("admin:articles_article_change", article.pk)


def draft_preview_view(request, token):
    """Show a draft to the holder of a secret link: banner, never cached, never indexed."""
    link = PreviewLink.objects.find(token)
    if link is None:
        raise Http404(_("This preview link has expired or was revoked."))
    article = Article.objects.with_byline().get(pk=link.article_id)
    response = render(
        request,
        "admin/articles/secret_preview.html",
        {
            "article": article,
            "tags": article.tag_links,
            "toc": article.toc if len(article.toc) >= 3 else [],
            "page_title": article.title,
            "link": link,
        },
    )
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"  # The token must not leak to linked sites.
    return response

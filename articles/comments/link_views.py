"""Pages behind the signed links in comment emails; each changes something only on POST."""

from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt

from articles.comments import links
from articles.comments.moderation import delete_by_email_hash, moderate
from articles.comments.notifications import send_forget_link
from articles.comments.views import confirm_page
from articles.models import Comment
from articles.models.comments import email_digest

ACTION_LABELS = {
    "approve": (
        gettext_lazy("Approve this comment?"),
        gettext_lazy("Approve"),
        gettext_lazy("The comment is approved."),
    ),
    "reject": (
        gettext_lazy("Reject this comment?"),
        gettext_lazy("Reject"),
        gettext_lazy("The comment is rejected."),
    ),
    "spam": (
        gettext_lazy("Mark this comment as spam?"),
        gettext_lazy("Mark as spam"),
        gettext_lazy("The comment is marked as spam."),
    ),
    "delete": (
        gettext_lazy("Delete this comment?"),
        gettext_lazy("Delete"),
        gettext_lazy("The comment is deleted."),
    ),
}


def _comment_for(token, kind):
    data = links.read_token(token, kind)
    if data is None:
        raise Http404(_("This link is not valid any more."))
    comment = Comment.objects.select_related("article").filter(pk=data.get("c")).first()
    if comment is None or ("e" in data and data["e"] != comment.email_hash):
        raise Http404(_("This comment is not there any more."))
    return data, comment


def _only_get_or_post(request):
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    return None


# The links are the credential (a capability, like a password-reset link), so
# the forms they show carry no CSRF token; nothing happens before the POST.


@csrf_exempt
def moderate_link(request, token):
    refused = _only_get_or_post(request)
    if refused:
        return refused
    data, comment = _comment_for(token, "moderate")
    action = data.get("a")
    if action not in links.MODERATION_ACTIONS:
        raise Http404(_("This link is not valid any more."))
    question, button, done = (str(text) for text in ACTION_LABELS[action])
    if request.method == "POST":
        moderate(comment, action)
        return confirm_page(request, title=done, message=done, button="", done=True)
    return confirm_page(request, title=question, message=question, button=button, comment=comment)


@csrf_exempt
def unsubscribe(request, token):
    refused = _only_get_or_post(request)
    if refused:
        return refused
    _data, comment = _comment_for(token, "unsubscribe")
    if request.method == "POST":
        Comment.objects.filter(pk=comment.pk).update(wants_replies=False)
        done = _("You will get no more emails about replies to this comment.")
        return confirm_page(request, title=done, message=done, button="", done=True)
    question = _("Stop emails about replies to this comment?")
    return confirm_page(
        request, title=question, message=question, button=_("Unsubscribe"), comment=comment
    )


@csrf_exempt
def delete_own(request, token):
    refused = _only_get_or_post(request)
    if refused:
        return refused
    _data, comment = _comment_for(token, "delete")
    if request.method == "POST":
        moderate(comment, "delete")
        done = _("Your comment is deleted.")
        return confirm_page(request, title=done, message=done, button="", done=True)
    question = _("Delete your comment? Replies to it are deleted with it.")
    return confirm_page(
        request, title=question, message=question, button=_("Delete"), comment=comment
    )


@csrf_exempt
def forget(request):
    """Ask for a link that deletes every comment posted with an email address."""
    sent = False
    if request.method == "POST":
        email = request.POST.get("email", "").strip().lower()
        if "@" in email and len(email) <= 254:
            digest = email_digest(email)
            # The same answer whether or not there are comments: nothing leaks.
            if Comment.objects.filter(email_hash=digest).exists():
                send_forget_link(email, digest)
            sent = True
    return render(
        request,
        "comments/forget.html",
        {"page_title": _("Delete your comments"), "sent": sent},
        status=200 if sent or request.method == "GET" else 400,
    )


@csrf_exempt
def forget_confirm(request, token):
    refused = _only_get_or_post(request)
    if refused:
        return refused
    data = links.read_token(token, "forget")
    if data is None:
        raise Http404(_("This link is not valid any more."))
    if request.method == "POST":
        count = delete_by_email_hash(data["e"])
        done = _("%(count)d comments deleted.") % {"count": count}
        return confirm_page(request, title=done, message=done, button="", done=True)
    question = _("Delete every comment posted with your email address?")
    return confirm_page(request, title=question, message=question, button=_("Delete all"))

"""Readers' comment endpoints: post, preview, a fresh form stamp, and the signed email links.

None of these is page-cached (they live outside the `articles` namespace).
The comment form sits on cached article pages, so it carries no CSRF token
(the token's cookie would make every article page uncacheable): posting is
csrf-exempt for anonymous readers, who have no session to ride on, and checked
against CSRF as usual for logged-in staff, whose replies carry their role.
"""

from django.conf import settings
from django.http import JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from articles.comments.forms import CommentForm
from articles.comments.posting import discussion_annotations, discussion_for, post_comment
from articles.comments.rendering import render_comment
from articles.comments.spam import HONEYPOT_FIELD, Refusal, make_stamp
from articles.models import Article, CommentStatus
from site_config.security import client_ip


def _csrf_failure(request):
    """Return a rejection for a logged-in poster without a valid CSRF token, else None."""
    if not request.user.is_authenticated:
        return None
    checker = CsrfViewMiddleware(lambda request: None)
    return checker.process_view(request, None, (), {})


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def _never_cached(response):
    add_never_cache_headers(response)
    return response


def _form_page(request, article, form, *, message="", status=400, retry_after=None, preview=""):
    if _wants_json(request):
        errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
        response = JsonResponse({"ok": False, "message": message, "errors": errors}, status=status)
    else:
        response = render(
            request,
            "comments/form_page.html",
            {
                "article": article,
                "form": form,
                "message": message,
                "preview_html": preview,
                "discussion": discussion_for(article),
                "replying_to": getattr(form, "cleaned_data", {}).get("parent"),
                "staff_user": request.user if request.user.is_authenticated else None,
                "page_title": _("Comment"),
            },
            status=status,
        )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return _never_cached(response)


@csrf_exempt
@require_POST
def post(request, article_pk):
    articles = Article.objects.published().select_related("author").defer("body", "body_html")
    # The discussion switches come with the article: no queries of their own.
    article = get_object_or_404(articles.annotate(**discussion_annotations()), pk=article_pk)
    rejected = _csrf_failure(request)
    if rejected is not None:
        return rejected
    form = CommentForm(request.POST, article=article)
    if "preview" in request.POST:
        # The preview button without JavaScript: the form again, with the rendering.
        form.is_valid()
        preview = render_comment(request.POST.get("body", "")[: settings.COMMENTS_MAX_CHARS])
        return _form_page(request, article, form, status=200, preview=preview)
    if not form.is_valid():
        return _form_page(request, article, form, message=_("Please correct the comment below."))
    try:
        comment = post_comment(
            article=article,
            data=form.cleaned_data,
            user=request.user,
            ip=client_ip(request),
            stamp=form.cleaned_data["stamp"],
            honeypot=form.cleaned_data[HONEYPOT_FIELD],
        )
    except Refusal as refusal:
        if refusal.fresh_stamp:
            data = request.POST.copy()
            data["stamp"] = make_stamp(article.pk)
            form = CommentForm(data, article=article)
            form.is_valid()
        if refusal.field:
            form.add_error(refusal.field, refusal.message)
        return _form_page(
            request,
            article,
            form,
            message=refusal.message,
            status=refusal.status,
            retry_after=refusal.retry_after,
        )
    approved = comment.status == CommentStatus.APPROVED
    message = (
        _("Your comment is published.")
        if approved
        else _("Thank you. Your comment will appear once a moderator approves it.")
    )
    if _wants_json(request):
        return _never_cached(
            JsonResponse(
                {
                    "ok": True,
                    "approved": approved,
                    "message": message,
                    "url": comment.get_absolute_url() if approved else "",
                },
                status=201,
            )
        )
    if approved:
        return redirect(comment.get_absolute_url(), permanent=False)
    return _never_cached(
        render(
            request,
            "comments/posted.html",
            {"article": article, "comment": comment, "message": message, "page_title": message},
        )
    )


@csrf_exempt
@require_POST
def preview(request):
    """Return the body rendered as it would be shown (the form's live preview)."""
    body = request.POST.get("body", "")
    if len(body) > settings.COMMENTS_MAX_CHARS:
        return JsonResponse({"html": "", "error": _("The comment is too long.")}, status=400)
    return _never_cached(JsonResponse({"html": render_comment(body)}))


@require_GET
def stamp(request, article_pk):
    """Return a fresh form stamp: the script swaps it in, since the page may be cached."""
    return _never_cached(JsonResponse({"stamp": make_stamp(article_pk)}))


def confirm_page(request, *, title, message, button, comment=None, done=False, status=200):
    response = render(
        request,
        "comments/confirm.html",
        {
            "page_title": title,
            "message": message,
            "button": button,
            "comment": comment,
            "done": done,
        },
        status=status,
    )
    return _never_cached(response)

"""The comments under an article: {% article_comments article %} (docs/comments.md)."""

from django import template
from django.conf import settings

from articles.caching.pages import expire_page_at
from articles.comments.forms import CommentForm
from articles.comments.identicons import identicon_svg
from articles.comments.posting import discussion_for
from articles.comments.spam import page_stamp
from articles.comments.threads import threads_of

register = template.Library()
SAFE_SCHEMES = ("http://", "https://")


def _logged_in_user(request):
    # Only touch the session when there is one: reading request.user would add
    # "Vary: Cookie" to every reader's cached page.
    if request is None or settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return None
    user = request.user
    return user if user.is_authenticated else None


@register.inclusion_tag("includes/comments.html", takes_context=True)
def article_comments(context, article):
    request = context.get("request")
    # The article page loads them first, for its math font (articles/views/detail.py).
    threads, count = context.get("comment_threads") or threads_of(article)
    discussion = discussion_for(article)
    # The form must not outlive the discussion in a cached page.
    expire_page_at(request, discussion.closes_at)
    user = _logged_in_user(request)
    replying_to = None
    wanted = request.GET.get("reply", "") if request is not None else ""
    if wanted.isdigit():
        replying_to = next((c for c, _ in threads if c.pk == int(wanted)), None)
    initial = {"stamp": page_stamp(article.pk), "parent": replying_to.pk if replying_to else None}
    if user is not None:
        initial["name"] = user.get_full_name() or user.get_username()
        initial["email"] = user.email
    return {
        "article": article,
        "threads": threads,
        "count": count,
        "discussion": discussion,
        "form": CommentForm(article=article, initial=initial),
        "replying_to": replying_to,
        "staff_user": user,
        "request": request,
        "LANGUAGE_CODE": context.get("LANGUAGE_CODE"),
    }


@register.simple_tag
def identicon(comment):
    return identicon_svg(comment.email_hash or f"name:{comment.name}")


@register.filter
def http_url(value):
    """Return value if it is an http(s) URL, else an empty string."""
    value = (value or "").strip()
    return value if value.lower().startswith(SAFE_SCHEMES) else ""

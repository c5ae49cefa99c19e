"""The editor's server side: the live preview with problems and feed card, and autosave.

The preview renders through `render_article`, the function `Article.save()` uses,
so the author sees the published page. Autosaves go to `ArticleAutosave`, a copy
kept beside the article: a published article's live text changes only on Save
(docs/authoring.md).
"""

from django.conf import settings
from django.http import JsonResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from articles.admin.problems import block_lines, find_problems, parse
from articles.models import Article, ArticleAutosave
from articles.rendering.pipeline import render_article


def too_long(text):
    return len(text) > settings.MAX_BODY_CHARS


def too_long_response(text):
    message = _("The article is %(length)s characters long; the limit is %(limit)s.") % {
        "length": f"{len(text):,}",
        "limit": f"{settings.MAX_BODY_CHARS:,}",
    }
    return JsonResponse({"error": message}, status=413)


def draft_slugs(slugs):
    """Return which of these article slugs readers cannot see (drafts and scheduled)."""
    existing = Article.objects.filter(slug__in=slugs)
    return set(existing.values_list("slug", flat=True)) - set(
        existing.published().values_list("slug", flat=True)
    )


def reading_label(minutes, words):
    return (
        ngettext("%(minutes)d min read", "%(minutes)d min read", minutes) % {"minutes": minutes}
        + " · "
        + ngettext("%(words)s word", "%(words)s words", words) % {"words": f"{words:,}"}
    )


def desk_preview(request):
    """Answer the editor: rendered HTML, problems, the feed card and counts, as JSON."""
    text = request.POST.get("content", "")
    if too_long(text):
        return too_long_response(text)
    language = request.POST.get("language") or settings.LANGUAGE_CODE
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    summary = request.POST.get("summary", "")[:1000]
    result = render_article(text, language=language, summary=summary)
    tokens = parse(text)
    return JsonResponse(
        {
            "html": result.html,
            "problems": find_problems(text, tokens=tokens, draft_slugs=draft_slugs),
            "blocks": block_lines(tokens),
            "card": {
                "title": request.POST.get("title", "")[:200] or _("Untitled"),
                "preview": result.preview,
                "meta": reading_label(result.reading_minutes, result.word_count),
            },
            "words": result.word_count,
            "minutes": result.reading_minutes,
        }
    )


def autosave_payload(autosave):
    if autosave is None:
        return None
    return {
        "title": autosave.title,
        "body": autosave.body,
        "savedAt": autosave.saved_at.isoformat(),
        "savedLabel": date_format(timezone.localtime(autosave.saved_at), "DATETIME_FORMAT"),
    }


def save_autosave(request, article):
    """Keep the posted text as this person's autosave of the article; the article is untouched."""
    body = request.POST.get("body", "")
    if too_long(body):
        return too_long_response(body)
    autosave, _created = ArticleAutosave.objects.update_or_create(
        article=article,
        user=request.user,
        defaults={
            "title": request.POST.get("title", "")[:200],
            "body": body,
            "saved_at": timezone.now(),
        },
    )
    return JsonResponse({"saved": True, **autosave_payload(autosave)})


def discard_autosave(request, article):
    ArticleAutosave.objects.filter(article=article, user=request.user).delete()
    return JsonResponse({"discarded": True})


def pending_autosave(article, user):
    """Return the autosave newer than the article's last save that differs from it, or None."""
    if article is None or article.pk is None:
        return None
    autosave = ArticleAutosave.objects.filter(article=article, user=user).first()
    if autosave is None:
        return None
    if autosave.saved_at <= article.updated_at or (autosave.title, autosave.body) == (
        article.title,
        article.body,
    ):
        return None
    return autosave


def editor_config(request, article):
    """Return what the editor's script needs to know, for a json_script block."""
    return {
        "articleId": article.pk if article else None,
        "maxChars": settings.MAX_BODY_CHARS,
        "autosaveSeconds": settings.AUTOSAVE_SECONDS,
        "serverAutosave": autosave_payload(pending_autosave(article, request.user)),
        "loadedAt": article.updated_at.isoformat() if article else None,
        "user": request.user.get_username(),
    }

"""An article's own math font, made on its first request (articles/media/math_fonts.py)."""

import logging

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_safe

from articles.media.math_fonts import font_bytes, font_digest
from articles.models import Article
from articles.models.fonts import page_font_glyphs

logger = logging.getLogger(__name__)


@require_safe
def math_font(request, pk, digest):
    """Return the WOFF2 subset named in the article's page; 404 for any other name.

    Only the digest of what the page shows now (the article's formulas and its
    approved comments' ones) is built, so nobody can make
    the server cut fonts for character sets of their choosing. A page cached
    before an edit names the old digest: it gets a 404 and the browser falls back
    to the site-wide faces until the page is rendered again.
    """
    # Whoever may see the page may have its font: readers a published article's, its
    # authors and editors a draft's. Nobody else learns that a draft with math exists.
    visible = Article.objects.previewable_by(request.user).filter(pk=pk)
    article_glyphs = visible.values_list("math_glyphs", flat=True).first()
    if article_glyphs is None:
        raise Http404("No such font.")
    glyphs = page_font_glyphs(pk, article_glyphs)
    if not glyphs or font_digest(glyphs) != digest:
        raise Http404("No such font.")
    try:
        data = font_bytes(glyphs, digest)
    except (OSError, ValueError) as error:
        # The page's font-family list goes on to the site-wide faces.
        logger.warning("Math font %s for article %s could not be made: %s", digest, pk, error)
        raise Http404("No such font.") from None
    response = HttpResponse(data, content_type="font/woff2")
    # Named by a digest of its contents: it never changes, so it may be kept for good;
    # by shared caches only when the article is public.
    public = Article.objects.published().filter(pk=pk).exists()
    scope = "public" if public else "private"
    response["Cache-Control"] = f"{scope}, max-age=31536000, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    return response

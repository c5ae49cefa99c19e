"""What an article page's own math font covers, and cutting it as soon as an article is saved.

The page shows the article's formulas and its approved comments' ones, so its
font covers both (articles/media/math_fonts.py). The view that serves the font
and the save that prepares it ask the same question here.
"""

import logging

from articles.media.math_fonts import font_bytes, font_digest, page_glyphs
from articles.models.comments import Comment, CommentStatus

logger = logging.getLogger(__name__)


def page_font_glyphs(article_id, article_glyphs):
    """Return the unicode-range the article's page declares for its own font ("" for none)."""
    comments = Comment.objects.filter(
        article_id=article_id, status=CommentStatus.APPROVED, body_html__contains="<math"
    )
    return page_glyphs(article_glyphs, comments.values_list("body_html", flat=True))


def prepare_math_font(article):
    """Cut and store the page's font now, so its first reader does not wait for it.

    Run once a save is committed; a failure only means the first request cuts it.
    """
    glyphs = page_font_glyphs(article.pk, article.math_glyphs)
    digest = font_digest(glyphs)
    if digest is None:
        return
    try:
        font_bytes(glyphs, digest)
    except (OSError, ValueError) as error:
        logger.warning("Math font for article %s not prepared: %s", article.pk, error)

"""Each article's own math font: the characters its formulas use, cut from Latin Modern Math.

An article page declares a face "Inkstone Math Article" whose unicode-range is
the article's `math_glyphs` (articles/rendering/math_glyphs.py) with those of the
formulas in its approved comments (page_glyphs()), and whose file
is made on the first request for it (articles/views/fonts.py), then kept in
the storage backend under a name that is a digest of the characters and the
source font, so it never changes and articles with the same characters share
it. The site-wide faces ("Inkstone Math", static/css/content.css) follow in the
font-family list: a character outside the subset (a formula in a comment being
previewed, say) falls back to them, and so does everything when the source font
is missing.
Sizes and timings: docs/math.md, "Fonts".
"""

import hashlib
import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from articles.rendering.math_assets import FONT_STAMP, SOURCE_FONT, subset_woff2
from articles.rendering.math_glyphs import math_code_points, parse_unicode_range, unicode_range

logger = logging.getLogger(__name__)

FAMILY = "Inkstone Math Article"
STORAGE_DIR = "math-fonts"


@dataclass(frozen=True)
class MathFont:
    url: str
    css: str  # the @font-face rule the page inlines (its hash goes in the page's CSP)


def source_path():
    return Path(settings.MATH_ASSETS_DIR) / SOURCE_FONT


@lru_cache(maxsize=1)
def _source_stamp(path, modified):
    stamp = path.parent.parent / FONT_STAMP
    return stamp.read_text().strip() if stamp.exists() else str(modified)


def source_stamp():
    """Return what identifies the source font, or None when it is not installed."""
    path = source_path()
    try:
        modified = path.stat().st_mtime_ns
    except OSError:
        return None
    return _source_stamp(path, modified)


def font_digest(glyphs):
    """Return the name of the font for these glyphs: it changes with them and the source font."""
    stamp = source_stamp()
    if stamp is None or not glyphs:
        return None
    return hashlib.blake2b(f"{stamp}\n{glyphs}".encode(), digest_size=16).hexdigest()


def page_glyphs(article_glyphs, comment_htmls=()):
    """Return the unicode-range of a page: the article's formulas and its comments' ones."""
    codes = set(parse_unicode_range(article_glyphs)) if article_glyphs else set()
    for html in comment_htmls:
        codes.update(math_code_points(html))
    return unicode_range(sorted(codes))


def article_font(article, glyphs):
    """Return the page's MathFont for `glyphs` (page_glyphs()), or None.

    None without formulas, or when the source font is not installed.
    """
    digest = font_digest(glyphs)
    if digest is None:
        return None
    url = reverse("articles:math_font", kwargs={"pk": article.pk, "digest": digest})
    css = (
        f'@font-face{{font-family:"{FAMILY}";src:url("{url}") format("woff2");'
        f"font-display:swap;unicode-range:{glyphs}}}"
    )
    return MathFont(url, css)


def storage_name(digest):
    return f"{STORAGE_DIR}/{digest[:2]}/{digest}.woff2"


def font_bytes(glyphs, digest):
    """Return the WOFF2 file for `glyphs`: from storage, or made now and stored."""
    name = storage_name(digest)
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as stored:
            return stored.read()
    data = subset_woff2(source_path().read_bytes(), parse_unicode_range(glyphs))
    if not default_storage.exists(name):  # Another request may have stored it meanwhile.
        default_storage.save(name, ContentFile(data))
    return data

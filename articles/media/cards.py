"""Draw an article's social card: a 1200 × 630 PNG for link previews (docs/media.md).

Pure drawing, no models: the caller passes the words, this returns PNG bytes.
The font is Noto Sans CJK from the `noto-cjk-sans-otc` package, installed from
PyPI with the rest of the requirements, so Chinese titles draw as glyphs, not
boxes; CARD_FONT_PATH points at another font. Without a usable font there is no
card (the site card is shown instead) and the log says why, once per process.
"""

import hashlib
import logging
from dataclasses import astuple, dataclass
from functools import lru_cache
from io import BytesIO

from django.conf import settings
from PIL import Image, ImageDraw, ImageFont

logger = logging.getLogger(__name__)

WIDTH, HEIGHT = 1200, 630
MARGIN = 80
# The site's light palette (static/css/site.css): background, text, muted, accent, rule.
PALETTE = {
    "bg": "#fdfdfc",
    "fg": "#1d1d1f",
    "muted": "#585861",
    "accent": "#0b5cad",
    "rule": "#e3e3e6",
}
# Largest first: a short title gets big type, a long one shrinks before it is cut.
TITLE_SIZES = (76, 68, 60, 52)
TITLE_MAX_LINES = 4
# Bump when the layout changes so every card is drawn again (it is part of the digest).
LAYOUT_VERSION = "1"
# Face 2 of the Noto Sans CJK collection is Simplified Chinese (SC).
NOTO_SC_INDEX = 2

_warned = False


@dataclass(frozen=True)
class CardText:
    title: str
    site_name: str
    author: str
    category: str = ""

    def digest(self):
        """Return a name for these inputs: the same words always give the same card."""
        parts = (LAYOUT_VERSION, *PALETTE.values(), *astuple(self))
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32]


def font_source():
    """Return (path, face index) of the card font, or None when there is none."""
    configured = getattr(settings, "CARD_FONT_PATH", "")
    if configured:
        return configured, 0
    try:
        from noto_cjk_sans_otc import FONT_PATH
    except ImportError:
        return None
    return str(FONT_PATH), NOTO_SC_INDEX


@lru_cache(maxsize=16)
def _font(path, index, size):
    return ImageFont.truetype(path, size, index=index)


def card_font(size):
    """Return the card font at a size, or None (logged once) when it cannot be loaded."""
    global _warned
    source = font_source()
    reason = "no CJK font package is installed (noto-cjk-sans-otc; see docs/media.md)"
    if source is not None:
        try:
            return _font(*source, size)
        except OSError as error:
            reason = f"the font {source[0]} could not be loaded ({error})"
    if not _warned:
        _warned = True
        logger.warning("Social cards are off, articles share the site card: %s.", reason)
    return None


def is_wide(char):
    """Return whether a line may break before and after this character (CJK ideographs, kana)."""
    code = ord(char)
    return 0x2E80 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0xFF00 <= code <= 0xFFEF


def tokens(text):
    """Split text into unbreakable pieces: Latin words with their space, CJK characters alone."""
    pieces, word = [], ""
    for char in text:
        if is_wide(char):
            if word:
                pieces.append(word)
                word = ""
            pieces.append(char)
        elif char.isspace():
            pieces.append(word + " ")
            word = ""
        else:
            word += char
    if word:
        pieces.append(word)
    return [piece for piece in pieces if piece.strip()]


def wrap(text, font, width, max_lines):
    """Return the lines of text that fit; a cut last line ends with an ellipsis."""
    lines, line = [], ""
    for piece in tokens(text):
        if line and font.getlength((line + piece).rstrip()) > width:
            lines.append(line.rstrip())
            line = ""
        while not line and font.getlength(piece.rstrip()) > width:
            # One word wider than the card (a long URL): cut it where it overflows.
            cut = next(n for n in range(len(piece), 0, -1) if font.getlength(piece[:n]) <= width)
            lines.append(piece[: max(cut, 1)])
            piece = piece[max(cut, 1) :]
        line += piece
    if line.strip():
        lines.append(line.rstrip())
    if len(lines) <= max_lines:
        return lines, True
    kept = lines[:max_lines]
    last = kept[-1]
    while last and font.getlength(last + "…") > width:
        last = last[:-1]
    kept[-1] = last.rstrip() + "…"
    return kept, False


def line_height(font):
    return int(font.size * 1.3)


def fit_title(title, width, height):
    """Return (font, lines) for the title: the largest size at which it fits whole."""
    for size in TITLE_SIZES:
        font = card_font(size)
        if font is None:
            return None, []
        max_lines = min(TITLE_MAX_LINES, height // line_height(font))
        lines, whole = wrap(title, font, width, max_lines)
        if whole:
            return font, lines
    return font, lines


def draw_card(text):
    """Return the card for these words as PNG bytes, or None when no font is available."""
    inner = WIDTH - 2 * MARGIN
    small, site_font = card_font(32), card_font(36)
    if small is None:
        return None
    top = MARGIN + (64 if text.category else 0)
    footer = HEIGHT - MARGIN - 36
    title_font, lines = fit_title(text.title, inner, footer - 48 - top)
    image = Image.new("RGB", (WIDTH, HEIGHT), PALETTE["bg"])
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 20, HEIGHT), fill=PALETTE["accent"])
    if text.category:
        category, _whole = wrap(text.category, small, inner, 1)
        draw.text((MARGIN, MARGIN), category[0], font=small, fill=PALETTE["accent"])
    step = line_height(title_font)
    for number, line in enumerate(lines):
        draw.text((MARGIN, top + number * step), line, font=title_font, fill=PALETTE["fg"])
    draw.line((MARGIN, footer - 28, WIDTH - MARGIN, footer - 28), fill=PALETTE["rule"], width=2)
    site = text.site_name
    site_width = site_font.getlength(site)
    author, _whole = wrap(text.author, small, inner - site_width - 40, 1)
    draw.text((MARGIN, footer), author[0] if author else "", font=small, fill=PALETTE["muted"])
    draw.text(
        (WIDTH - MARGIN - site_width, footer - 2), site, font=site_font, fill=PALETTE["accent"]
    )
    out = BytesIO()
    image.save(out, "PNG", compress_level=6)
    return out.getvalue()

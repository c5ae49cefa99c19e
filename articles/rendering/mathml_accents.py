"""Rewrite KaTeX's accents into characters and boxes Chromium sets like TeX.

KaTeX names accents by Unicode characters that Latin Modern Math lacks (U+203E
for \\overline, U+02C9 for \\bar) or that Chromium places badly (the combining
arrow of \\vec has no advance width, so it hangs left of its base). Each case
was measured in Chromium; docs/math.md ("Accents") gives the numbers.
"""

import xml.etree.ElementTree as ET

from articles.rendering.mathml_tables import add_class, drop

# \overline and \underline are rules, not glyphs: no character of the font
# stretches to the base and sits clear of it, so the row draws a border.
_RULES = {("mover", "\u203e"): "tex-overline", ("munder", "\u203e"): "tex-underline"}
# KaTeX has no character for \overlinesegment and \underlinesegment and writes the
# word "undefined" as the accent, which a reader would see. A rule keeps the line
# (without the segment's end ticks).
_RULES |= {(tag, "undefined"): rule for (tag, _), rule in _RULES.items()}
# Fixed-size accents KaTeX writes with characters the font lacks (ˉ ˊ ˋ) or
# with the font's large ASCII ^ and ~, which are wider than the base letter;
# these are the glyphs TeX's \bar, \acute, \grave, \hat and \tilde use.
_SMALL = {"\u02c9": "\u00af", "\u02ca": "\u00b4", "\u02cb": "`", "^": "\u02c6", "~": "\u02dc"}
# \widehat: the combining circumflex is the one hat with wide variants in the
# font that Chromium stretches sideways (U+0303, the tilde, it stretches
# vertically, so \widetilde keeps KaTeX's ~).
_WIDE_HAT = "\u0302"
# Letters narrower than the smallest wide hat (0.365 em): Chromium would draw the
# zero-width base glyph, left of the letter, so they get \hat's accent instead.
_NARROW = set("iltfIı|!'.,:;()[]ι\U0001d456\U0001d459\U0001d461\U0001d6a4")
# \vec's arrow (U+20D7) is TeX's small vector accent, but its glyph has no
# advance: its ink lies 0.056-0.472 em left of its origin and 0.521-0.711 em up.
# A box 0.528 em wide with the origin at its right edge centres the ink; moved
# down to sit on the baseline, it keeps its place as an accent close to the base
# (a padded box otherwise reaches down to the baseline, 0.52 em below the ink).
_VECTOR = "\u20d7"
_VECTOR_BOX = {
    "width": "0.528em", "lspace": "0.528em", "height": "0.19em", "depth": "0",
    "voffset": "-0.521em",
}  # fmt: skip

BOX_CLASSES = frozenset(_RULES.values())


def _accent(element):
    if element.tag not in ("mover", "munder") or len(element) != 2:
        return None
    accent = element[1]
    return accent if accent.tag == "mo" else None


def _is_narrow(base):
    return base.tag in ("mi", "mn", "mo", "mtext") and (base.text or "") in _NARROW


def rewrite_accent(element):
    """Rewrite an accented mover/munder in place; leave any other element alone."""
    accent = _accent(element)
    if accent is None:
        return
    text = accent.text or ""
    stretchy = accent.get("stretchy") == "true"
    rule = _RULES.get((element.tag, text))
    if rule and stretchy:
        element.remove(accent)
        element.tag = "mrow"
        drop(element, "accent", "accentunder")
        add_class(element, rule)
    elif text == "^" and stretchy and not _is_narrow(element[0]):
        accent.text = _WIDE_HAT
    elif text in _SMALL and (not stretchy or text == "^"):
        accent.text = _SMALL[text]
        drop(accent, "stretchy")
    elif text == _VECTOR and not stretchy:
        box = ET.Element("mpadded", _VECTOR_BOX)
        element.remove(accent)
        box.append(accent)
        element.append(box)

"""The characters an article's formulas are drawn with, for a font made to fit them.

An article page fetches a subset of the math font holding just these characters
(articles/media/math_fonts.py): about 30 KB where the site-wide files weigh
200-390 KB (docs/math.md, "Fonts"). The set is read from the stored HTML at
save time and kept as a CSS unicode-range, which is both what the font is
built from and what its @font-face declares.

Besides the text of every <math> element, it holds what the browser draws
without it being in the text: the italic letter a one-letter <mi> is shown
with (MathML Core's `text-transform: math-auto`), and the radical sign of
<msqrt> and <mroot>. The TeX source kept in <annotation> is never drawn.
Equation numbers, set in the same face beside display math, count too.
"""

from html.parser import HTMLParser

SPACE = 0x20
RADICAL = 0x221A
# MathML Core's italic mapping (the math-auto transform), as code point offsets:
# (first, last, first italic), plus the single characters mapped on their own.
ITALIC_RUNS = (
    (ord("A"), ord("Z"), 0x1D434),
    (ord("a"), ord("z"), 0x1D44E),
    (0x0391, 0x03A9, 0x1D6E2),
    (0x03B1, 0x03C9, 0x1D6FC),
)
ITALIC_SINGLES = {
    ord("h"): 0x210E,
    0x0131: 0x1D6A4,
    0x0237: 0x1D6A5,
    0x03F4: 0x1D6F3,
    0x2207: 0x1D6FB,
    0x2202: 0x1D715,
    0x03F5: 0x1D716,
    0x03D1: 0x1D717,
    0x03F0: 0x1D718,
    0x03D5: 0x1D719,
    0x03F1: 0x1D71A,
    0x03D6: 0x1D71B,
}
# Elements whose text is never drawn.
HIDDEN = {"annotation", "annotation-xml"}
LAYOUT_WHITESPACE = frozenset("\t\n\r\f\v")
# Outside <math>, drawn in the math face (static/css/content.css).
NUMBER_CLASS = "equation-number"


def italic_form(code):
    """Return the code point math-auto draws a one-letter identifier with, or None."""
    if code in ITALIC_SINGLES:
        return ITALIC_SINGLES[code]
    for first, last, italic in ITALIC_RUNS:
        if first <= code <= last:
            return italic + code - first
    return None


class _GlyphCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.codes = set()
        self.depth = 0  # inside how many <math> elements
        self.hidden = 0
        self.identifier = None  # the text of the open <mi>, if math-auto applies to it
        self.number = None  # the tag of the open equation number, if any

    def handle_starttag(self, tag, attrs):
        if tag == "math":
            self.depth += 1
        if not self.depth:
            if self.number is None and NUMBER_CLASS in (dict(attrs).get("class") or "").split():
                self.number = tag
            return
        if tag in HIDDEN:
            self.hidden += 1
        elif tag in ("msqrt", "mroot"):
            self.codes.add(RADICAL)
        elif tag == "mi":
            # mathvariant="normal" keeps the letter upright; nothing else is honoured.
            self.identifier = None if dict(attrs).get("mathvariant") else []

    def handle_endtag(self, tag):
        if not self.depth:
            if tag == self.number:
                self.number = None
            return
        if tag in HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag == "mi" and self.identifier is not None:
            text = "".join(self.identifier).strip()
            if len(text) == 1 and (italic := italic_form(ord(text))) is not None:
                self.codes.add(italic)
            self.identifier = None
        elif tag == "math":
            self.depth -= 1

    def handle_data(self, data):
        if self.number is not None and not self.depth:
            self.codes.update(ord(char) for char in data if char not in LAYOUT_WHITESPACE)
            return
        if not self.depth or self.hidden:
            return
        # Line breaks are markup; a thin or no-break space is a character to draw.
        self.codes.update(ord(char) for char in data if char not in LAYOUT_WHITESPACE)
        if self.identifier is not None:
            self.identifier.append(data)


def math_code_points(html):
    """Return the sorted code points the formulas in `html` are drawn with; [] without math."""
    if "<math" not in html:
        return []
    collector = _GlyphCollector()
    collector.feed(html)
    collector.close()
    if not collector.codes:
        return []
    # The space makes the subset the math's first available font, whose MATH
    # table then sets every formula's layout (CSS Fonts 4, "first available font").
    return sorted(collector.codes | {SPACE})


def unicode_range(codes):
    """Return sorted code points as a compact CSS unicode-range: "U+20,U+28-29"."""
    runs = []
    for code in codes:
        if runs and code == runs[-1][1] + 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    return ",".join(
        f"U+{first:X}" if first == last else f"U+{first:X}-{last:X}" for first, last in runs
    )


def parse_unicode_range(value):
    """Return the code points of a unicode_range() value; ValueError if it is not one."""
    codes = []
    for part in filter(None, value.split(",")):
        if not part.startswith("U+"):
            raise ValueError(f"not a unicode-range: {part!r}")
        first, _, last = part[2:].partition("-")
        start, end = int(first, 16), int(last or first, 16)
        if not 0 <= start <= end <= 0x10FFFF:
            raise ValueError(f"not a unicode-range: {part!r}")
        codes.extend(range(start, end + 1))
    return codes

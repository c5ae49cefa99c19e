"""Give feed readers the lines and boxes that the page draws with CSS.

On the page, \\overline, \\underline, \\boxed, \\cancel and their kin are rows
with a class from content.css (MathML Core has no menclose and Chromium draws
KaTeX's overline glyph short; articles/rendering/mathml_core.py). A feed reader
drops the stylesheet, so those rows would show their content without the bar,
box or strike: \\overline{z} would read as z. Here each becomes the MathML 3
element that says the same thing: an accent for the rules, which every MathML
engine draws, and menclose for the boxes and strikes, which Firefox and Safari
draw (Chromium shows the content, as it did before the rewrite; the TeX source
stays in the annotation either way).
"""

import re

_MROW_TAG = re.compile(r"<(/?)mrow\b([^>]*)>")
_CLASS = re.compile(r'\sclass="([^"]*)"')
_OVERLINE = "\u203e"  # the stretchy line KaTeX writes for both rules
_RULES = {
    "tex-overline": ('<mover accent="true">', f'<mo stretchy="true">{_OVERLINE}</mo></mover>'),
    "tex-underline": (
        '<munder accentunder="true">',
        f'<mo stretchy="true">{_OVERLINE}</mo></munder>',
    ),
}
# The inverse of mathml_core._ENCLOSURES (bottom is a rule, above).
_ENCLOSURES = {
    "tex-box": "box",
    "tex-cancel": "updiagonalstrike",
    "tex-bcancel": "downdiagonalstrike",
    "tex-xcancel": "updiagonalstrike downdiagonalstrike",
    "tex-sout": "horizontalstrike",
    "tex-phase": "phasorangle",
    "tex-angl": "actuarial",
}


def _without_class(attributes, removed):
    """Return the tag's attributes with the `removed` class gone (and class="" with it)."""
    match = _CLASS.search(attributes)
    if not match:
        return attributes
    kept = " ".join(name for name in match.group(1).split() if name != removed)
    replacement = f' class="{kept}"' if kept else ""
    return attributes[: match.start()] + replacement + attributes[match.end() :]


def _rewrite(attributes):
    """Return (opening, closing) markup for an mrow tag with these attributes."""
    match = _CLASS.search(attributes)
    classes = match.group(1).split() if match else []
    for name in classes:
        if name in _RULES:
            before, after = _RULES[name]
            return f"{before}<mrow{_without_class(attributes, name)}>", f"</mrow>{after}"
        if name in _ENCLOSURES:
            rest = _without_class(attributes, name)
            return f'<menclose notation="{_ENCLOSURES[name]}"{rest}>', "</menclose>"
    return f"<mrow{attributes}>", "</mrow>"


def portable_decorations(html_text):
    """Return html_text with every CSS-drawn rule, box and strike in its MathML 3 form.

    The HTML comes from nh3, so tags are well formed and nested; only mrow
    tags need pairing, which a stack of their closing markup does.
    """
    if "tex-" not in html_text:
        return html_text
    pieces, closings, position = [], [], 0
    for match in _MROW_TAG.finditer(html_text):
        pieces.append(html_text[position : match.start()])
        position = match.end()
        attributes = match.group(2)
        if match.group(1):
            pieces.append(closings.pop() if closings else match.group(0))
        elif attributes.endswith("/"):  # <mrow/>: nothing inside to pair
            opening, closing = _rewrite(attributes[:-1])
            pieces.append(opening + closing)
        else:
            opening, closing = _rewrite(attributes)
            pieces.append(opening)
            closings.append(closing)
    pieces.append(html_text[position:])
    return "".join(pieces)

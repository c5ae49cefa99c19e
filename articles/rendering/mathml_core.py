"""Rewrite KaTeX's MathML into MathML Core that Chromium lays out like TeX.

KaTeX writes MathML for the full MathML 3 model; Chromium implements MathML
Core, which ignores table attributes (columnalign, columnspacing, lines),
pseudo-units in mpadded, menclose and mathvariant other than "normal". Each of
those becomes something Core honours: a CSS class from content.css on table
cells and boxes, mspace for padding, Unicode math letters for mathvariant;
accents become glyphs the font has, or rules (mathml_accents).
docs/math.md lists the mapping.
"""

import xml.etree.ElementTree as ET
from html import escape

from articles.rendering.math_alphabets import VARIANTS, styled_text
from articles.rendering.mathml_accents import BOX_CLASSES as _ACCENT_CLASSES
from articles.rendering.mathml_accents import rewrite_accent
from articles.rendering.mathml_spacing import MARKERS as _SPACING_MARKERS
from articles.rendering.mathml_spacing import tex_spacing
from articles.rendering.mathml_tables import add_class, drop, em, table_to_core

_NAMESPACE = ' xmlns="http://www.w3.org/1998/Math/MathML"'
_TOKENS = {"mi", "mn", "mo", "mtext", "ms"}
_SCRIPTED = {"msub", "msup", "msubsup", "munder", "mover", "munderover"}
_TWO_CHILDREN = {"msub", "msup", "munder", "mover", "mfrac", "mroot"}
_OPENERS = set("([{⟨⌈⌊|‖⟦⦃⟮⎰")
_THIN_SPACE = "0.1667em"
_FENCE_GLYPHS = {"\u2223": "|", "\u2225": "\u2016"}

_ENCLOSURES = {
    "box": "tex-box",
    "updiagonalstrike": "tex-cancel",
    "downdiagonalstrike": "tex-bcancel",
    "updiagonalstrike downdiagonalstrike": "tex-xcancel",
    "horizontalstrike": "tex-sout",
    "phasorangle": "tex-phase",
    "actuarial": "tex-angl",
    "bottom": "tex-underline",
}
_TEXT_VARIANTS = {
    "bold": "tex-bold",
    "italic": "tex-italic",
    "bold-italic": "tex-bold tex-italic",
    "sans-serif": "tex-sans",
    "bold-sans-serif": "tex-sans tex-bold",
    "sans-serif-italic": "tex-sans tex-italic",
    "sans-serif-bold-italic": "tex-sans tex-bold tex-italic",
    "monospace": "tex-mono",
}
# Every class this module can emit; the sanitizer allows exactly these.
BOX_CLASSES = frozenset(
    set(_ENCLOSURES.values())
    | {"tex-colorbox", "tex-llap", "tex-clap", "tex-rlap", "tex-pmb", "tex-rule"}
    | {"tex-tagged", "tex-multline", "tex-frame", "tex-framed"}
    | _ACCENT_CLASSES
)
TEXT_CLASSES = frozenset(" ".join(_TEXT_VARIANTS.values()).split())


def _flatten_token(element):
    """Turn <mo><mrow><mi>a</mi>…</mrow></mo> into <mo>a…</mo>, keeping every letter."""
    if not len(element):
        return
    descendants = list(element.iter())[1:]
    if all(child.tag in _TOKENS or child.tag == "mrow" for child in descendants):
        element.text = (element.text or "") + "".join(
            child.text or "" for child in descendants if child.tag in _TOKENS
        )
        for child in list(element):
            element.remove(child)
        drop(element, "mathvariant")
    else:
        # Structure inside an operator (a fraction, a script): keep it as a row.
        element.tag = "mrow"
        drop(element, "lspace", "rspace", "mathvariant", "stretchy")


def _style_token(element):
    variant = element.get("mathvariant")
    if variant in VARIANTS:
        if element.tag == "mtext":
            add_class(element, _TEXT_VARIANTS.get(variant, ""))
            if variant in ("double-struck", "script", "fraktur", "bold-fraktur", "bold-script"):
                element.text = styled_text(element.text or "", variant)
        else:
            element.text = styled_text(element.text or "", variant)
        drop(element, "mathvariant")


def _next_thing(element, parents):
    """Return what follows element in reading order, climbing out of rows and bases."""
    current = element
    while True:
        parent = parents.get(current)
        if parent is None:
            return None
        siblings = list(parent)
        position = siblings.index(current)
        if parent.tag in ("mrow", "mstyle") and position + 1 < len(siblings):
            return siblings[position + 1]
        if parent.tag in ("mrow", "mstyle") or (parent.tag in _SCRIPTED and position == 0):
            current = parent
            continue
        return None


def _opens(element):
    while element is not None and element.tag in ("mrow", "mstyle") and len(element):
        element = element[0]
    return (
        element is not None and element.tag == "mo" and (element.text or "").strip()[:1] in _OPENERS
    )


def _space_function_application(element, parents):
    # TeX puts a thin space between an operator name and an ordinary atom
    # (\log p), none before an opening bracket (\log(x)).
    following = _next_thing(element, parents)
    if following is not None and not _opens(following):
        element.set("rspace", _THIN_SPACE)


def _padded(element):
    background = element.get("mathbackground")
    width = element.get("width", "")
    lspace = element.get("lspace", "")
    if background is not None or "border" in element.get("style", ""):
        # \colorbox, \fcolorbox: a padded, coloured row.
        element.tag = "mrow"
        add_class(element, "tex-colorbox")
        if "border" in element.get("style", ""):
            add_class(element, "tex-box")
        drop(element, "width", "height", "depth", "lspace", "voffset", "style")
        return
    if width in ("0", "0px", "0em"):
        # \llap, \clap, \rlap: content that takes no width.
        kind = "tex-llap" if lspace == "-1width" else "tex-clap" if "width" in lspace else None
        add_class(element, kind or "tex-rlap")
        drop(element, "lspace")
    elif width.startswith("+"):
        # Relative widths are not MathML Core: pad with real spaces instead.
        before = em(lspace)
        after = max(em(width[1:]) - before, 0)
        children = list(element)
        for child in children:
            element.remove(child)
        element.tag = "mrow"
        element.append(ET.Element("mspace", width=f"{before:.3g}em"))
        element.extend(children)
        element.append(ET.Element("mspace", width=f"{after:.3g}em"))
        drop(element, "width", "lspace", "height", "depth", "voffset")
        return
    for name in ("height", "depth"):
        if element.get(name, "").startswith(("+", "-")):
            drop(element, name, "voffset")
    if "width" in lspace:
        drop(element, "lspace")
    if element.get("class") == "vcenter":
        drop(element, "class")


def _split_lines(element, display):
    """Turn a row holding \\\\ or \\newline into a one-column table of rows."""
    breaks = [child for child in element if child.tag == "mspace" and child.get("linebreak")]
    if not breaks:
        return
    lines, current = [], []
    for child in list(element):
        element.remove(child)
        if child in breaks:
            lines.append(current)
            current = []
        else:
            current.append(child)
    lines.append(current)
    table = ET.SubElement(element, "mtable")
    for line in lines:
        cell = ET.SubElement(ET.SubElement(table, "mtr"), "mtd")
        if not display:
            add_class(cell, "tex-l")
        ET.SubElement(cell, "mrow").extend(line)


def _group_script(element):
    """Wrap a script that KaTeX spilled into several children (x_{\\max}) in one row."""
    if element.tag in _TWO_CHILDREN and len(element) > 2:
        row = ET.Element("mrow")
        for child in list(element)[1:]:
            element.remove(child)
            row.append(child)
        element.append(row)


def _walk(element, parents, display, outer):
    _group_script(element)
    for child in list(element):
        parents[child] = element
        _walk(child, parents, display, outer)
    tag = element.tag
    if tag in _TOKENS:
        if len(element):
            for child in element.iter():
                if child is not element and child.tag in _TOKENS:
                    _style_token(child)
            _flatten_token(element)
        _style_token(element)
    if tag == "mo" and element.text == "\u2061":
        _space_function_application(element, parents)
    elif tag == "mo" and element.get("fence") == "true":
        # \left| and vmatrix use the relation ∣, which no dictionary lets stretch.
        element.text = _FENCE_GLYPHS.get(element.text, element.text)
        element.set("stretchy", "true")
    elif tag == "mtable":
        is_outer = element is outer["table"]
        table_to_core(
            element,
            multline=is_outer and outer["multline"],
            tags=outer["tags"] if is_outer else None,
        )
    elif tag == "menclose":
        element.tag = "mrow"
        add_class(element, _ENCLOSURES.get(element.get("notation", ""), "tex-box"))
        drop(element, "notation")
    elif tag == "mpadded":
        _padded(element)
    elif tag in ("mover", "munder"):
        rewrite_accent(element)
    elif tag == "mspace" and element.get("mathbackground") == "black":
        # \rule draws in the text colour, so it shows in dark mode too.
        drop(element, "mathbackground")
        add_class(element, "tex-rule")
    elif tag == "mstyle" and "text-shadow" in element.get("style", ""):
        add_class(element, "tex-pmb")
    if tag in ("mrow", "mstyle", "mtd") and len(element):
        _split_lines(element, display)
    drop(element, "style")


# Markup with none of these needs no rewriting (about half the formulas of real
# articles: $x$, $\\alpha + 1$); it skips the parse.
_REWRITE_MARKERS = (
    "mathvariant", "<mtable", "<menclose", "<mpadded", "<mspace", "<mo><", "<mi><", "<mtext><",
    "\u2061", 'fence="true"', "style=", "class=", "<msub", "<msup", "<munder", "<mover",
    "<mfrac", "<mroot", *_SPACING_MARKERS,
)  # fmt: skip
_ANNOTATION = '<annotation encoding="application/x-tex">'


def _unchanged(markup, *, source, display):
    markup = markup.replace(_NAMESPACE, "", 1)
    if not display:
        markup = markup.replace("<math>", '<math display="inline">', 1)
    opening = markup.find(_ANNOTATION)
    closing = markup.rfind("</annotation>")
    if opening < 0 or closing < opening:
        return markup
    start = opening + len(_ANNOTATION)
    return markup[:start] + escape(source, quote=False) + markup[closing:]


def katex_to_core(katex_html, *, source, display, multline=False, tags=None):
    """Return MathML Core for KaTeX's output, with source as its TeX annotation.

    tags are the \\tag texts of the outermost table's rows, which KaTeX's MathML
    leaves out for align, gather and equation.
    """
    start = katex_html.find("<math")
    end = katex_html.rfind("</math>")
    markup = katex_html[start : end + len("</math>")]
    if not multline and not tags and not any(marker in markup for marker in _REWRITE_MARKERS):
        return _unchanged(markup, source=source, display=display)
    root = ET.fromstring(markup.replace(_NAMESPACE, "", 1))
    root.set("display", "block" if display else "inline")
    semantics = root.find("semantics")
    # multline is KaTeX's gathered with its first line left and its last right.
    outer = {"table": next(root.iter("mtable"), None), "multline": multline, "tags": tags}
    if semantics is not None:
        annotation = semantics.find("annotation")
        if annotation is not None:
            annotation.text = source
        for child in semantics:
            if child.tag != "annotation":
                _walk(child, {}, display, outer)
                tex_spacing(child)
    parts = []
    _serialize(root, parts)
    return "".join(parts)


def _serialize(element, parts):
    # ElementTree's own writer handles namespaces and encodings this markup never
    # has, at several times the cost; rendering an article spends most of its math
    # time here otherwise.
    attributes = "".join(f' {name}="{escape(value)}"' for name, value in element.attrib.items())
    parts.append(f"<{element.tag}{attributes}>")
    if element.text:
        parts.append(escape(element.text, quote=False))
    for child in element:
        _serialize(child, parts)
    parts.append(f"</{element.tag}>")
    if element.tail:
        parts.append(escape(element.tail, quote=False))

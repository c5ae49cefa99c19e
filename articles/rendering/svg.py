"""Reduce a renderer's SVG to inert drawing markup that can sit inline in a page.

Diagram SVG never goes through nh3 (its HTML allowlist knows no SVG); it goes
through this allowlist instead, and the pipeline splices the result in after
nh3 has run (docs/markdown.md, "Diagrams"). Whatever is not plainly a shape,
text or a local paint reference is dropped: scripts, event handlers,
`foreignObject`, `<style>`, images, links, animation, and every URL that is
not a `#fragment` of this same drawing. The page's CSP forbids style
attributes, so safe declarations of one become presentation attributes.
"""

import html
import re
import xml.etree.ElementTree as ElementTree

ELEMENTS = {
    "svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text",
    "tspan", "title", "desc", "defs", "marker", "symbol", "use", "lineargradient",
    "radialgradient", "stop", "clippath",
}  # fmt: skip
# Unwrapped: their children stay, the element (and its link) goes.
UNWRAPPED = {"a", "switch"}

PAINT = {
    "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity",
    "stroke-dasharray", "stroke-dashoffset", "stroke-linecap", "stroke-linejoin",
    "stroke-miterlimit", "opacity", "font-family", "font-size", "font-weight", "font-style",
    "text-anchor", "dominant-baseline", "alignment-baseline", "text-decoration",
    "letter-spacing", "visibility", "stop-color", "stop-opacity", "marker-start",
    "marker-mid", "marker-end", "clip-path",
}  # fmt: skip
ATTRIBUTES = PAINT | {
    "id", "class", "viewbox", "width", "height", "x", "y", "x1", "y1", "x2", "y2", "cx",
    "cy", "r", "rx", "ry", "d", "points", "transform", "dx", "dy", "rotate", "textlength",
    "lengthadjust", "markerwidth", "markerheight", "refx", "refy", "orient", "markerunits",
    "preserveaspectratio", "offset", "gradientunits", "gradienttransform", "clippathunits",
    "href",
}  # fmt: skip
# The HTML parser restores these cases inside <svg>, but writing them right costs nothing.
CAMEL = {
    name.lower(): name
    for name in (
        "viewBox", "textLength", "lengthAdjust", "markerWidth", "markerHeight", "refX", "refY",
        "markerUnits", "preserveAspectRatio", "gradientUnits", "gradientTransform",
        "clipPathUnits", "linearGradient", "radialGradient", "clipPath",
    )
}  # fmt: skip

MAX_SVG_CHARS = 2_000_000
_LOCAL_URL = re.compile(r"^url\(\s*['\"]?#([\w.:-]+)['\"]?\s*\)$")
_ANY_URL = re.compile(r"url\s*\(|\\|expression|javascript:|@import", re.IGNORECASE)
_SAFE_CLASS = re.compile(r"^[A-Za-z_][\w-]*$")
_PROLOGUE = re.compile(r"<\?xml[^>]*\?>|<!DOCTYPE[^>[]*(\[[^\]]*\])?\s*>|<!--.*?-->", re.DOTALL)


class UnsafeSvg(ValueError):
    """The renderer's output could not be read as plain SVG."""


def _local(name):
    return name.rsplit("}", 1)[-1].lower()


def _declarations(style):
    for part in style.split(";"):
        name, _, value = part.partition(":")
        value = value.replace("!important", "").strip()
        if name.strip().lower() in PAINT and value:
            yield name.strip().lower(), value


def _clean_value(name, value, prefix, ids):
    """Return a safe attribute value, or None to drop it."""
    value = value.strip()
    if name == "href":
        target = value[1:] if value.startswith("#") else None
        return f"#{prefix}-{target}" if target in ids else None
    if name == "id":
        return f"{prefix}-{value}" if value in ids else None
    if name == "class":
        kept = [word for word in value.split() if _SAFE_CLASS.match(word)]
        return " ".join(kept) or None
    match = _LOCAL_URL.match(value)
    if match:
        return f"url(#{prefix}-{match.group(1)})" if match.group(1) in ids else None
    if _ANY_URL.search(value) or len(value) > 100_000:
        return None
    return value


def _attributes(element, prefix, ids):
    found = {}
    for raw_name, value in element.attrib.items():
        name = _local(raw_name)
        if name == "style":
            for key, declared in _declarations(value):
                found.setdefault(key, declared)
        elif name in ATTRIBUTES:
            found[name] = value
    cleaned = {}
    for name, value in found.items():
        value = _clean_value(name, value, prefix, ids)
        if value is not None:
            cleaned[CAMEL.get(name, name)] = value
    return cleaned


def _write(element, prefix, ids, out, defaults, inside=frozenset(), root=None):
    tag = _local(element.tag)
    if tag in ELEMENTS:
        attributes = _attributes(element, prefix, ids)
        if tag == "rect" and not ("width" in attributes and "height" in attributes):
            return  # draws nothing, and HTML requires both
        attributes.update(root or {})
        for name, value in defaults(tag, attributes, inside).items():
            attributes.setdefault(name, value)
        written = " ".join(f'{name}="{html.escape(value)}"' for name, value in attributes.items())
        out.append(f"<{CAMEL.get(tag, tag)}{' ' if written else ''}{written}>")
    elif tag not in UNWRAPPED:
        return  # dropped with everything inside it
    if element.text and tag not in UNWRAPPED:
        out.append(html.escape(element.text, quote=False))
    inside = inside | set(element.attrib.get("class", "").split())
    for child in element:
        _write(child, prefix, ids, out, defaults, inside)
        if child.tail and tag in ELEMENTS:
            out.append(html.escape(child.tail, quote=False))
    if tag in ELEMENTS:
        out.append(f"</{CAMEL.get(tag, tag)}>")


def sanitize_svg(svg_text, *, prefix, defaults=lambda tag, attributes, inside: {}, label=""):
    """Return svg_text as allowlisted SVG with ids prefixed; raise UnsafeSvg if unreadable.

    `prefix` keeps two diagrams' ids (markers, gradients) apart on one page;
    `defaults(tag, attributes, inside)` returns presentation attributes a shape
    lacks (it may also rewrite the colours in `attributes`); `inside` holds the
    class names of its ancestors. `label` names the
    drawing for assistive technology (role="img").
    """
    if len(svg_text) > MAX_SVG_CHARS or "<!ENTITY" in svg_text:
        raise UnsafeSvg("the drawing is too large or declares entities")
    try:
        root = ElementTree.fromstring(_PROLOGUE.sub("", svg_text).strip())
    except ElementTree.ParseError as error:
        raise UnsafeSvg(f"the drawing is not well-formed XML ({error})") from None
    if _local(root.tag) != "svg":
        raise UnsafeSvg("the drawing has no <svg> root")
    ids = {
        value for element in root.iter() for name, value in element.attrib.items() if name == "id"
    }
    out = []
    _write(
        root,
        prefix,
        ids,
        out,
        defaults,
        root={"role": "img", "aria-label": label} if label else None,
    )
    return "".join(out)

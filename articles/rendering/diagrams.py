"""Turn ```mermaid and ```dot fences into inline SVG at save time.

Renderers (docs/markdown.md, "Diagrams"): Mermaid through `merman` (a Rust
port of Mermaid's layout, in-process, a few milliseconds a diagram) and
Graphviz through the `graphviz-pure` program (a Rust port of `dot`, run as a
subprocess with a time limit). Both install from PyPI as wheels; when one is
missing, or a diagram fails to parse, the block shows its source as code with a
note saying why, and the save goes on.

The article body keeps the fence, so the editor and exports keep the source.
"""

import functools
import hashlib
import html
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from articles.rendering.svg import UnsafeSvg, sanitize_svg

KINDS = {"mermaid": "Mermaid", "dot": "Graphviz", "graphviz": "Graphviz"}
MAX_SOURCE_CHARS = 50_000
DOT_TIMEOUT_SECONDS = 10
DOT_PROGRAM = "graphviz-pure"
MERMAID_OPTIONS = '{"site_config": {"htmlLabels": false, "securityLevel": "strict"}}'

# Mermaid styles its shapes from a <style> element, which the CSP forbids; these
# give shapes the light palette as presentation attributes, which feed readers
# keep and static/css/content.css overrides on the page (dark scheme included).
LIGHT_FILL = "#eef2f8"
LIGHT_STROKE = "#4a5568"
LIGHT_TEXT = "#1f2933"
MERMAID_FONT = "Arial, 'Liberation Sans', Helvetica, sans-serif"
LIGHT_LABEL = "#e4e8ee"
SHAPES = {"rect", "polygon", "circle", "ellipse", "path"}
LINKS = {"flowchart-link", "relation", "transition", "messageLine0", "messageLine1"}


_VIEWBOX = re.compile(r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+) [\d.]+"')


class DiagramUnavailable(Exception):
    """The renderer is missing or refused the source; the message says which."""


@dataclass(frozen=True)
class Diagram:
    html: str
    rendered: bool


# Mermaid's own theme colours, which the palette replaces so the dark scheme can
# repaint them; any other colour is the author's choice and stays.
THEME_FILLS = {"#ffffff", "#fff", "#eaeaea", "#ececff", "white"}
THEME_NOTES = {"#ffffde", "#edf2ae", "#fff5ad"}
THEME_INKS = {"#000", "#000000", "black", "#28253d", "#333", "#333333", "#666", "#999"}


def _recolour(tag, attributes):
    ink = LIGHT_TEXT if tag in ("text", "tspan") else LIGHT_STROKE
    for name in ("fill", "stroke"):
        value = attributes.get(name, "").lower()
        if value in THEME_FILLS:
            attributes[name] = LIGHT_FILL
        elif value in THEME_NOTES:
            attributes[name] = LIGHT_LABEL
        elif value in THEME_INKS:
            attributes[name] = ink


def _mermaid_defaults(tag, attributes, inside):
    """Paint what Mermaid's own stylesheet would have painted, in the light palette."""
    _recolour(tag, attributes)
    if tag == "svg":
        # Mermaid laid the text out with these metrics; the page's own font would not fit.
        return {"font-family": MERMAID_FONT, "font-size": "14px"}
    classes = set(attributes.get("class", "").split())
    if tag in ("text", "tspan"):
        # Only the flowchart stylesheet centres node labels; other types place them.
        flow_label = {"flowchart", "label"} <= inside and tag == "text"
        centred = {"text-anchor": "middle"} if flow_label else {}
        return {"fill": LIGHT_TEXT, **centred}
    if tag not in SHAPES and tag != "line":
        return {}
    if classes & LINKS:
        # Mermaid writes stroke="none" on some links and paints them from its stylesheet.
        if attributes.get("stroke") == "none":
            attributes["stroke"] = LIGHT_STROKE
        return {"fill": "none", "stroke": LIGHT_STROKE}
    if "marker" in inside or classes & {"marker", "arrowMarkerPath", "arrowheadPath"}:
        return {"fill": LIGHT_STROKE, "stroke": LIGHT_STROKE}
    if "edgeLabel" in inside or "labelBkg" in classes:
        return {"fill": LIGHT_LABEL, "stroke": "none"}
    if "label" in inside or "background" in classes:
        return {"fill": "none", "stroke": "none"}
    if tag in ("path", "line") and "node" not in inside:
        return {"fill": "none", "stroke": LIGHT_STROKE}
    return {"fill": LIGHT_FILL, "stroke": LIGHT_STROKE}


@functools.cache
def _mermaid_client():
    try:
        import merman
    except ImportError:
        return None
    return merman.Merman()


def render_mermaid_svg(source):
    """Return Mermaid source as raw SVG; raise DiagramUnavailable with the reason."""
    client = _mermaid_client()
    if client is None:
        raise DiagramUnavailable("the Mermaid renderer (merman) is not installed")
    try:
        svg = client.render_svg(source, MERMAID_OPTIONS)
    except Exception as error:  # merman raises its own error family for any bad source
        message = getattr(error, "message", None) or str(error)
        raise DiagramUnavailable(f"Mermaid could not draw this: {message}") from None
    if "<foreignObject" in svg:
        # Some diagram types (mindmap, journey) still lay text out as HTML, which
        # the SVG allowlist removes: better the source than a drawing without words.
        raise DiagramUnavailable("this Mermaid diagram type needs HTML labels")
    # Mermaid sizes the drawing with width="100%" and a max-width style the CSP
    # would block; the natural width lets small diagrams stay small.
    box = _VIEWBOX.search(svg)
    if box:
        svg = svg.replace('width="100%"', f'width="{box.group(1)}"', 1)
    return svg


def render_dot_svg(source):
    """Return Graphviz source as raw SVG; raise DiagramUnavailable with the reason."""
    # A virtualenv's scripts are beside its interpreter even when not on PATH.
    program = shutil.which(DOT_PROGRAM) or shutil.which(
        DOT_PROGRAM, path=str(Path(sys.executable).parent)
    )
    if program is None:
        raise DiagramUnavailable(f"the Graphviz renderer ({DOT_PROGRAM}) is not installed")
    try:
        done = subprocess.run(
            [program, "-Tsvg"],
            input=source.encode(),
            capture_output=True,
            timeout=DOT_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise DiagramUnavailable("Graphviz took too long to lay this out") from None
    if done.returncode != 0:
        reason = done.stderr.decode(errors="replace").strip().splitlines()
        raise DiagramUnavailable(f"Graphviz could not draw this: {' '.join(reason[:2])}")
    return done.stdout.decode(errors="replace")


def _dot_defaults(tag, attributes, inside):
    return {}


RENDERERS = {
    "Mermaid": (render_mermaid_svg, _mermaid_defaults),
    "Graphviz": (render_dot_svg, _dot_defaults),
}


@functools.lru_cache(maxsize=128)
def render_diagram(kind, source):
    """Return the figure for a diagram fence: sanitized inline SVG, or its source with a note."""
    name = KINDS[kind]
    digest = hashlib.blake2b(source.encode(), digest_size=4).hexdigest()
    try:
        if len(source) > MAX_SOURCE_CHARS:
            raise DiagramUnavailable("the diagram source is too long to draw")
        render, defaults = RENDERERS[name]
        svg = sanitize_svg(
            render(source), prefix=f"d{digest}", defaults=defaults, label=f"{name} diagram"
        )
    except (DiagramUnavailable, UnsafeSvg) as error:
        return Diagram(_fallback(kind, name, source, str(error)), rendered=False)
    return Diagram(f'<figure class="diagram diagram-{kind}">{svg}</figure>\n', rendered=True)


def _fallback(kind, name, source, reason):
    return (
        f'<figure class="diagram diagram-unrendered">'
        f'<pre class="highlight"><code>{html.escape(source)}</code></pre>'
        f'<figcaption class="diagram-note">{html.escape(name)} diagram shown as source: '
        f"{html.escape(reason)}</figcaption></figure>\n"
    )

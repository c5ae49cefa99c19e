"""Render a fenced block: math, a diagram, or code, possibly as one tab of a group.

Diagram SVG is sanitized by its own allowlist (`svg.py`) and must not meet nh3,
which knows no SVG: the fence prints a placeholder naming a random per-render
nonce, and `splice_diagrams()` swaps the figures in after nh3 has run. An
author cannot forge a placeholder, because the nonce is new for every render.
"""

import secrets

from articles.rendering.codeblocks import parse_fence, render_code
from articles.rendering.diagrams import KINDS, render_diagram
from articles.rendering.highlight import lexer_for
from articles.rendering.mathml import render_math
from articles.rendering.tabs import wrap_tab

_DIAGRAMS = "diagrams"
_NONCE = "diagram_nonce"


def _placeholder(env, figure_html):
    if _NONCE not in env:
        env[_NONCE] = secrets.token_hex(16)
        env[_DIAGRAMS] = []
    env[_DIAGRAMS].append(figure_html)
    return f"<p>inkstone-diagram-{env[_NONCE]}-{len(env[_DIAGRAMS]) - 1}</p>\n"


def splice_diagrams(sanitized_html, env):
    """Return sanitized HTML with each diagram placeholder replaced by its SVG figure."""
    for number, figure in enumerate(env.get(_DIAGRAMS, ())):
        marker = f"<p>inkstone-diagram-{env[_NONCE]}-{number}</p>"
        sanitized_html = sanitized_html.replace(marker, figure.rstrip("\n"), 1)
    return sanitized_html


def _tab_label(fence, position):
    if fence.tab or fence.title:
        return fence.tab or fence.title
    lexer = lexer_for(fence.language)
    return lexer.name if lexer is not None else f"Tab {position + 1}"


def render_fence(token, env):
    """Return the HTML for one fence token."""
    head = token.info.strip().split(maxsplit=1)
    kind = head[0].lower() if head else ""
    fence = parse_fence(token.info)
    if kind == "math":
        language = env.get("language", "en")
        done = env.get("typeset_math")
        html = render_math(
            token.content, display=True, block=True, language=language, typeset_already=done
        )
        return html + "\n"
    if kind in KINDS:
        diagram = render_diagram(kind, token.content)
        body = _placeholder(env, diagram.html) if diagram.rendered else diagram.html
    else:
        body = render_code(token.content, fence)
    if "tab_group" in token.meta:
        position = token.meta["tab_position"]
        return wrap_tab(
            body,
            label=_tab_label(fence, position),
            group=token.meta["tab_group"],
            position=position,
        )
    return body

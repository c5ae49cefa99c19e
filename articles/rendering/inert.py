"""Rules that keep what the renderer emits inert and within the site's CSP.

- Table alignment becomes a class, not `style="text-align:…"`: the CSP
  (`style-src 'self'`) blocks inline styles, so a styled cell would render
  centred and report a violation on every page.
- An author's raw `<input>` is removed: the only inputs on a page are the
  disabled task-list boxes the renderer itself makes.
- Text inside math is text: whatever the LaTeX converter puts inside a token
  element (`\\text{<b>}` becomes `<mtext><b></mtext>` in some) is escaped, so
  it cannot open an element that swallows the rest of the article.

They wrap markdown-it's rules rather than the converter, so they hold whatever
math engine is used (docs/markdown.md, "Sanitizer policy").
"""

import html
import re

ALIGN_STYLE = re.compile(r"^\s*text-align\s*:\s*(left|center|right)\s*;?\s*$")
# An <input> tag, with quoted attribute values that may contain ">".
RAW_INPUT = re.compile(r"""<input\b(?:[^>"']|"[^"]*"|'[^']*')*>""", re.IGNORECASE)
# MathML token elements hold only text; their content is re-escaped.
MATH_TOKEN = re.compile(r"(<(mi|mn|mo|ms|mtext)\b[^>]*>)(.*?)(</\2>)", re.DOTALL)
ENTITY = re.compile(r"&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


def alignment_classes(state):
    """Core rule: turn markdown-it's table alignment styles into align-* classes."""
    for token in state.tokens:
        if token.type in ("th_open", "td_open") and "style" in token.attrs:
            match = ALIGN_STYLE.match(str(token.attrs.pop("style")))
            if match:
                token.attrSet("class", f"align-{match.group(1)}")


def _without_inputs(render):
    def rule(self, tokens, index, options, env):
        # Raw HTML tokens are all the author's: markdown-it renders task-list
        # boxes from the list item itself, never as raw HTML.
        return RAW_INPUT.sub("", render(tokens, index, options, env))

    return rule


def _escape_text(text):
    # Re-escape what is not already an entity: "&lt;" stays, "<" and "&x" do not.
    pieces, last = [], 0
    for match in ENTITY.finditer(text):
        pieces.append(html.escape(text[last : match.start()], quote=False))
        pieces.append(match.group(0))
        last = match.end()
    pieces.append(html.escape(text[last:], quote=False))
    return "".join(pieces)


def escape_math_text(mathml):
    """Return MathML with the content of every token element escaped as text."""
    return MATH_TOKEN.sub(lambda m: m.group(1) + _escape_text(m.group(3)) + m.group(4), mathml)


def _escaping_math(render):
    def rule(self, tokens, index, options, env):
        return escape_math_text(render(tokens, index, options, env))

    return rule


def keep_inert(md, math_token_types):
    """Install the rules on md (after the plugins that make tables, task lists and math)."""
    md.core.ruler.push("alignment_classes", alignment_classes)
    # The renderer keeps its rules bound: each is called as rule(tokens, index, options, env).
    for name in ("html_block", "html_inline"):
        md.add_render_rule(name, _without_inputs(md.renderer.rules[name]))
    for name in (*math_token_types, "fence"):
        md.add_render_rule(name, _escaping_math(md.renderer.rules[name]))

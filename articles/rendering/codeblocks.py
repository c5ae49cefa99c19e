"""Render fenced code as a figure: title, numbered and marked lines, diffs.

The info string takes Docusaurus/Quarto-style attributes after the language
(docs/markdown.md, "Code"): `title="train.py"`, `{1,4-6}`, `showLineNumbers` /
`noLineNumbers`, `tab="PyTorch"` (inside `::: tabs`), and `diff` or
`diff-<language>` for a diff whose lines are still highlighted as <language>.

Every line is its own `span.code-line`, so marks and diff colours span the whole
line, and numbers come from a CSS counter: they are never part of the text, so
selecting or copying the code leaves them out. Diff signs sit in `span.diff-sign`,
which the copy button and `user-select` skip.
"""

import html
import re
from dataclasses import dataclass

from django.conf import settings
from pygments import highlight
from pygments.formatters import HtmlFormatter

from articles.rendering.highlight import (
    MAX_HIGHLIGHT_CHARS,
    MAX_HIGHLIGHT_LINES,
    lexer_for,
    parse_info,
)

# A quoted attribute value may hold spaces and braces that are not line ranges.
_QUOTED = re.compile(r"""(\w+)=("[^"]*"|'[^']*')""")
_FLAGS = re.compile(r"(?<![\w=\"'])(showLineNumbers|noLineNumbers)(?![\w\"'])")
MAX_TITLE_CHARS = 200
DIFF_PREFIX = "diff-"


@dataclass(frozen=True)
class Fence:
    language: str = ""
    lines: tuple = ()
    title: str = ""
    tab: str = ""
    numbered: bool = False
    diff: bool = False


def parse_fence(info, *, numbered_default=None):
    """Return a Fence read from an info string; unknown attributes are ignored."""
    info = (info or "").strip()
    quoted = {key: value[1:-1] for key, value in _QUOTED.findall(info)}
    bare = _QUOTED.sub(" ", info)
    language, lines = parse_info(bare)
    for key in ("hl_lines", "highlight", "mark"):
        if key in quoted:
            lines = sorted(set(lines) | set(parse_info(f"x {{{quoted[key]}}}")[1]))
    flags = set(_FLAGS.findall(bare))
    if numbered_default is None:
        numbered_default = getattr(settings, "CODE_LINE_NUMBERS", False)
    numbered = "showLineNumbers" in flags or (numbered_default and "noLineNumbers" not in flags)
    diff = language == "diff" or language.startswith(DIFF_PREFIX)
    if language.startswith(DIFF_PREFIX):
        language = language[len(DIFF_PREFIX) :]
    elif language == "diff":
        language = ""
    return Fence(
        language=language,
        lines=tuple(lines),
        title=_one_line(quoted.get("title", "")),
        tab=_one_line(quoted.get("tab", "")),
        numbered=numbered,
        diff=diff,
    )


def _one_line(text):
    return " ".join(text.split())[:MAX_TITLE_CHARS]


def _split_diff(code):
    """Return (signs, code without them): the first column of each diff line."""
    signs, body = [], []
    for line in code.splitlines():
        if line[:1] in ("+", "-", " ") and not line.startswith(("+++", "---")):
            signs.append(line[:1])
            body.append(line[1:])
        else:
            # Headers ("@@ …", "+++ b/x") keep their text; they are not code to highlight.
            signs.append(line)
            body.append("")
    return signs, "\n".join(body) + "\n"


def _highlighted_lines(code, language):
    """Return one HTML string per source line, with Pygments spans closed per line."""
    lexer = lexer_for(language)
    too_big = len(code) > MAX_HIGHLIGHT_CHARS or code.count("\n") > MAX_HIGHLIGHT_LINES
    if lexer is None or too_big:
        lines = html.escape(code).split("\n")
        known = lexer is not None
    else:
        lines = highlight(code, lexer, HtmlFormatter(nowrap=True)).split("\n")
        known = True
    if lines and lines[-1] == "":
        lines.pop()
    return lines, known


def _diff_class(sign):
    if sign == "+":
        return "diff-add", "+"
    if sign == "-":
        return "diff-del", "-"
    if sign == " ":
        return "", " "
    return "diff-hunk", None


def render_code(code, fence):
    """Return the figure for one code block (escaped and highlighted, never raw)."""
    code = code if code.endswith("\n") or not code else code + "\n"
    signs = None
    if fence.diff:
        signs, code = _split_diff(code)
    lines, known = _highlighted_lines(code, fence.language)
    marked = set(fence.lines)
    rendered = []
    for number, line in enumerate(lines, start=1):
        classes = ["code-line"]
        if number in marked:
            classes.append("hll")
        sign_html = ""
        if signs is not None and number <= len(signs):
            diff_class, sign = _diff_class(signs[number - 1])
            if diff_class:
                classes.append(diff_class)
            if sign is None:
                line = html.escape(signs[number - 1])
            else:
                sign_html = f'<span class="diff-sign">{html.escape(sign)}</span>'
        rendered.append(f'<span class="{" ".join(classes)}">{sign_html}{line}\n</span>')
    figure_classes = ["code-block"]
    if fence.numbered:
        figure_classes.append("code-numbered")
    if fence.diff:
        figure_classes.append("code-diff")
    code_class = f' class="language-{html.escape(fence.language)}"' if known else ""
    caption = (
        f'<figcaption class="code-title">{html.escape(fence.title)}</figcaption>'
        if fence.title
        else ""
    )
    return (
        f'<figure class="{" ".join(figure_classes)}">{caption}'
        f'<pre class="highlight"><code{code_class}>{"".join(rendered)}</code></pre>'
        "</figure>\n"
    )

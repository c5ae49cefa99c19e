"""Keep math away from Markdown and typeset it as MathML on the server.

Math is recognised by markdown-it rules, so emphasis, escapes and raw HTML never
apply inside it, and becomes MathML through latex2mathml. Readers need no
JavaScript and feed readers get the same markup as the page.
"""

import functools
import html
import re

from latex2mathml.converter import convert as latex2mathml_convert
from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from mdit_py_plugins.dollarmath import dollarmath_plugin

MATH_TOKEN_TYPES = {"math_inline", "math_inline_double", "math_block"}
DISPLAY_TOKEN_TYPES = {"math_inline_double", "math_block"}

# Commands latex2mathml does not know but that carry no meaning on a web page
# (equation numbering is the page's business) or that have an exact synonym.
_DROP = re.compile(r"\\(?:label|nonumber|notag)(?:\{[^{}]*\})?")
_EQREF = re.compile(r"\\(?:eqref|ref)\{([^{}]*)\}")
_ENVIRONMENT_SYNONYMS = {
    # latex2mathml emits "&" as an identifier inside aligned; align* is the same layout.
    "aligned": "align*",
    "alignat*": "align*",
    "alignedat": "align*",
    "eqnarray": "align*",
    "eqnarray*": "align*",
    "align": "align*",
    "gather": "gathered",
    "gather*": "gathered",
    "equation": None,
    "equation*": None,
}
_ENVIRONMENT = re.compile(r"\\(begin|end)\{([a-zA-Z]+\*?)\}(\{[^{}]*\})?")

# A command name or alignment ampersand printed as a glyph means latex2mathml
# did not understand the source; readers would see LaTeX debris.
# What str.isalnum() accepts, found by search rather than character by character.
_ALNUM = re.compile(r"[^\W_]")

_LEAK = re.compile(r"<m(?:i|o|n|text)(?:\s[^>]*)?>\s*(?:\\[A-Za-z]+|&amp;|&)\s*</m")


class MathError(ValueError):
    """Raised when LaTeX cannot become clean MathML."""


def _rewrite_environment(match):
    command, name, argument = match.groups()
    if name not in _ENVIRONMENT_SYNONYMS:
        return match.group(0)
    replacement = _ENVIRONMENT_SYNONYMS[name]
    if replacement is None:
        return argument or ""
    # alignat's column count means nothing to align*; any other group is content.
    kept = "" if name.startswith(("alignat", "alignedat")) else (argument or "")
    return f"\\{command}{{{replacement}}}{kept}"


def normalize_latex(source):
    """Rewrite LaTeX that latex2mathml lacks into equivalents it knows."""
    source = _DROP.sub("", source)
    source = _EQREF.sub(r"\\text{(\1)}", source)
    return _ENVIRONMENT.sub(_rewrite_environment, source)


def convert_latex(source, *, display):
    """Return MathML for LaTeX source or raise MathError."""
    try:
        mathml = latex2mathml_convert(
            normalize_latex(source), display="block" if display else "inline"
        )
    except Exception as error:  # latex2mathml raises many unrelated types.
        raise MathError(f"{type(error).__name__}: {error}") from error
    leak = _LEAK.search(mathml)
    if leak:
        raise MathError(f"unsupported LaTeX near {html.unescape(leak.group(0))!r}")
    return mathml


@functools.lru_cache(maxsize=4096)
def render_math(source, *, display, block=False):
    """Return MathML for source, or its escaped source marked as an error.

    Display math written inside a paragraph gets a span (styled as a block):
    a div there would end the paragraph when the browser parses it.
    """
    source = source.strip()
    tag = "div" if block else "span"
    try:
        mathml = convert_latex(source, display=display)
    except (MathError, RecursionError) as error:
        return (
            f'<{tag} class="math-error" title="{html.escape(str(error)[:200])}">'
            f"<code>{html.escape(source)}</code></{tag}>"
        )
    if display:
        return f'<{tag} class="math-display">{mathml}</{tag}>'
    return mathml


def _next_closer(state, closer, start):
    """Return where `closer` next occurs at or after `start`, or -1, remembering it.

    Positions only grow within a paragraph, so each search resumes where the last
    answer still holds: a paragraph of a thousand unclosed \\[ is searched once,
    not once per opener (docs/markdown.md, "Linear time").
    """
    # Keyed by posMax too: link text is parsed with a shorter posMax.
    memo = state.__dict__.setdefault("_math_closers", {})
    searched_from, found = memo.get((closer, state.posMax), (None, None))
    if searched_from is None or start < searched_from or (found >= 0 and start > found):
        found = state.src.find(closer, start, state.posMax)
        memo[closer, state.posMax] = (start, found)
    return found


def _next_alnum(state, start):
    """Return the first letter or digit at or after `start`, or -1, remembering it."""
    memo = state.__dict__.setdefault("_math_alnum", {})
    searched_from, found = memo.get(state.posMax, (None, None))
    if searched_from is None or start < searched_from or (found >= 0 and start > found):
        match = _ALNUM.search(state.src, start, state.posMax)
        found = match.start() if match else -1
        memo[state.posMax] = (start, found)
    return found


def _bracket_inline(state: StateInline, silent):
    r"""Recognise \(...\) and \[...\] inside a paragraph."""
    src, start = state.src, state.pos
    if src[start] != "\\" or start + 1 >= state.posMax or src[start + 1] not in "([":
        return False
    closer = "\\)" if src[start + 1] == "(" else "\\]"
    end = _next_closer(state, closer, start + 2)
    # "\[\\\]" is three CommonMark escapes, not a formula: demand something to typeset.
    if end < 0 or not 0 <= _next_alnum(state, start + 2) < end:
        return False
    if not silent:
        token = state.push("math_inline" if closer == "\\)" else "math_inline_double", "math", 0)
        token.content = src[start + 2 : end]
        token.markup = src[start : start + 2]
    state.pos = end + 2
    return True


def _bracket_block(state: StateBlock, start_line, end_line, silent):
    r"""Recognise display math that starts a line with \[ and ends one with \].

    A failed search is remembered: every later line it covered would fail the
    same way, so a thousand lines starting with \[ cost one pass, not a thousand.
    """
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False
    begin = state.bMarks[start_line] + state.tShift[start_line]
    first = state.src[begin : state.eMarks[start_line]]
    if not first.startswith("\\["):
        return False
    failed = state.__dict__.get("_math_block_failed")
    if failed is not None:
        stop, stop_end = failed
        if start_line < stop and end_line == stop_end and (stop >= end_line or state.isEmpty(stop)):
            return False
    lines = [first[2:]]
    line = start_line
    while not lines[-1].rstrip().endswith("\\]"):
        line += 1
        if line >= end_line or state.isEmpty(line):
            state.__dict__["_math_block_failed"] = (line, end_line)
            return False
        lines.append(state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]])
    if silent:
        return True
    body = "\n".join(lines).rstrip()[:-2]
    token = state.push("math_block", "math", 0)
    token.block = True
    token.content = body
    token.markup = "\\["
    token.map = [start_line, line + 1]
    state.line = line + 1
    return True


def _render_math_token(self, tokens, idx, options, env):
    token = tokens[idx]
    display = token.type in DISPLAY_TOKEN_TYPES
    if token.block:
        return render_math(token.content, display=display, block=True) + "\n"
    return render_math(token.content, display=display)


def math_plugin(md: MarkdownIt):
    """Teach md the $, $$, \\( and \\[ delimiters and render them as MathML."""
    # No space inside the dollars and no digit after the closing one: "$5 and $10"
    # stays text, as in pandoc.
    dollarmath_plugin(
        md,
        allow_labels=False,
        allow_space=False,
        allow_digits=False,
        allow_blank_lines=False,
        double_inline=True,
    )
    md.inline.ruler.before("escape", "math_bracket", _bracket_inline)
    md.block.ruler.before(
        "paragraph",
        "math_bracket_block",
        _bracket_block,
        {"alt": ["paragraph", "blockquote", "list"]},
    )
    for name in MATH_TOKEN_TYPES:
        md.add_render_rule(name, _render_math_token)

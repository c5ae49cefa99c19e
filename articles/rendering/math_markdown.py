"""Recognise math in Markdown: the $, $$, \\( and \\[ delimiters as markdown-it rules.

Formulas become their own tokens, so emphasis, escapes and raw HTML never apply
inside them; the whole document's formulas are typeset in one batch
(`typeset_document`) and each token renders through `mathml.render_math`.
"""

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from mdit_py_plugins.dollarmath import dollarmath_plugin

from articles.rendering.mathml import render_math, typeset

MATH_TOKEN_TYPES = {"math_inline", "math_inline_double", "math_block"}
DISPLAY_TOKEN_TYPES = {"math_inline_double", "math_block"}
# What str.isalnum() accepts, found by search rather than character by character.
_ALNUM = re.compile(r"[^\W_]")


def _formulas(tokens):
    for token in tokens:
        if token.type in MATH_TOKEN_TYPES:
            yield token.content.strip(), token.type in DISPLAY_TOKEN_TYPES
        elif token.type == "fence" and token.info.strip().lower() == "math":
            yield token.content.strip(), True
        if token.children:
            yield from _formulas(token.children)


def typeset_document(state):
    """Typeset every formula of the document in one KaTeX call before rendering.

    A markdown-it core rule: it must run after every rule that rewrites formulas
    (cross-references number them), so the pipeline pushes it last.
    """
    pairs = list(dict.fromkeys(_formulas(state.tokens)))
    if pairs:
        state.env["typeset_math"] = dict(zip(pairs, typeset(pairs), strict=True))


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
    language = env.get("language", "en")
    done = env.get("typeset_math")
    if token.block:
        return (
            render_math(
                token.content, display=display, block=True, language=language, typeset_already=done
            )
            + "\n"
        )
    return render_math(token.content, display=display, language=language, typeset_already=done)


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

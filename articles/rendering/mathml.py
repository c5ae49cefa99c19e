"""Keep math away from Markdown and typeset it as MathML on the server.

Math is recognised by markdown-it rules, so emphasis, escapes and raw HTML never
apply inside it. KaTeX (`katex`) turns each formula into MathML and
`mathml_core` rewrites that into MathML Core, which Chromium, Firefox and Safari
lay out with the site's math font. Readers need no JavaScript and feed readers
get the same markup as the page. What authors can write: docs/math.md.
"""

import collections
import hashlib
import html
import re
import threading

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from mdit_py_plugins.dollarmath import dollarmath_plugin

from articles.rendering import katex
from articles.rendering.mathml_core import katex_to_core

MATH_TOKEN_TYPES = {"math_inline", "math_inline_double", "math_block"}
DISPLAY_TOKEN_TYPES = {"math_inline_double", "math_block"}
CACHE_SIZE = 8192
ERROR_LABELS = {"en": "Math error", "zh": "公式错误"}

# Commands KaTeX does not know but that carry no meaning on a web page
# (cross-references are the page's business) or that have an exact synonym.
_DROP = re.compile(r"\\label\{[^{}]*\}")
_EQREF = re.compile(r"\\(?:eqref|ref)\{([^{}]*)\}")
_ENVIRONMENT = re.compile(r"\\(begin|end)\{(multline\*?|eqnarray\*?)\}")
_MULTLINE = re.compile(r"\\begin\{multline\*?\}")
_MATHOP = re.compile(r"\\mathop\s*\{")
_TEXT_GROUP = re.compile(r"\\(?:text(?:rm|bf|it|sf|tt|normal|up|md)?|mbox|hbox)\s*\{")
_TEXT_SPECIAL = re.compile(r"(?<!\\)([&%#])")
_NUMBERED = re.compile(r"\\begin\{(align|gather|equation|alignat)\*?\}")
_TAG = re.compile(r"\\tag(\*?)\{([^{}]*)\}")
# What str.isalnum() accepts, found by search rather than character by character.
_ALNUM = re.compile(r"[^\W_]")


class MathError(ValueError):
    """Raised when LaTeX cannot become clean MathML."""


def _rewrite_environment(match):
    command, name = match.groups()
    if name.startswith("multline"):
        return f"\\{command}{{gathered}}"
    # eqnarray is three columns, right-centre-left.
    return "\\begin{array}{rcl}" if command == "begin" else "\\end{array}"


def _closing_brace(source, start):
    """Return the index after the group that opens at source[start], or -1."""
    depth = 0
    position = start
    while position < len(source):
        character = source[position]
        if character == "\\":
            position += 2
            continue
        if character == "{":
            depth += 1
        elif character == "}":
            depth -= 1
            if depth == 0:
                return position + 1
        position += 1
    return -1


def _display_limits(source):
    r"""Give \mathop{...}_x its limits underneath, as TeX does in display style.

    KaTeX's MathML keeps them at the side unless \limits is written.
    """
    parts, position = [], 0
    for match in _MATHOP.finditer(source):
        if match.start() < position:
            continue
        end = _closing_brace(source, match.end() - 1)
        if end < 0:
            break
        rest = source[end:].lstrip()
        parts.append(source[position:end])
        if rest[:1] in ("_", "^"):
            parts.append(r"\limits")
        position = end
    parts.append(source[position:])
    return "".join(parts)


def _literal_text(source):
    r"""Escape & % # inside \text{…}: there they can only mean themselves.

    TeX would stop at them (an alignment tab, a comment, a parameter) and hide the
    rest of the author's words; \text{a & b} shows "a & b".
    """
    parts, position = [], 0
    for match in _TEXT_GROUP.finditer(source):
        if match.start() < position:
            continue
        end = _closing_brace(source, match.end() - 1)
        if end < 0:
            break
        parts.append(source[position : match.end()])
        parts.append(_TEXT_SPECIAL.sub(r"\\\1", source[match.end() : end]))
        position = end
    parts.append(source[position:])
    return "".join(parts)


def normalize_latex(source, *, display=False):
    """Rewrite LaTeX that KaTeX lacks into equivalents it knows."""
    if "\\text" in source or "box" in source:
        source = _literal_text(source)
    source = _DROP.sub("", source)
    source = _EQREF.sub(r"\\text{(\1)}", source)
    source = _ENVIRONMENT.sub(_rewrite_environment, source)
    return _display_limits(source) if display and "\\mathop" in source else source


class _Cache:
    """A small LRU of typeset formulas, keyed by a hash of source and mode."""

    def __init__(self, size):
        self.size = size
        self.entries = collections.OrderedDict()
        self.lock = threading.Lock()

    @staticmethod
    def key(source, display):
        return hashlib.blake2b(f"{int(display)}\0{source}".encode(), digest_size=16).digest()

    def get(self, key):
        with self.lock:
            value = self.entries.get(key)
            if value is not None:
                self.entries.move_to_end(key)
            return value

    def put(self, key, value):
        with self.lock:
            self.entries[key] = value
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self):
        with self.lock:
            self.entries.clear()


_cache = _Cache(CACHE_SIZE)


def clear_math_cache():
    """Forget every typeset formula (benchmarks measure cold rendering)."""
    _cache.clear()


def _split_rows(body):
    """Split an environment's body at \\\\ and \\cr outside braces."""
    rows, depth, start, position = [], 0, 0, 0
    while position < len(body):
        character = body[position]
        if character == "{":
            depth += 1
        elif character == "}":
            depth -= 1
        elif character == "\\" and depth == 0 and body.startswith(("\\\\", "\\cr"), position):
            rows.append(body[start:position])
            position += 3 if body.startswith("\\cr", position) else 2
            start = position
            continue
        elif character == "\\":
            position += 2
            continue
        position += 1
    rows.append(body[start:])
    return [row for row in rows if row.strip()]


def row_tags(source):
    """Return each row's \\tag text for a numbered environment, or None.

    KaTeX's MathML drops these tags; mathml_core puts them back.
    """
    opening = _NUMBERED.search(source)
    if not opening or "\\tag" not in source:
        return None
    closing = source.rfind("\\end{")
    tags = []
    for row in _split_rows(source[opening.end() : closing if closing > 0 else len(source)]):
        match = _TAG.search(row)
        if match is None:
            tags.append(None)
        else:
            text = match.group(2).replace("$", "").strip()
            tags.append(text if match.group(1) else f"({text})")
    return tags


def _finish(source, display, answer):
    """Return (True, MathML Core) or (False, one-line reason) for KaTeX's answer."""
    if not answer.ok:
        return False, katex.error_reason(answer.text)
    refused = katex.untrusted_command(answer.text)
    if refused:
        return False, f"{refused} is not allowed here"
    try:
        core = katex_to_core(
            answer.text,
            source=source,
            display=display,
            multline=bool(_MULTLINE.search(source)),
            tags=row_tags(source),
        )
    except RecursionError:
        # KaTeX accepted it, but the tree is deeper than Python walks comfortably.
        return False, "formula nests too deeply"
    except Exception as error:  # A post-processing bug must not cost the article.
        return False, f"could not convert KaTeX output ({type(error).__name__})"
    return True, core


def _display_only(pair, answer):
    message = answer.text
    return (
        not pair[1]
        and not answer.ok
        and ("only in display mode" in message or "only in display equations" in message)
    )


def typeset(pairs):
    """Return (ok, MathML or reason) for each (source, display), typesetting misses in one batch."""
    results = [None] * len(pairs)
    missing = {}
    for index, (source, display) in enumerate(pairs):
        key = _Cache.key(source, display)
        cached = _cache.get(key)
        if cached is None:
            missing.setdefault(key, []).append(index)
        else:
            results[index] = cached
    if missing:
        keys = list(missing)
        sources = [pairs[missing[key][0]] for key in keys]
        answers = katex.typeset_many([(normalize_latex(s, display=d), d) for s, d in sources])
        # align, gather, \tag... are display-only in KaTeX; written inside $...$
        # they are typeset as display math and still set inline.
        retry = [i for i, answer in enumerate(answers) if _display_only(sources[i], answer)]
        if retry:
            again = katex.typeset_many(
                [(normalize_latex(sources[i][0], display=True), True) for i in retry]
            )
            for i, answer in zip(retry, again, strict=True):
                answers[i] = answer
        for key, (source, display), answer in zip(keys, sources, answers, strict=True):
            result = _finish(source, display, answer)
            _cache.put(key, result)
            for index in missing[key]:
                results[index] = result
    return results


def convert_latex(source, *, display):
    """Return MathML for LaTeX source or raise MathError."""
    ok, text = typeset([(source.strip(), display)])[0]
    if not ok:
        raise MathError(text)
    return text


def render_math(source, *, display, block=False, language="en", typeset_already=None):
    """Return MathML for source, or its escaped source in a marked error box.

    Display math written inside a paragraph gets a span (styled as a block):
    a div there would end the paragraph when the browser parses it.
    typeset_already maps (source, display) to results typeset for the whole
    document (`typeset_document`), which spares a lookup per formula.
    """
    source = source.strip()
    tag = "div" if block else "span"
    found = typeset_already.get((source, display)) if typeset_already else None
    ok, text = found or typeset([(source, display)])[0]
    if not ok:
        label = ERROR_LABELS["zh" if language.lower().startswith("zh") else "en"]
        return (
            f'<{tag} class="math-error">'
            f'<span class="math-error-reason">{label}: {html.escape(text)}</span> '
            f"<code>{html.escape(source)}</code></{tag}>"
        )
    if display:
        return f'<{tag} class="math-display">{text}</{tag}>'
    return text


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

"""Find what will look wrong once an article is published, for the editor's problems panel.

Each problem names its line and says what readers would see. Problems inform the
author; saving is never refused because of one (docs/authoring.md).
"""

import re
from dataclasses import asdict, dataclass
from urllib.parse import unquote, urlsplit

from django.utils.translation import gettext as _

from articles.rendering.math_markdown import MATH_TOKEN_TYPES
from articles.rendering.mathml import MathError, convert_latex
from articles.rendering.pipeline import markdown_parser
from articles.rendering.sanitize import HTML_TAGS

# latex2mathml's exception names, said the way an author would understand them.
MATH_REASONS = {
    "NoAvailableTokensError": "a command is missing an argument",
    "MissingSuperScriptOrSubscriptError": "^ or _ has nothing after it",
    "ExtraLeftOrMissingRightError": "\\left has no matching \\right",
    "MissingEndError": "\\begin has no matching \\end",
    "DenominatorNotFoundError": "\\frac needs two arguments",
    "NumeratorNotFoundError": "\\frac needs two arguments",
    "InvalidAlignmentError": "an alignment is not valid",
    "InvalidStyleForGenfracError": "\\genfrac has an invalid style",
    "DoubleSubscriptsError": "two subscripts in a row: use braces, as in x_{ab}",
    "DoubleSuperscriptsError": "two superscripts in a row: use braces, as in x^{ab}",
    "InvalidWidthError": "a width is not valid",
    "LimitsMustFollowMathOperatorError": "\\limits must follow an operator such as \\sum",
}
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
TAG = re.compile(r"<\s*/?\s*([A-Za-z][A-Za-z0-9-]*)")
ARTICLE_PATH = re.compile(r"^/articles/([^/]+)/?$")


@dataclass(frozen=True)
class Problem:
    line: int
    kind: str
    message: str


def math_reason(error):
    cause = error.__cause__
    if cause is not None:
        name = type(cause).__name__
        return MATH_REASONS.get(name) or str(cause) or _("LaTeX that cannot be read (%s)") % name
    return str(error)


def _brace_reason(source):
    depth = 0
    for character in re.sub(r"\\[{}]", "", source):
        depth += {"{": 1, "}": -1}.get(character, 0)
        if depth < 0:
            return _("a } closes nothing")
    return _("%d { left unclosed") % depth if depth else ""


def _line_of(token, parent):
    mapped = token.map or (parent.map if parent is not None else None)
    return mapped[0] + 1 if mapped else 1


def _walk(tokens, parent=None):
    for token in tokens:
        yield token, parent
        if token.children:
            yield from _walk(token.children, token)


def unclosed_fence(lines):
    """Return the 1-based line of a code fence that is never closed, or None."""
    opening = None
    for number, line in enumerate(lines, start=1):
        match = FENCE.match(line)
        if opening is None:
            if match:
                opening = (number, match.group(1))
        elif match and _closes(match, line, opening[1]):
            opening = None
    return opening[0] if opening else None


def _closes(match, line, opener):
    fence = match.group(1)
    return fence[0] == opener[0] and len(fence) >= len(opener) and not line[match.end() :].strip()


def parse(markdown_text):
    return markdown_parser().parse(markdown_text or "", {"language": "en"})


def block_lines(tokens):
    """Return the first source line (0-based) of each top-level block, in order.

    The preview's top-level elements follow the same order, which is what lets the
    editor scroll the preview to the paragraph being edited.
    """
    return [
        token.map[0]
        for token in tokens
        if token.level == 0 and token.nesting >= 0 and token.block and token.map
    ]


def find_problems(markdown_text, *, tokens=None, draft_slugs=lambda slugs: set()):
    """Return the problems in Markdown; draft_slugs(slugs) says which linked slugs are drafts."""
    problems = []
    tokens = parse(markdown_text) if tokens is None else tokens
    linked = {}
    for token, parent in _walk(tokens):
        line = _line_of(token, parent)
        if token.type in MATH_TOKEN_TYPES or (token.type == "fence" and token.info == "math"):
            display = token.type != "math_inline"
            try:
                convert_latex(token.content.strip(), display=display)
            except (MathError, RecursionError) as error:
                reason = _brace_reason(token.content) or math_reason(error)
                problems.append(
                    Problem(
                        line,
                        "math",
                        _("Formula %(source)s: %(reason)s.")
                        % {"source": _clip(token.content.strip()), "reason": reason},
                    )
                )
        elif token.type in ("html_block", "html_inline"):
            for tag in TAG.findall(token.content):
                if tag.lower() not in HTML_TAGS:
                    problems.append(
                        Problem(
                            line,
                            "html",
                            _("The <%s> tag is not allowed: readers will not see it.")
                            % tag.lower(),
                        )
                    )
                    break
        elif (
            token.type == "image"
            and not "".join(child.content for child in token.children or []).strip()
        ):
            problems.append(
                Problem(
                    line,
                    "alt",
                    _("An image has no alt text: describe it for readers who cannot see it."),
                )
            )
        elif token.type == "link_open":
            match = ARTICLE_PATH.match(urlsplit(token.attrGet("href") or "").path)
            if match:
                linked.setdefault(unquote(match.group(1)), line)
    if linked:
        for slug in sorted(draft_slugs(set(linked)), key=linked.get):
            problems.append(
                Problem(
                    linked[slug],
                    "draft-link",
                    _("The link to %s goes to an article readers cannot see yet.") % slug,
                )
            )
    fence_line = unclosed_fence((markdown_text or "").splitlines())
    if fence_line:
        problems.append(
            Problem(
                fence_line,
                "fence",
                _("This code fence is never closed: everything after it shows as code."),
            )
        )
    return [asdict(problem) for problem in sorted(problems, key=lambda p: p.line)]


def _clip(source, length=40):
    return source if len(source) <= length else source[: length - 1] + "…"

"""Rewrite the LaTeX authors write into what KaTeX knows, and read what KaTeX drops.

KaTeX lacks a few commands and environments that carry no meaning on a web page
or have an exact synonym (`normalize_latex`), and its MathML loses `\\tag`s,
which `row_tags` reads from the source so that `mathml_core` can put them back.
Pure string work: no KaTeX call, no Markdown.
"""

import re

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


def is_multline(source):
    """Return whether the formula is a multline environment (set flush left and right)."""
    return bool(_MULTLINE.search(source))


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

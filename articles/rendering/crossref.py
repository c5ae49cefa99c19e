"""Numbered equations, figures and tables, and references to them (docs/markdown.md).

Numbers are assigned after the whole article is parsed, so a reference may
come before or after its target. What authors write:

- Display math with `\\label{eq:name}` is numbered; `\\tag{…}` gives a manual
  tag; `equation`, `align` and `gather` number every row unless it says
  `\\nonumber` or `\\notag`; starred environments and `aligned`/`split` inside
  another environment count once or not at all.
- `![Caption](src){#fig-name}` is a figure, and a table followed by a line
  `: Caption {#tbl-name}` is a table with a caption.
- `@eq-name`, `@fig-name`, `@tbl-name` and `@sec-name` (a heading with
  `{#sec-name}`) in prose, and `\\eqref{eq:name}` or `\\ref{eq:name}` in math,
  refer to them. An unknown label shows a marked "??" and is listed as a problem.

The engine that turns TeX into MathML never numbers anything itself: numbered
rows become `aligned` (or an array) with the number in a last column, and a
single numbered equation is wrapped with its number beside it.
"""

import html

import regex
from markdown_it import MarkdownIt
from markdown_it.token import Token

KINDS = ("eq", "fig", "tbl", "sec")
NAMES = {
    "en": {"eq": "Equation", "fig": "Figure", "tbl": "Table", "sec": "Section"},
    "zh": {"eq": "式", "fig": "图", "tbl": "表", "sec": "节"},
}
# Labels: letters, digits and a little punctuation, so an id can never be anything else.
_LABEL_CHARS = r"[\w.:-]"
_LABEL = regex.compile(rf"\\label\{{\s*({_LABEL_CHARS}+)\s*\}}")
_TAG = regex.compile(r"\\tag\*?\{([^{}]{0,40})\}")
_NONUMBER = regex.compile(r"\\(?:nonumber|notag)(?![A-Za-z])")
_REF_IN_MATH = regex.compile(rf"\\(eqref|ref)\{{\s*({_LABEL_CHARS}+)\s*\}}")
_ONLY_REF = regex.compile(rf"^\s*\\(eqref|ref)\{{\s*({_LABEL_CHARS}+)\s*\}}\s*$")
_ENV = regex.compile(
    r"^\s*\\begin\{(equation|align|gather|multline|flalign|alignat)(\*?)\}(\{\d+\})?"
    r"(.*)\\end\{\1\2\}\s*$",
    regex.S,
)
_PROSE_REF = regex.compile(rf"@(eq|fig|tbl|sec)-({_LABEL_CHARS}*\w)")
_TABLE_CAPTION = regex.compile(rf"^:\s+(.*?)\s*\{{#(tbl-{_LABEL_CHARS}*\w)\}}\s*$", regex.S)
DISPLAY_MATH = {"math_block", "math_inline_double"}


def label_key(label):
    """Return the key a label is found by: `eq:name`, `eq-name` and `eq_name` are one."""
    for prefix in ("eq:", "eq-", "eq_"):
        if label.startswith(prefix):
            return "eq-" + label[len(prefix) :]
    return "eq-" + label


def _language(env):
    return "zh" if env.get("language", "").lower().startswith("zh") else "en"


def _split_rows(body):
    """Split an environment body at top-level `\\\\`, outside braces and nested environments."""
    rows, depth, start, index = [], 0, 0, 0
    nested = 0
    while index < len(body):
        char = body[index]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == "\\":
            if body.startswith("\\begin{", index):
                nested += 1
            elif body.startswith("\\end{", index):
                nested -= 1
            elif body.startswith("\\\\", index) and depth == 0 and nested == 0:
                rows.append(body[start:index])
                index += 2
                # An optional spacing argument (\\[2pt]) belongs to the break.
                spacing = regex.match(r"\s*\[[^\]]{0,20}\]", body[index:])
                if spacing:
                    index += spacing.end()
                start = index
                continue
            index += 2
            continue
        index += 1
    rows.append(body[start:])
    return [row for row in rows if row.strip()]


def _columns(row):
    depth = nested = 0
    count = 1
    index = 0
    while index < len(row):
        char = row[index]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == "\\":
            if row.startswith("\\begin{", index):
                nested += 1
            elif row.startswith("\\end{", index):
                nested -= 1
            index += 2
            continue
        elif char == "&" and depth == 0 and nested == 0:
            count += 1
        index += 1
    return count


class Numbering:
    """Targets found in one article, in order of appearance."""

    def __init__(self, language):
        self.language = language
        self.counters = dict.fromkeys(KINDS, 0)
        self.targets = {}  # key -> (kind, text shown, anchor)
        self.problems = []

    def add(self, kind, key, text, anchor, line=None):
        if key in self.targets:
            where = f" (line {line})" if line else ""
            self.problems.append(f"Duplicate label {key!r}{where}: the first one is used.")
            return
        self.targets[key] = (kind, text, anchor)

    def next(self, kind):
        self.counters[kind] += 1
        return self.counters[kind]

    def reference(self, key):
        """Return (text, anchor) for a key, or None when nothing has that label."""
        found = self.targets.get(key)
        if found is None:
            return None
        kind, text, anchor = found
        name = NAMES[self.language][kind]
        if kind == "eq":
            text = f"({text})"
        if kind == "sec":
            return text, anchor
        return f"{name} {text}", anchor


def _number_equation(token, numbering, number_all):
    """Rewrite one display formula's TeX for numbering; remember its labels."""
    source = token.content
    line = token.map[0] + 1 if token.map else None
    match = _ENV.match(source)
    if match and match.group(1) in {"align", "gather", "flalign", "alignat"}:
        _number_rows(token, match, numbering, line)
        return
    labels = _LABEL.findall(source)
    tag = _TAG.search(source)
    starred = bool(match and match.group(2))
    unnumbered = starred or bool(_NONUMBER.search(source))
    body = match.group(4) if match and match.group(1) == "equation" else source
    if match and match.group(1) == "multline":
        body = f"\\begin{{multline*}}{match.group(4)}\\end{{multline*}}"
    body = _NONUMBER.sub("", _TAG.sub("", _LABEL.sub("", body)))
    numbered = not unnumbered and (labels or tag or match or number_all)
    token.content = body
    if not numbered:
        return
    text = tag.group(1).strip() if tag else str(numbering.next("eq"))
    anchors = []
    for label in labels:
        key = label_key(label)
        numbering.add("eq", key, text, key, line)
        anchors.append(key)
    token.meta = {**(token.meta or {}), "equation_number": text, "anchors": anchors}


def _number_rows(token, match, numbering, line):
    """Number each row of align/gather: the number goes in a last column."""
    name, starred, body = match.group(1), bool(match.group(2)), match.group(4)
    rows = _split_rows(body)
    width = max((_columns(row) for row in rows), default=1)
    width += width % 2  # numbers sit in an odd (right-aligned) column of `aligned`
    out, anchors = [], []
    for row in rows:
        labels = _LABEL.findall(row)
        tag = _TAG.search(row)
        skip = starred or bool(_NONUMBER.search(row))
        clean = _NONUMBER.sub("", _TAG.sub("", _LABEL.sub("", row))).strip()
        text = ""
        if tag:
            text = tag.group(1).strip()
        elif not skip:
            text = str(numbering.next("eq"))
        for label in labels:
            key = label_key(label)
            if text:
                numbering.add("eq", key, text, key, line)
                anchors.append(key)
        if name == "gather":
            out.append(f"{clean} & \\text{{({text})}}" if text else clean)
        else:
            padding = "&" * (width - _columns(clean))
            out.append(f"{clean}{padding}&\\qquad\\text{{({text})}}" if text else clean)
    joined = " \\\\ ".join(out)
    if name == "gather":
        token.content = f"\\begin{{array}}{{cr}}{joined}\\end{{array}}"
    else:
        token.content = f"\\begin{{aligned}}{joined}\\end{{aligned}}"
    if anchors:
        token.meta = {**(token.meta or {}), "anchors": anchors}


def _is_display(token):
    return token.type in DISPLAY_MATH or (
        token.type == "fence" and token.info.strip().lower() == "math"
    )


def _figure(tokens, index, numbering, md, env):
    """Turn a paragraph holding only an image with {#fig-…} into a numbered figure."""
    opening, inline = tokens[index], tokens[index + 1]
    images = [child for child in inline.children or [] if child.type != "softbreak"]
    if len(images) != 1 or images[0].type != "image":
        return
    image = images[0]
    anchor = image.attrGet("id") or ""
    if not anchor.startswith("fig-"):
        return
    image.attrs.pop("id", None)
    number = numbering.next("fig")
    numbering.add("fig", anchor, str(number), anchor, (opening.map or [0])[0] + 1)
    caption = md.renderer.renderInline(image.children or [], md.options, env)
    opening.tag = "figure"
    opening.attrSet("id", anchor)
    opening.attrSet("class", "numbered-figure")
    tokens[index + 2].tag = "figure"
    label = f"{NAMES[numbering.language]['fig']} {number}"
    separator = ": " if numbering.language == "en" else "　"
    caption_token = Token("html_inline", "", 0)
    caption_token.content = (
        f'<figcaption><span class="caption-label">{label}</span>{separator}{caption}</figcaption>'
    )
    inline.children.append(caption_token)


def _table_caption(tokens, index, numbering, md, env):
    """Attach a following `: Caption {#tbl-…}` paragraph to the table that ends at index."""
    if index + 3 >= len(tokens) or tokens[index + 1].type != "paragraph_open":
        return
    inline = tokens[index + 2]
    match = _TABLE_CAPTION.match(inline.content)
    if not match:
        return
    anchor = match.group(2)
    start = next(
        (i for i in range(index, -1, -1) if tokens[i].type == "table_open"),
        None,
    )
    if start is None:
        return
    number = numbering.next("tbl")
    numbering.add("tbl", anchor, str(number), anchor, (tokens[start].map or [0])[0] + 1)
    caption = _caption_children(inline)
    label = f"{NAMES[numbering.language]['tbl']} {number}"
    separator = ": " if numbering.language == "en" else "　"
    rendered = md.renderer.renderInline(caption, md.options, env)
    tokens[start].attrSet("id", anchor)
    caption_token = Token("html_block", "", 0)
    caption_token.content = (
        f'<caption><span class="caption-label">{label}</span>{separator}{rendered}</caption>\n'
    )
    for hidden in tokens[index + 1 : index + 4]:
        hidden.hidden = True
        hidden.children = []
        hidden.content = ""
        hidden.type = "text" if hidden.type == "inline" else hidden.type
    tokens.insert(start + 1, caption_token)


def _caption_children(inline):
    """Return the caption's inline tokens without the leading ': ' and the trailing {#id}."""
    children = [child for child in inline.children or []]
    if children and children[0].type == "text":
        children[0].content = children[0].content.lstrip(":").lstrip()
    if children and children[-1].type == "text":
        children[-1].content = regex.sub(r"\s*\{#[^{}]*\}\s*$", "", children[-1].content)
    return children


def _headings(state):
    """Core rule before heading ids: `## Title {#sec-name}` is a target shown by its title."""
    tokens = state.tokens
    labels = state.env.setdefault("section_labels", [])
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        inline = tokens[index + 1]
        match = regex.search(rf"\s*\{{#(sec-{_LABEL_CHARS}*\w)\}}\s*$", inline.content)
        if not match:
            continue
        anchor = match.group(1)
        for child in reversed(inline.children or []):
            if child.type == "text":
                child.content = regex.sub(r"\s*\{#[^{}]*\}\s*$", "", child.content)
                break
        inline.content = inline.content[: match.start()]
        token.attrSet("id", anchor)
        title = "".join(c.content for c in inline.children or [] if c.type == "text").strip()
        labels.append((anchor, title))


def _prose_refs(state, silent):
    """Inline rule: @eq-name, @fig-name, @tbl-name, @sec-name."""
    pos = state.pos
    if state.src[pos] != "@":
        return False
    if pos > 0 and regex.match(r"[A-Za-z0-9_@.]", state.src[pos - 1]):
        return False
    match = _PROSE_REF.match(state.src, pos)
    if not match:
        return False
    if not silent:
        token = state.push("xref", "", 0)
        token.meta = {"key": f"{match.group(1)}-{match.group(2)}"}
        token.content = match.group(0)
    state.pos = match.end()
    return True


def _resolve(state):
    """Core rule: number every target, then fill in every reference."""
    env = state.env
    md = state.md
    numbering = Numbering(_language(env))
    number_all = env.get("number_equations", False)
    tokens = state.tokens
    for key, title in env.pop("section_labels", []):
        numbering.add("sec", key, title, key)
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if _is_display(token):
            _number_equation(token, numbering, number_all)
        elif token.type == "inline":
            for child in token.children or []:
                if child.type == "math_inline_double":
                    _number_equation(child, numbering, number_all)
        if token.type == "paragraph_open" and index + 2 < len(tokens):
            _figure(tokens, index, numbering, md, env)
        if token.type == "table_close":
            _table_caption(tokens, index, numbering, md, env)
        index += 1
    for token in tokens:
        children = token.children if token.type == "inline" else [token]
        for child in children or []:
            if child.type == "xref":
                _fill(child, numbering, child.meta["key"])
            elif child.type in ("math_inline", "math_inline_double", "math_block") or (
                child.type == "fence" and child.info.strip().lower() == "math"
            ):
                _math_refs(child, numbering)
    env["numbering"] = numbering
    env.setdefault("problems", []).extend(numbering.problems)


def _fill(token, numbering, key):
    found = numbering.reference(key)
    rest = ""
    if not found:
        # Chinese puts no space after a label ("见@fig-曲线和…"): the longest label
        # that the text starts with wins, and the rest (from a non-ASCII letter) is text.
        for end in range(len(key) - 1, key.index("-"), -1):
            if not key[end].isascii() and numbering.reference(key[:end]):
                found, rest = numbering.reference(key[:end]), key[end:]
                break
    token.meta["found"] = found
    token.meta["rest"] = rest
    token.content = (found[0] if found else "??") + rest
    if not found:
        numbering.problems.append(f"Unknown reference {key!r}: nothing has that label.")


def _math_refs(token, numbering):
    """\\eqref and \\ref: a formula that is only a reference becomes a link in prose."""
    only = _ONLY_REF.match(token.content)
    if only and token.type == "math_inline":
        # $\eqref{eq:a}$ in prose: a link like LaTeX's, "(1)" for \eqref and "1" for \ref.
        token.type = "xref"
        token.meta = {"key": label_key(only.group(2))}
        _fill(token, numbering, token.meta["key"])
        found = token.meta["found"]
        if found:
            number = found[0][found[0].find("(") :]
            text = number if only.group(1) == "eqref" else number.strip("()")
            token.meta["found"] = (text, found[1])
            token.content = text
        return

    def replace(match):
        found = numbering.reference(label_key(match.group(2)))
        if not found:
            numbering.problems.append(f"Unknown reference {match.group(2)!r} in a formula.")
            return "\\text{??}"
        kind_text = found[0]
        number = kind_text[kind_text.find("(") :] if "(" in kind_text else kind_text
        return (
            f"\\text{{{number}}}"
            if match.group(1) == "eqref"
            else f"\\text{{{number.strip('()')}}}"
        )

    if "\\" in token.content:
        token.content = _REF_IN_MATH.sub(replace, token.content)


def _render_xref(self, tokens, index, options, env):
    token = tokens[index]
    found = token.meta.get("found")
    if not found:
        key = html.escape(token.meta.get("key", ""))
        return f'<span class="xref-missing" title="Unknown label: {key}">??</span>'
    text, anchor = found
    rest = html.escape(token.meta.get("rest", ""))
    return f'<a class="xref" href="#{html.escape(anchor)}">{html.escape(text)}</a>{rest}'


def _wrap_display(original):
    """Wrap a bound render rule so numbered formulas carry their number and anchors."""

    def render(self, tokens, index, options, env):
        token = tokens[index]
        inner = original(tokens, index, options, env)
        meta = token.meta or {}
        anchors = meta.get("anchors") or []
        number = meta.get("equation_number")
        if not number and not anchors:
            return inner
        block = token.block or token.type == "fence"
        tag = "div" if block else "span"
        first = f' id="{html.escape(anchors[0])}"' if anchors else ""
        extra = "".join(f'<span id="{html.escape(a)}"></span>' for a in anchors[1:])
        number_html = (
            f'<span class="equation-number">({html.escape(number)})</span>' if number else ""
        )
        trailing = "\n" if inner.endswith("\n") else ""
        return (
            f'<{tag} class="equation"{first}>{extra}{inner.rstrip()}{number_html}</{tag}>'
            + trailing
        )

    return render


def crossref_plugin(md: MarkdownIt):
    """Number equations, figures and tables and resolve references; use after math_plugin."""
    md.inline.ruler.before("text", "xref", _prose_refs)
    if "heading_ids" in md.core.ruler.get_all_rules():
        md.core.ruler.before("heading_ids", "crossref_headings", _headings)
    else:
        md.core.ruler.push("crossref_headings", _headings)
    md.core.ruler.push("crossref", _resolve)
    md.add_render_rule("xref", _render_xref)
    for name in ("math_block", "math_inline_double", "fence"):
        original = md.renderer.rules.get(name)
        if original is not None:
            md.add_render_rule(name, _wrap_display(original))

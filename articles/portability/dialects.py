"""Rewrite static-site Markdown dialects into the plain Markdown Inkstone renders.

Three dialects meet an importer in practice (docs/import-export.md):

- Hexo tag plugins: `{% note %}`, `{% codeblock %}`, `{% raw %}`, `{% asset_img %}`.
- d2lbook, the notebook-flavoured Markdown of *Dive into Deep Learning*: roles such
  as :label:`x` and :numref:`x`, framework tabs (`:begin_tab:` blocks and code cells
  opening with `#@tab`), `#@save` markers and a `toc` block.
- pandoc-style code info strings, `{.python .input}`.

Everything works line by line and leaves fenced code alone, except for the
d2lbook markers that live inside code cells. Excerpt markers (`<!-- more -->`)
are ordinary HTML comments and pass through untouched.
"""

import re
import shlex
from dataclasses import dataclass, field

FRAMEWORK_CHOICES = ("first", "all")

_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})(.*)$")
_HEXO_TAG = re.compile(r"\{%-?\s*(\w+)(.*?)-?%\}")
_HEXO_BLOCK_OPEN = re.compile(r"^\s*\{%\s*(codeblock|code|note)\b(.*?)%\}\s*$")
_RAW_TAG = re.compile(r"\{%-?\s*(?:end)?raw\s*-?%\}")
_ROLE = re.compile(r":([a-z_]+):`([^`]*)`(?=([(\[]?))")
_BEGIN_TAB = re.compile(r"^\s*:begin_tab:`([^`]*)`\s*$")
_END_TAB = re.compile(r"^\s*:end_tab:\s*$")
_TAB_COMMENT = re.compile(r"^\s*#@tab\s+(.+?)\s*$")
_SAVE_COMMENT = re.compile(r"\s*#@save\s*$")

NOTE_KINDS = {
    "default": "NOTE",
    "primary": "NOTE",
    "info": "NOTE",
    "success": "TIP",
    "tip": "TIP",
    "important": "IMPORTANT",
    "warning": "WARNING",
    "danger": "CAUTION",
    "caution": "CAUTION",
}
NOTE_MODIFIERS = {"no-icon", "flat", "simple", "modern", "disabled"}
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".bmp", ".avif")
DROPPED_ROLES = {"width", "height"}
REFERENCE_ROLES = {"numref", "ref", "eqref"}
CITATION_ROLES = {"cite", "citet", "citep"}
# d2lbook label prefixes and the cross-reference kinds they become (docs/markdown.md).
LABEL_KINDS = {"fig": "fig", "tab": "tbl", "table": "tbl", "eq": "eq", "sec": "sec"}
_LABEL_LINE = re.compile(r"^\s*:(label|eqlabel):`([^`]*)`\s*$")
_DISPLAY_CLOSE = re.compile(r"\$\$\s*$")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s")
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")


@dataclass(frozen=True)
class DialectOptions:
    hexo: bool = True
    d2lbook: bool = True
    # Which d2lbook framework tab to keep: a name ("pytorch"), "first" or "all".
    d2l_tab: str = "first"
    pandoc: bool = True


@dataclass
class Converted:
    body: str
    warnings: list = field(default_factory=list)  # (body line, message)


def convert(body, options=DialectOptions(), *, asset_folder=""):
    """Return the body rewritten into plain Markdown, with warnings by body line."""
    warnings = []
    lines = body.split("\n")
    if options.hexo:
        lines = _hexo(lines, warnings, asset_folder)
    if options.d2lbook:
        lines = _d2lbook(lines, options.d2l_tab)
    if options.pandoc:
        lines = [_pandoc_fence(line) for line in lines]
    return Converted("\n".join(lines), warnings)


def pandoc_language(info):
    """Return the language of a pandoc-style info string: `{.python .input}` → `python`."""
    inner = info.strip()
    if not (inner.startswith("{") and inner.endswith("}")):
        return inner
    inner = inner[1:-1]
    classes = re.findall(r"(?:^|\s)\.([\w+#-]+)", inner)
    if classes:
        return classes[0]
    words = [word for word in inner.split() if "=" not in word and not word.startswith("#")]
    return words[0] if words else ""


def _pandoc_fence(line):
    match = _FENCE.match(line)
    if match and match.group(3).strip().startswith("{"):
        return f"{match.group(1)}{match.group(2)}{pandoc_language(match.group(3))}"
    return line


def _fence_closes(line, opening):
    match = _FENCE.match(line)
    return bool(
        match
        and match.group(2)[0] == opening[0]
        and len(match.group(2)) >= len(opening)
        and not match.group(3).strip()
    )


def _outside_fences(lines):
    """Yield (index, line, is_outside_code) for each line."""
    opening = None
    for index, line in enumerate(lines):
        if opening is None:
            match = _FENCE.match(line)
            if match and not (match.group(2)[0] == "`" and "`" in match.group(3)):
                opening = match.group(2)
                yield index, line, False
                continue
            yield index, line, True
        else:
            if _fence_closes(line, opening):
                opening = None
            yield index, line, False


# Hexo ---------------------------------------------------------------------------------------


def _hexo(lines, warnings, asset_folder):
    out = []
    block = None  # ("codeblock"|"code", language, lines) or ("note", None, None)
    reported = set()
    for index, line, outside in _outside_fences(lines):
        if block is not None and block[0] in ("codeblock", "code"):
            if re.match(rf"^\s*\{{%\s*end{block[0]}\s*%\}}\s*$", line):
                out.extend(_fence(block[2], block[1]))
                block = None
            else:
                block[2].append(line)
            continue
        if not outside:
            out.append(_quoted(line) if block else line)
            continue
        opening = _HEXO_BLOCK_OPEN.match(line)
        if opening and opening.group(1) in ("codeblock", "code"):
            block = (opening.group(1), _codeblock_language(opening.group(2)), [])
            continue
        if opening:
            out.extend(_note_opening(opening.group(2)))
            block = ("note", None, None)
            continue
        if block and re.match(r"^\s*\{%\s*endnote\s*%\}\s*$", line):
            block = None
            continue
        line = _hexo_inline(line, index, warnings, reported, asset_folder)
        if line is None:
            continue
        out.append(_quoted(line) if block else line)
    if block is not None and block[0] != "note":
        warnings.append((len(lines), f"{{% {block[0]} %}} is never closed"))
        out.extend(_fence(block[2], block[1]))
    return out


def _hexo_inline(line, index, warnings, reported, asset_folder):
    """Rewrite the inline Hexo tags of one line; return None to drop the line."""
    if _RAW_TAG.search(line):
        line = _RAW_TAG.sub("", line)
        if not line.strip():
            return None

    def replace(match):
        name, args = match.group(1), match.group(2)
        if name == "asset_img":
            return _asset_image(args, asset_folder)
        if name not in reported:
            reported.add(name)
            warnings.append((index + 1, f"unsupported Hexo tag {{% {name} %}} kept as text"))
        return match.group(0)

    return _HEXO_TAG.sub(replace, line)


def _asset_image(args, asset_folder):
    try:
        words = shlex.split(args)
    except ValueError:
        words = args.split()
    # {% asset_img [class names] slug [width] [height] [title text [alt text]] %}
    position = next((i for i, word in enumerate(words) if word.lower().endswith(IMAGE_SUFFIXES)), 0)
    name = words[position] if words else ""
    rest = [word for word in words[position + 1 :] if not re.fullmatch(r"\d+(px|%)?", word)]
    alt = " ".join(rest).replace('"', "").replace("]", "")
    target = f"{asset_folder}/{name}" if asset_folder and "/" not in name else name
    return f"![{alt}]({target})"


def _codeblock_language(args):
    match = re.search(r"\blang:([\w+#.-]+)", args)
    return match.group(1) if match else ""


def _fence(code_lines, language):
    longest = max((len(run) for line in code_lines for run in re.findall(r"`+", line)), default=0)
    marker = "`" * max(3, longest + 1)
    return [f"{marker}{language}", *code_lines, marker]


def _note_opening(args):
    words = [word for word in args.split() if word not in NOTE_MODIFIERS]
    kind = NOTE_KINDS.get(words[0].lower()) if words else None
    title = " ".join(words[1:] if kind else words)
    lines = [f"> [!{kind or 'NOTE'}]"]
    if title:
        lines.append(f"> **{title}**")
        lines.append(">")
    return lines


def _quoted(line):
    return f"> {line}" if line.strip() else ">"


# d2lbook ------------------------------------------------------------------------------------


def _d2lbook(lines, tab_choice):
    blocks = _d2l_blocks(lines)
    chosen = _chosen_framework(blocks, tab_choice)
    out = []
    for group in _groups(blocks):
        for block in _select(group, chosen):
            if block["kind"] == "code":
                out.extend(block["lines"])
                continue
            for line in block["lines"]:
                label = _LABEL_LINE.match(line)
                if label and _attach_label(out, label.group(1), label.group(2)):
                    continue
                rewritten = _roles(line)
                # A line that held only build roles (":width:`x`") goes, leaving no gap.
                if rewritten.strip() or not line.strip():
                    out.append(rewritten)
    return out


def reference_name(label, default_kind="sec"):
    """Return (kind, name) for a d2lbook label: fig_attention -> ("fig", "attention")."""
    prefix, _, rest = label.partition("_")
    if rest and prefix in LABEL_KINDS:
        return LABEL_KINDS[prefix], rest
    return default_kind, label


def _attach_label(out, role, label):
    """Attach a d2lbook :label: or :eqlabel: line to the element just above it.

    An image gets `{#fig-…}`, a heading `{#sec-…}`, a table a caption line
    `: {#tbl-…}`, and display math a `\\label{eq:…}`; anything else keeps
    nothing, as before, and returns False.
    """
    previous = next((i for i in range(len(out) - 1, -1, -1) if out[i].strip()), None)
    if previous is None:
        return False
    line = out[previous]
    if role == "eqlabel" or _DISPLAY_CLOSE.search(line):
        if not _DISPLAY_CLOSE.search(line):
            return False
        _, name = reference_name(label, "eq")
        out[previous] = _DISPLAY_CLOSE.sub(lambda m: f"\\label{{eq:{name}}}$$", line)
        return True
    _, name = reference_name(label, "sec")
    if _HEADING.match(line):
        out[previous] = f"{line.rstrip()} {{#sec-{name}}}"
    elif line.rstrip().endswith(")") and "![" in line:
        out[previous] = f"{line.rstrip()}{{#fig-{name}}}"
    elif _TABLE_ROW.match(line):
        out[previous + 1 : previous + 1] = ["", f": {{#tbl-{name}}}"]
    else:
        return False
    return True


def _d2l_blocks(lines):
    """Split lines into text, code-cell and framework-tab blocks."""
    blocks, text, tab, code = [], [], None, None
    for _, line, outside in _outside_fences(lines):
        if code is not None:
            if line.strip() != "#@save":
                code["lines"].append(_SAVE_COMMENT.sub("", line))
            if _fence_closes(line, code["opening"]):
                blocks.append(code)
                code = None
            continue
        if tab is not None:
            if _END_TAB.match(line):
                blocks.append(tab)
                tab = None
            else:
                tab["lines"].append(line)
            continue
        if not outside:
            match = _FENCE.match(line)
            blocks.append({"kind": "text", "lines": text})
            text = []
            code = {"kind": "code", "lines": [line], "opening": match.group(2)}
            code["info"] = match.group(3).strip()
            code["frameworks"] = None
            continue
        begin = _BEGIN_TAB.match(line)
        if begin:
            blocks.append({"kind": "text", "lines": text})
            text = []
            tab = {"kind": "tab", "lines": [], "frameworks": _framework_set(begin.group(1))}
            continue
        text.append(line)
    if code is not None:
        blocks.append(code)
    if tab is not None:
        blocks.append(tab)
    blocks.append({"kind": "text", "lines": text})
    for block in blocks:
        if block["kind"] == "code":
            _read_tab_comment(block)
    return [block for block in blocks if block["kind"] != "text" or block["lines"]]


def _read_tab_comment(block):
    body = block["lines"][1:]
    if block["info"].lower() == "toc":
        block["kind"] = "toc"
        return
    if body:
        match = _TAB_COMMENT.match(body[0])
        if match:
            block["frameworks"] = _framework_set(match.group(1))
            del block["lines"][1]


def _framework_set(names):
    return tuple(name.strip().lower() for name in names.split(",") if name.strip())


def _chosen_framework(blocks, tab_choice):
    if tab_choice != "first":
        return tab_choice.lower()
    for block in blocks:
        for name in block.get("frameworks") or ():
            if name != "all":
                return name
    return "all"


def _groups(blocks):
    """Group framework alternatives: same-kind blocks separated only by blank lines."""
    groups, current = [], []
    for block in blocks:
        if block["kind"] == "text" and not any(line.strip() for line in block["lines"]):
            if current:
                current.append(block)
            else:
                groups.append([block])
            continue
        kinds = {b["kind"] for b in current if b["kind"] != "text"}
        if block["kind"] in ("code", "tab") and (not kinds or kinds == {block["kind"]}):
            current.append(block)
            continue
        if current:
            groups.append(current)
            current = []
        if block["kind"] in ("code", "tab"):
            current = [block]
        else:
            groups.append([block])
    if current:
        groups.append(current)
    return groups


def _select(group, chosen):
    """Keep one framework's alternatives in a group; text and `all` cells always stay."""
    units = [block for block in group if block["kind"] in ("code", "tab")]
    tagged = [unit for unit in units if unit["frameworks"] and unit["frameworks"] != ("all",)]
    if chosen == "all" or not tagged:
        return [block for block in group if block["kind"] != "toc"]
    if any(chosen in unit["frameworks"] for unit in tagged):
        keep = chosen
    elif any(unit["frameworks"] is None for unit in units):
        keep = None  # untagged cells are the book's default framework
    else:
        keep = tagged[0]["frameworks"][0]

    def wanted(block):
        frameworks = block["frameworks"]
        if frameworks is None:
            return keep is None
        return "all" in frameworks or keep in frameworks

    return [b for b in group if b["kind"] == "text" or (b["kind"] != "toc" and wanted(b))]


def _roles(line):
    def replace(match):
        role, target = match.group(1), match.group(2)
        if role in DROPPED_ROLES or role in ("label", "eqlabel"):
            return ""
        if role in CITATION_ROLES:
            keys = [key.strip() for key in target.split(",") if key.strip()]
            if role == "citet":
                return " and ".join(f"@{key}" for key in keys)
            # "[@key](" would turn into a link: keep a space before such a bracket.
            cited = "; ".join(f"@{key}" for key in keys)
            return f"[{cited}]" + (" " if match.group(3) else "")
        if role == "eqref":
            return "@eq-" + reference_name(target, "eq")[1]
        if role in REFERENCE_ROLES:
            kind, name = reference_name(target, "sec")
            return f"@{kind}-{name}"
        return match.group(0)

    return _ROLE.sub(replace, line) if ":" in line else line

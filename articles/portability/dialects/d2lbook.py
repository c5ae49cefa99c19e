"""d2lbook, the notebook-flavoured Markdown of *Dive into Deep Learning*, as plain Markdown.

Roles such as :label:`x` and :numref:`x` become cross-references and citations,
framework tabs (`:begin_tab:` blocks and code cells opening with `#@tab`) become
`:::: tabs` groups or one chosen framework, `#@save` markers and `toc` blocks go.
"""

import re

from articles.portability.dialects.fences import FENCE, fence_closes, outside_fences

# How framework names read on a tab; others are shown as written.
FRAMEWORK_LABELS = {
    "mxnet": "MXNet",
    "pytorch": "PyTorch",
    "tensorflow": "TensorFlow",
    "jax": "JAX",
    "paddle": "PaddlePaddle",
}
# d2lbook's first configured framework owns the cells that carry no `#@tab`.
DEFAULT_FRAMEWORK = "mxnet"

_ROLE = re.compile(r":([a-z_]+):`([^`]*)`(?=([(\[]?))")
_BEGIN_TAB = re.compile(r"^\s*:begin_tab:`([^`]*)`\s*$")
_END_TAB = re.compile(r"^\s*:end_tab:\s*$")
_TAB_COMMENT = re.compile(r"^\s*#@tab\s+(.+?)\s*$")
_SAVE_COMMENT = re.compile(r"\s*#@save\s*$")
DROPPED_ROLES = {"width", "height"}
REFERENCE_ROLES = {"numref", "ref", "eqref"}
CITATION_ROLES = {"cite", "citet", "citep"}
# d2lbook label prefixes and the cross-reference kinds they become (docs/markdown.md).
LABEL_KINDS = {"fig": "fig", "tab": "tbl", "table": "tbl", "eq": "eq", "sec": "sec"}
_LABEL_LINE = re.compile(r"^\s*:(label|eqlabel):`([^`]*)`\s*$")
_DISPLAY_CLOSE = re.compile(r"\$\$\s*$")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s")
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")


def rewrite_d2lbook(lines, tab_choice):
    """Return the lines with d2lbook roles, labels and framework tabs rewritten."""
    blocks = _d2l_blocks(lines)
    chosen = _chosen_framework(blocks, tab_choice)
    out = []
    for group in _groups(blocks):
        if chosen == "tabs" and _frameworks_of(group):
            before, alternatives, after = _shared_ends(group)
            for block in before:
                _emit(block, out)
            out.extend(_tab_group(alternatives))
            for block in after:
                _emit(block, out)
            continue
        for block in _select(group, chosen):
            _emit(block, out)
    return out


def _emit(block, out):
    """Append a block's lines to out, roles rewritten and labels attached above."""
    if block["kind"] == "code":
        out.extend(block["lines"])
        return
    for line in block["lines"]:
        label = _LABEL_LINE.match(line)
        if label and _attach_label(out, label.group(1), label.group(2)):
            continue
        rewritten = _roles(line)
        # A line that held only build roles (":width:`x`") goes, leaving no gap.
        if rewritten.strip() or not line.strip():
            out.append(rewritten)


def _frameworks_of(group):
    """Return the frameworks a group offers alternatives for, in order of appearance."""
    names = []
    units = [block for block in group if block["kind"] in ("code", "tab")]
    for unit in units:
        for name in unit["frameworks"] or (DEFAULT_FRAMEWORK,):
            if name != "all" and name not in names:
                names.append(name)
    tagged = any(unit["frameworks"] not in (None, ("all",)) for unit in units)
    return names if tagged else []


def _is_shared(block):
    return block["kind"] == "text" or block.get("frameworks") == ("all",)


def _shared_ends(group):
    """Split off the `all` cells that open or close a group: they need no tab."""
    start, end = 0, len(group)
    while start < end and _is_shared(group[start]):
        start += 1
    while end > start and _is_shared(group[end - 1]):
        end -= 1
    return group[:start], group[start:end], group[end:]


def _tab_group(group):
    """Write a group of framework alternatives as `:::: tabs`, one `::: tab` per framework."""
    out = [":::: tabs"]
    for name in _frameworks_of(group):
        out.append(f"::: tab {FRAMEWORK_LABELS.get(name, name)}")
        for block in group:
            frameworks = block.get("frameworks") or (DEFAULT_FRAMEWORK,)
            if block["kind"] in ("code", "tab") and (name in frameworks or "all" in frameworks):
                out.append("")
                _emit(block, out)
                out.append("")
        out.append(":::")
    out.extend(["::::", ""])
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
    for _, line, outside in outside_fences(lines):
        if code is not None:
            if line.strip() != "#@save":
                code["lines"].append(_SAVE_COMMENT.sub("", line))
            if fence_closes(line, code["opening"]):
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
            match = FENCE.match(line)
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
    if tab_choice == "tabs":
        return "tabs"
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

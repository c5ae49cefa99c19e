"""MathML tables as Chromium lays them out: alignment, spacing and rules as classes.

MathML Core ignores columnalign, columnspacing, rowspacing, columnlines and
rowlines; each cell gets classes from static/css/content.css instead, and
\\tag texts that KaTeX's MathML leaves out get their own cell (docs/math.md).
"""

import re
import xml.etree.ElementTree as ET

_LENGTH = re.compile(r"^\s*(-?[\d.]+)\s*(em|ex|pt|px|mu)?\s*$")
# Row gaps KaTeX uses (em), each with the class that pads a cell by half of it.
_ROW_GAPS = (0.0, 0.1, 0.16, 0.25, 0.36, 0.5, 0.66, 1.0)
# Every class a table cell can get; the sanitizer allows exactly these.
TABLE_CLASSES = frozenset(
    {"tex-l", "tex-r", "tex-c", "tex-glue", "tex-tag", "tex-bl", "tex-bld", "tex-bt", "tex-btd"}
    | {f"tex-{side}{size}" for side in ("pl", "pr") for size in ("0", "h", "1")}
    | {f"tex-rs{round(gap * 100)}" for gap in _ROW_GAPS}
)


def em(value, default=0.0):
    """Return a MathML length in em (pt and px at a 10 pt em), or default."""
    match = _LENGTH.match(value or "")
    if not match:
        return default
    number = float(match.group(1))
    unit = match.group(2) or "em"
    return number * {"em": 1.0, "ex": 0.43, "pt": 0.1, "px": 0.0625, "mu": 1 / 18}[unit]


def add_class(element, name):
    """Add the space-separated classes in name to element's class attribute."""
    classes = element.get("class", "").split()
    for part in name.split():
        if part not in classes:
            classes.append(part)
    element.set("class", " ".join(classes))


def drop(element, *names):
    """Remove the named attributes from element, if present."""
    for name in names:
        element.attrib.pop(name, None)


def _spread(values, count):
    values = values.split() if values else []
    if not values:
        return [None] * count
    return [values[min(index, len(values) - 1)] for index in range(count)]


def _pad_class(side, half_gap):
    size = "0" if half_gap < 0.15 else "h" if half_gap < 0.75 else "1"
    return f"tex-{side}{size}"


def _row_class(gap):
    nearest = min(_ROW_GAPS, key=lambda known: abs(known - gap))
    return f"tex-rs{round(nearest * 100)}"


def _tag_rows(table, rows, tags):
    """Put each row's \\tag in a right-hand cell, the equations centred between glue."""
    add_class(table, "tex-tagged")
    for row, tag in zip(rows, tags, strict=False):
        row.insert(0, ET.Element("mtd", {"class": "tex-glue"}))
        ET.SubElement(row, "mtd", {"class": "tex-glue"})
        cell = ET.SubElement(row, "mtd", {"class": "tex-tag"})
        if tag:
            ET.SubElement(cell, "mtext").text = tag


# TeX's array strut (0.7 and 0.3 of a 1.2 em baselineskip, times \arraystretch): every
# row is at least this tall and deep, so rows of short symbols sit 1.2 em apart (plus
# \jot in aligned and gathered), not as close as their ink allows, and a descender
# clears an \hline below it.
STRUT_HEIGHT, STRUT_DEPTH = 0.84, 0.36
# KaTeX writes rowspacing as 0.16 + arraystretch - 1, plus 0.09 where TeX adds \jot,
# and 0.1 for smallmatrix (arraystretch 0.5): its guess at the gap between rows drawn
# as tight as their ink. With struts the gap is \jot alone.
_JOT_SPACING, _SMALL_SPACING = 0.25, 0.1


def _stretch_and_jot(row_gap):
    """Return (arraystretch, gap between rows in em) for KaTeX's rowspacing."""
    if row_gap is None:
        return 1.0, 0.0
    gap = em(row_gap)
    if abs(gap - _SMALL_SPACING) < 0.01:
        return 0.5, 0.0
    if abs(gap - _JOT_SPACING) < 0.01:
        return 1.0, 0.25
    return max(1.0 + gap - 0.16, 0.5), 0.0


def _strut(row, stretch):
    cells = [cell for cell in row if "tex-glue" not in cell.get("class", "")]
    if cells:
        size = {
            "height": f"{STRUT_HEIGHT * stretch:.3g}em",
            "depth": f"{STRUT_DEPTH * stretch:.3g}em",
        }
        ET.SubElement(cells[0], "mspace", size)


def table_to_core(table, *, multline, tags=None):
    """Rewrite one KaTeX mtable in place for MathML Core."""
    rows = [row for row in table if row.tag in ("mtr", "mlabeledtr")]
    tagged = table.get("width") == "100%"
    for row in rows:
        for cell in list(row):
            kind = cell.get("class", "")
            # KaTeX's glue and empty number cells centre equations in its own CSS.
            if kind == "mtr-glue" or (kind == "mml-eqn-num" and not len(cell)):
                row.remove(cell)
            elif tagged and cell.get("width") == "50%":
                drop(cell, "width")
                add_class(cell, "tex-glue")
        if tagged and len(row):
            add_class(row[-1], "tex-tag")
    if tagged:
        add_class(table, "tex-tagged")
    if multline:
        add_class(table, "tex-multline")
    columns = max((len(row) for row in rows), default=0)
    aligns = _spread(table.get("columnalign"), columns)
    gaps = [em(gap, 0.8) for gap in _spread(table.get("columnspacing"), max(columns - 1, 1))]
    lines = _spread(table.get("columnlines"), max(columns - 1, 1))
    row_lines = _spread(table.get("rowlines"), max(len(rows) - 1, 1))
    spaced = table.get("columnspacing") is not None
    edge = 0.0 if not table.get("columnlines") else 0.5
    stretch, jot = _stretch_and_jot(table.get("rowspacing"))
    for row_index, row in enumerate(rows):
        for column, cell in enumerate(row):
            if cell.get("class") == "mml-eqn-num":
                drop(cell, "class")
            align = (aligns[column] or "center")[0]
            if multline and row_index == 0 and len(rows) > 1:
                align = "l"
            elif multline and row_index == len(rows) - 1 and len(rows) > 1:
                align = "r"
            if align in ("l", "r"):
                add_class(cell, f"tex-{align}")
            if spaced and "tex-glue" not in cell.get("class", ""):
                left = gaps[column - 1] / 2 if column > 0 else edge
                right = gaps[column] / 2 if column < columns - 1 else edge
                add_class(cell, _pad_class("pl", left))
                add_class(cell, _pad_class("pr", right))
            if column > 0 and lines[column - 1] in ("solid", "dashed"):
                add_class(cell, "tex-bl" if lines[column - 1] == "solid" else "tex-bld")
            if row_index > 0 and row_lines[row_index - 1] in ("solid", "dashed"):
                add_class(cell, "tex-bt" if row_lines[row_index - 1] == "solid" else "tex-btd")
            # Always a class: tex-rs0 also clears the UA's 0.5ex cell padding.
            add_class(cell, _row_class(jot))
    for row in rows:
        _strut(row, stretch)
    if table.get("frame") in ("solid", "dashed"):
        add_class(table, "tex-framed")
    if tags and any(tags):
        _tag_rows(table, rows, tags)
    # columnalign stays for Firefox and Safari, which honour it; the rest would
    # add to the classes' spacing there.
    drop(
        table, "columnspacing", "columnlines", "rowlines", "rowspacing", "frame", "width",
        "rowalign",
    )  # fmt: skip

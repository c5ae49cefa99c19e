"""Hexo tag plugins as plain Markdown: {% note %}, {% codeblock %}, {% raw %}, {% asset_img %}.

Notes become GitHub-style alerts, code blocks become fences, asset images
become Markdown images in the article's asset folder; any other tag is kept as
text with a warning, once per tag name.
"""

import re
import shlex

from articles.portability.dialects.fences import outside_fences

_HEXO_TAG = re.compile(r"\{%-?\s*(\w+)(.*?)-?%\}")
_HEXO_BLOCK_OPEN = re.compile(r"^\s*\{%\s*(codeblock|code|note)\b(.*?)%\}\s*$")
_RAW_TAG = re.compile(r"\{%-?\s*(?:end)?raw\s*-?%\}")

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


def rewrite_hexo(lines, warnings, asset_folder):
    """Return the lines with Hexo tags rewritten outside code; append (line, message) warnings."""
    out = []
    block = None  # ("codeblock"|"code", language, lines) or ("note", None, None)
    reported = set()
    for index, line, outside in outside_fences(lines):
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

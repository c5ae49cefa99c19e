"""Read the front matter of static-site Markdown: YAML, TOML or JSON, BOM or not.

Hexo, Hugo, Jekyll and Docusaurus all put metadata at the top of a post, in
one of three syntaxes. `read_markdown()` decodes the bytes, splits the header
off and parses it, and every failure names the line of the file it happened
on, so an import of hundreds of posts can say exactly what to fix.
"""

import json
import re
import tomllib
from dataclasses import dataclass, field

import yaml

BOM = "\ufeff"
_TOML_LINE = re.compile(r"at line (\d+)")
# `title: x`, `title = "x"` or `"title": "x"` at the start of a header line.
_KEY_LINE = re.compile(r"""^\s*["']?([A-Za-z_][\w-]*)["']?\s*[:=]""")


class _Loader(yaml.SafeLoader):
    """YAML's safe loader, except that an impossible date stays a string.

    PyYAML raises a bare ValueError with no line for `date: 2023-13-45`; as a
    string it reaches the importer, which reports it as a bad date on its line.
    """


def _timestamp(loader, node):
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


class FrontMatterError(ValueError):
    """A file that cannot be read, with the 1-based line where the problem is."""

    def __init__(self, message, *, line=None):
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass
class Document:
    meta: dict
    body: str
    kind: str | None = None  # "yaml", "toml", "json" or None without front matter
    body_line: int = 1  # file line on which the body starts
    key_lines: dict = field(default_factory=dict)  # front-matter key → file line

    def line_of(self, key):
        """Return the file line of a front-matter key (1 when unknown)."""
        return self.key_lines.get(key, 1)


def decode(data):
    """Return bytes as text: UTF-8 with or without a BOM, newlines normalised."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise FrontMatterError(
            f"not valid UTF-8 (byte 0x{data[error.start]:02x}); convert the file to UTF-8",
            line=line,
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_markdown(data):
    """Split and parse a Markdown file given as bytes or text; raise FrontMatterError."""
    text = decode(data) if isinstance(data, bytes) else data.lstrip(BOM)
    if text.startswith("---\n"):
        return _delimited(text, "---", "yaml", _parse_yaml)
    if text.startswith("+++\n"):
        return _delimited(text, "+++", "toml", _parse_toml)
    if text.startswith(";;;\n"):
        return _delimited(text, ";;;", "json", _parse_hexo_json)
    if text.startswith("{"):
        return _json_object(text)
    if text.startswith('"') and re.search(r"^;;;$", text, re.MULTILINE):
        # Hexo's header without an opening separator: `"title": "x"` lines, then `;;;`.
        header, _, body = text.partition("\n;;;")
        meta = _parse_hexo_json(header, first_line=1)
        body_line = header.count("\n") + 3
        return Document(meta, body.removeprefix("\n"), "json", body_line, _key_lines(header, 1))
    return Document({}, text)


def _delimited(text, fence, kind, parse):
    match = re.search(rf"^{re.escape(fence)}[ \t]*$", text[4:], re.MULTILINE)
    if kind == "yaml" and match is None:
        match = re.search(r"^\.\.\.[ \t]*$", text[4:], re.MULTILINE)
    if match is None:
        raise FrontMatterError(f"front matter opened with {fence} is never closed", line=1)
    header = text[4 : 4 + match.start()]
    rest = text[4 + match.end() :].removeprefix("\n")
    meta = parse(header, first_line=2)
    body_line = header.count("\n") + 3
    return Document(meta, rest, kind, body_line, _key_lines(header, 2))


def _key_lines(header, first_line):
    lines = {}
    for number, line in enumerate(header.split("\n"), start=first_line):
        match = _KEY_LINE.match(line)
        if match:
            lines.setdefault(match.group(1), number)
    return lines


def _as_mapping(value, line):
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise FrontMatterError("front matter is not a mapping of keys to values", line=line)
    return value


def _parse_yaml(header, *, first_line):
    try:
        value = yaml.load(header, Loader=_Loader)  # a SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = first_line + mark.line if mark is not None else first_line
        problem = getattr(error, "problem", None) or str(error).split("\n", 1)[0]
        raise FrontMatterError(f"bad YAML front matter: {problem}", line=line) from None
    return _as_mapping(value, first_line)


def _parse_toml(header, *, first_line):
    try:
        return tomllib.loads(header)
    except tomllib.TOMLDecodeError as error:
        match = _TOML_LINE.search(str(error))
        line = first_line + int(match.group(1)) - 1 if match else first_line
        raise FrontMatterError(f"bad TOML front matter: {error}", line=line) from None


def _parse_json(text, *, first_line):
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise FrontMatterError(
            f"bad JSON front matter: {error.msg}", line=first_line + error.lineno - 1
        ) from None
    return _as_mapping(value, first_line)


def _parse_hexo_json(header, *, first_line):
    # Hexo writes the members without braces; it adds them itself before parsing.
    stripped = header.strip()
    if stripped.startswith("{"):
        return _parse_json(header, first_line=first_line)
    return _parse_json("{" + header + "\n}", first_line=first_line)


def _json_object(text):
    try:
        value, end = json.JSONDecoder().raw_decode(text)
    except json.JSONDecodeError as error:
        raise FrontMatterError(f"bad JSON front matter: {error.msg}", line=error.lineno) from None
    header = text[:end]
    meta = _as_mapping(value, 1)
    rest = text[end:]
    rest = rest[rest.index("\n") + 1 :] if "\n" in rest else ""
    return Document(meta, rest, "json", header.count("\n") + 2, _key_lines(header, 1))

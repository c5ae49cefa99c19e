"""Turn a Jupyter notebook into an article (docs/import-export.md, "Notebooks").

The notebook becomes ordinary Markdown, which then goes through the same front
matter reading and upsert as a Markdown file, so re-importing updates the
article. Markdown cells stay as written (math included); code cells become
fences in the kernel's language; outputs follow their cell: text as `output`
blocks, images as uploaded images, HTML (tables) as raw HTML that the
sanitizer cleans, errors as a traceback block titled with the error.

Everything is converted before anything is stored: a notebook that fails
anywhere raises NotebookError naming the file and the cell, and leaves no
images and no article behind.
"""

import base64
import binascii
import re
import secrets
from dataclasses import dataclass, field

import nbformat
import yaml

from articles.portability.entries import EntryError
from articles.portability.frontmatter import FrontMatterError, read_markdown
from articles.portability.images import image_extension, rewrite_images, store_image
from articles.portability.markdown import entry_from_text
from articles.rendering.sanitize import sanitize_html

IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml")
_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")
_BACKTICKS = re.compile(r"`{3,}")
# Notebook metadata keys that mean the same as a front-matter key.
METADATA_KEYS = ("title", "slug", "date", "tags", "categories", "summary", "description", "lang")


class NotebookError(ValueError):
    """A notebook that cannot be imported; the message names the file and the cell."""


@dataclass
class _Images:
    """Images found in outputs and attachments, stored only once conversion succeeds."""

    pending: dict = field(default_factory=dict)  # placeholder → (bytes, extension)
    # Random, so no text in the notebook can be mistaken for a placeholder.
    nonce: str = field(default_factory=lambda: secrets.token_hex(8))

    def add(self, data, name):
        extension = image_extension(data, name)
        placeholder = f"inkstone-notebook-image-{self.nonce}-{len(self.pending)}.img"
        self.pending[placeholder] = (data, extension)
        return placeholder

    def store(self, body, *, dry_run):
        for placeholder, (data, extension) in self.pending.items():
            body = body.replace(placeholder, store_image(data, extension, dry_run=dry_run))
        return body


def _fence(text, info):
    """Return text as a fenced block whose fence no line of the text can close."""
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=2)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{info}\n{text.rstrip()}\n{fence}"


def _text(value):
    return "".join(value) if isinstance(value, list) else str(value or "")


def _decode_image(data, kind):
    if kind == "image/svg+xml":
        return _text(data).encode()
    try:
        return base64.b64decode(_text(data), validate=False)
    except (binascii.Error, ValueError):
        raise ValueError("the image data is not base64") from None


def _rich_output(data, images):
    for kind in IMAGE_TYPES:
        if kind in data:
            placeholder = images.add(_decode_image(data[kind], kind), f"output.{kind[6:]}")
            return f"![output]({placeholder})"
    if "text/html" in data:
        # Jupyter's own <style>/<script> around a table are presentation, not the author's
        # words: clean them away here rather than show them as text on the page.
        cleaned = sanitize_html(_text(data["text/html"]))
        # A blank line would end the HTML block and turn the rest into Markdown.
        lines = [line for line in cleaned.splitlines() if line.strip()]
        return "<div>\n" + "\n".join(lines) + "\n</div>"
    if "text/markdown" in data:
        return _text(data["text/markdown"])
    if "text/latex" in data:
        return _text(data["text/latex"]).strip()
    if "text/plain" in data:
        return _fence(_text(data["text/plain"]), "output")
    return ""


def _output(output, images):
    kind = output.get("output_type")
    if kind == "stream":
        title = ' title="stderr"' if output.get("name") == "stderr" else ""
        return _fence(_ANSI.sub("", _text(output.get("text"))), f"output{title}")
    if kind in ("execute_result", "display_data"):
        return _rich_output(output.get("data", {}), images)
    if kind == "error":
        trace = _ANSI.sub("", "\n".join(output.get("traceback") or []))
        heading = f"{output.get('ename', 'Error')}: {output.get('evalue', '')}".strip(": ")
        title = " ".join(heading.replace('"', "'").split())[:150]
        return _fence(trace or heading, f'pytb title="{title}"')
    return ""


def _markdown_cell(cell, images):
    attachments = cell.get("attachments") or {}

    def replace(target):
        name = target.removeprefix("attachment:")
        if not target.startswith("attachment:") or name not in attachments:
            return None
        kind = next((kind for kind in IMAGE_TYPES if kind in attachments[name]), None)
        if kind is None:
            raise ValueError(f"attachment {name} is not an image")
        return images.add(_decode_image(attachments[name][kind], kind), name)

    return rewrite_images(_text(cell.get("source")), replace)


def _front_matter(notebook, cells):
    """Return (front matter dict, cells without a leading front-matter raw cell)."""
    metadata = notebook.get("metadata", {})
    meta = {key: metadata[key] for key in METADATA_KEYS if metadata.get(key)}
    authors = metadata.get("authors")
    if authors:
        # Jupyter's `authors` is a list of {name: …}; all of them are credited, in order.
        # Plain dicts: the front matter is written out as YAML, which knows no NotebookNode.
        people = authors if isinstance(authors, list) else [authors]
        meta["authors"] = [
            dict(person) if isinstance(person, dict) else person for person in people
        ]
    first = cells[0] if cells else None
    if first is not None and first.get("cell_type") == "raw":
        source = _text(first.get("source")).strip()
        if source.startswith("---"):
            document = read_markdown(source + "\n")
            meta.update(document.meta)
            cells = cells[1:]
    return meta, cells


def _language(notebook):
    metadata = notebook.get("metadata", {})
    language = metadata.get("language_info", {}).get("name") or metadata.get("kernelspec", {}).get(
        "language"
    )
    return str(language or "python").split()[0].lower()


def _read(path):
    try:
        notebook = nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
    except (OSError, UnicodeDecodeError) as error:
        raise NotebookError(f"{path.name}: cannot read the file ({error})") from None
    except Exception as error:  # nbformat raises JSON, reader and version errors alike
        raise NotebookError(f"{path.name}: not a Jupyter notebook ({error})") from None
    try:
        nbformat.validate(notebook)
    except nbformat.ValidationError as error:
        where = list(error.absolute_path)
        cell = f" in cell {where[1] + 1}" if len(where) > 1 and where[0] == "cells" else ""
        raise NotebookError(f"{path.name}{cell}: invalid notebook ({error.message})") from None
    return notebook


def notebook_markdown(path):
    """Return (Markdown text with front matter, pending images) for a notebook file."""
    notebook = _read(path)
    language = _language(notebook)
    images = _Images()
    meta, cells = _front_matter(notebook, list(notebook.cells))
    parts = []
    offset = len(notebook.cells) - len(cells)
    for number, cell in enumerate(cells, start=offset + 1):
        try:
            kind = cell.get("cell_type")
            if kind == "markdown":
                parts.append(_markdown_cell(cell, images))
            elif kind == "code":
                source = _text(cell.get("source"))
                if source.strip():
                    parts.append(_fence(source, language))
                parts.extend(
                    filter(None, (_output(out, images) for out in cell.get("outputs", [])))
                )
        except (ValueError, TypeError, KeyError, AttributeError) as error:
            raise NotebookError(f"{path.name}, cell {number}: {error}") from None
    header = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) if meta else ""
    body = "\n\n".join(part.strip("\n") for part in parts if part.strip())
    text = f"---\n{header}---\n\n{body}\n" if header else f"{body}\n"
    return text, images


def read_notebook(path, *, dry_run=False, warn=lambda message, line=None: None):
    """Return the Entry for a notebook, with its images stored; raise NotebookError."""
    text, images = notebook_markdown(path)
    try:
        entry = entry_from_text(text, path=path, root=path.parent, warn=warn)
    except (FrontMatterError, EntryError) as error:
        raise NotebookError(f"{path.name}: {error.message}") from None
    entry.source_key = f"notebook:{entry.slug or path.name}"[:500]
    entry.body = images.store(entry.body, dry_run=dry_run)
    return entry

"""Import folders of static-site Markdown (Hexo, Hugo, Jekyll, Docusaurus) as articles.

Each file becomes an `Entry`: front matter mapped to Inkstone's fields (the
table in docs/import-export.md), dialects rewritten, images copied into media storage. The
source key is the front-matter slug (`slug`, `permalink` or `abbrlink`) when
there is one, since that is the post's identity on its old site, and otherwise
the file's path relative to the folder given on the command line.
"""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.db import transaction

from articles.models import Article
from articles.portability.comments import read_sidecar, save_comments
from articles.portability.dialects import DialectOptions, convert
from articles.portability.entries import (
    AuthorRef,
    Entry,
    EntryError,
    SaveOptions,
    clean_tags,
    normalize_language,
    parse_date,
    save_entry,
)
from articles.portability.frontmatter import FrontMatterError, decode, read_markdown
from articles.portability.images import ImageCopier
from articles.portability.reports import Progress, Report
from articles.rendering.slugs import slug_from_text

MARKDOWN_SUFFIXES = (".md", ".markdown")
_DATE_PREFIX = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})-(.+)$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_H1 = re.compile(r"^ {0,3}#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")
TRUE_WORDS = {"true", "yes", "1", "on"}
FALSE_WORDS = {"false", "no", "0", "off"}


@dataclass
class MarkdownImport:
    dialects: DialectOptions = field(default_factory=DialectOptions)
    save: SaveOptions = field(default_factory=SaveOptions)
    dry_run: bool = False
    progress: bool | None = None  # None: only when stderr is a terminal


def find_markdown_files(paths, report):
    """Return (root, file) pairs for the given files and folders, searched recursively."""
    found = []
    for given in map(Path, paths):
        if given.is_dir():
            files = sorted(
                path
                for path in given.rglob("*")
                if path.suffix.lower() in MARKDOWN_SUFFIXES
                and path.is_file()
                and not any(part.startswith(".") for part in path.relative_to(given).parts)
            )
            found.extend((given, path) for path in files)
        elif given.is_file():
            found.append((given.parent, given))
        else:
            report.fail(given, "no such file or folder")
    return found


def import_markdown(paths, options=None, *, stderr=None):
    """Import Markdown files and folders; return the Report."""
    options = options or MarkdownImport()
    report = Report()
    files = find_markdown_files(paths, report)
    progress = Progress(len(files), stream=stderr, enabled=options.progress)
    images = ImageCopier(dry_run=options.dry_run)
    seen = {}
    with transaction.atomic():
        for root, path in files:
            progress.step(path.name)
            _import_one(root, path, options, images, seen, report)
        # A dry run does all the work, so its report is the real one, then forgets it.
        transaction.set_rollback(options.dry_run)
    progress.close()
    return report


def _import_one(root, path, options, images, seen, report):
    def warn(message, line=None):
        report.warn(path, message, line)

    try:
        with transaction.atomic():
            entry = read_entry(path, root=root, dialects=options.dialects, images=images, warn=warn)
            if entry.source_key in seen:
                raise EntryError(f"same slug or path as {seen[entry.source_key]}; skipped")
            seen[entry.source_key] = path
            action = save_entry(entry, options=options.save, warn=warn)
            save_comments(entry.source_key, read_sidecar(path, warn))
    except (FrontMatterError, EntryError) as error:
        report.fail(path, error.message, error.line)
    except OSError as error:
        report.fail(path, f"cannot read the file: {error.strerror or error}")
    else:
        report.count(action)


def read_entry(path, *, root, dialects=None, images=None, warn=lambda message, line=None: None):
    """Read one Markdown file into an Entry; raise FrontMatterError or EntryError."""
    text = decode(path.read_bytes())
    return entry_from_text(text, path=path, root=root, dialects=dialects, images=images, warn=warn)


def entry_from_text(
    text, *, path, root, dialects=None, images=None, warn=lambda message, line=None: None
):
    """Turn Markdown text with front matter into an Entry, as if read from path."""
    document = read_markdown(text)
    meta = {str(key).lower(): value for key, value in document.meta.items()}
    converted = convert(document.body, dialects or DialectOptions(), asset_folder=path.stem)
    for line, message in converted.warnings:
        warn(message, document.body_line + line - 1)
    title, body = _title_and_body(meta, converted.body, path)
    if images is not None:
        body, image_warnings = images.localize(body, source=path, original=text)
        for line, message in image_warnings:
            warn(message, line)
    body = _with_bibliography(body, meta.get("bibliography"), path, warn)
    slug = _slug(meta)
    status = _status(meta)
    relative = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.name
    return Entry(
        source_key=(f"slug:{slug}" if slug else f"path:{relative}")[:500],
        title=title,
        body=body.strip("\n"),
        slug=slug,
        published_at=_published_at(meta, document, path, status),
        updated_at=_date(meta, document, "updated", "lastmod", "last_modified_at"),
        tags=clean_tags(meta.get("tags")),
        category_path=_category_path(meta.get("categories", meta.get("category")), warn),
        **_authors(meta.get("author"), meta.get("authors")),
        language=normalize_language(meta.get("lang", meta.get("language")), body),
        status=status,
        summary=_text(meta.get("description", meta.get("summary", meta.get("excerpt")))),
    )


def _with_bibliography(body, value, path, warn):
    """Append the BibTeX files named by Pandoc's `bibliography:` front matter as a block.

    The article then carries its own entries (docs/markdown.md), so a citation
    keeps working after export and re-import without the file beside it.
    """
    names = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    blocks = []
    for name in names:
        source = (path.parent / str(name)).resolve()
        if source.suffix.lower() not in (".bib", ".bibtex") or not source.is_file():
            warn(f"bibliography not found or not a .bib file: {name}")
            continue
        bibtex = decode(source.read_bytes()).strip()
        fence = "`" * max(3, max((len(run) for run in re.findall(r"`+", bibtex)), default=0) + 1)
        blocks.append(f"{fence}bibtex\n{bibtex}\n{fence}")
    if not blocks:
        return body
    return body.rstrip("\n") + "\n\n" + "\n\n".join(blocks) + "\n"


def _title_and_body(meta, body, path):
    """Return the title and the body without a first `# heading` that repeats it."""
    title = _text(meta.get("title"))
    lines = body.split("\n")
    opening = None
    for index, line in enumerate(lines):
        fence = _FENCE.match(line)
        if fence:
            marker = fence.group(1)
            opening = None if opening and marker.startswith(opening) else (opening or marker)
            continue
        heading = None if opening else _H1.match(line)
        if heading:
            # A label ({#sec-name}) is no part of the title; the page's own title
            # is what stands in for the heading once it goes.
            text = re.sub(r"\s*\{#[^{}]*\}$", "", heading.group(1)).strip()
            if not title or " ".join(text.split()) == " ".join(title.split()):
                del lines[index]
                if index < len(lines) and not lines[index].strip():
                    del lines[index]
                return title or text, "\n".join(lines)
            break
    if not title:
        match = _DATE_PREFIX.match(path.stem)
        stem = match.group(2) if match else path.stem
        title = re.sub(r"[-_]+", " ", stem).strip() or path.stem
    return title, body


def _published_at(meta, document, path, status):
    moment = _date(meta, document, "date", "published_at")
    if moment or status == Article.Status.DRAFT:
        # An undated draft stays undated: publishing it later sets the date.
        return moment
    match = _DATE_PREFIX.match(path.stem)
    if match:
        try:
            return parse_date(match.group(1))
        except ValueError:
            pass
    return datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)


def _date(meta, document, *keys):
    for key in keys:
        value = meta.get(key)
        if value in (None, ""):
            continue
        try:
            return parse_date(value)
        except ValueError as error:
            raise EntryError(f"bad {key}: {error}", line=document.line_of(key)) from None
    return None


def _slug(meta):
    for key in ("slug", "permalink", "abbrlink"):
        value = _text(meta.get(key))
        if key == "permalink":
            value = value.strip("/").rsplit("/", 1)[-1].removesuffix(".html")
        if value:
            return slug_from_text(value)
    return ""


def _category_path(value, warn):
    """Return one category path; Hexo lists are paths, nested lists are several paths."""
    if value in (None, "", []):
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split("/") if part.strip()]
    if not isinstance(value, list):
        return [_text(value)]
    if any(isinstance(item, list) for item in value):
        paths = [item if isinstance(item, list) else [item] for item in value]
        if len(paths) > 1:
            warn(f"an article has one category; kept {' / '.join(map(str, paths[0]))}")
        return [_text(name) for name in paths[0] if _text(name)]
    return [_text(name) for name in value if _text(name)]


def _authors(*values):
    """Return the Entry's author and co-authors from `author` and `authors`, either a list.

    Hugo and Jekyll write `authors: [a, b]`, others `author: a`; both may be present,
    naming the same person. The first name is the author, the others follow in order.
    """
    refs = []
    for value in values:
        for item in value if isinstance(value, list) else [value]:
            ref = _author(item)
            if ref is not None and ref not in refs:
                refs.append(ref)
    return {"author": refs[0] if refs else None, "coauthors": refs[1:]}


def _author(value):
    if isinstance(value, dict):
        return AuthorRef(
            username=_text(value.get("username") or value.get("key") or value.get("login")),
            name=_text(value.get("name")),
            email=_text(value.get("email")),
        )
    name = _text(value)
    return AuthorRef(name=name) if name else None


def _status(meta):
    status = _text(meta.get("status")).lower()
    if status in ("draft", "pending", "private"):
        return Article.Status.DRAFT
    if status in ("published", "publish"):
        return Article.Status.PUBLISHED
    if _flag(meta.get("draft")) is True or _flag(meta.get("published")) is False:
        return Article.Status.DRAFT
    return Article.Status.PUBLISHED


def _flag(value):
    if isinstance(value, bool):
        return value
    word = _text(value).lower()
    return True if word in TRUE_WORDS else False if word in FALSE_WORDS else None


def _text(value):
    return "" if value is None else str(value).strip()

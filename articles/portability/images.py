"""Find the images a Markdown body references, copy them into media storage and back out.

Imports copy every relatively referenced image into `default_storage` under
`imports/<hash prefix>/<content hash>.<ext>`: the name comes from the bytes, so
importing the same post twice stores one file, and two posts sharing a picture
share it. Only files that prove to be images are copied: rasters Pillow can
decode (PNG, JPEG, GIF, WebP) and SVGs without script. SVGs are referenced only
through <img> (a Markdown image), where browsers never run their script; the
script check also covers someone opening the file's URL directly.
"""

import hashlib
import re
from io import BytesIO
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, UnidentifiedImageError

from articles.admin.uploads import ALLOWED_FORMATS

IMPORT_FOLDER = "imports"
# ![alt](target "title"): the target may be <bracketed> to allow spaces.
_MD_IMAGE = re.compile(
    r"(!\[(?:[^\[\]\n]|\[[^\[\]\n]*\])*\]\(\s*)(<[^>\n]+>|[^\s()]+(?:\([^\s()]*\)[^\s()]*)*)"
)
_HTML_IMAGE = re.compile(r"(<img\b[^>]*?\bsrc\s*=\s*)([\"'])(.*?)\2", re.IGNORECASE | re.DOTALL)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_SVG_DANGER = re.compile(rb"<script|<foreignobject|\bon[a-z]+\s*=|javascript:", re.IGNORECASE)


def rewrite_images(body, replace):
    """Return body with each image target outside fenced code replaced by replace(target).

    `replace` returns the new target, or None to keep the old one.
    """

    def markdown(match):
        target = match.group(2)
        bare = target[1:-1] if target.startswith("<") else target
        new = replace(bare)
        return match.group(0) if new is None else f"{match.group(1)}{_md_target(new)}"

    def html(match):
        new = replace(match.group(3))
        quote = match.group(2)
        return match.group(0) if new is None else f"{match.group(1)}{quote}{new}{quote}"

    out = []
    for chunk in _chunks(body):
        if chunk[0]:
            out.append(chunk[1])
        else:
            out.append(_HTML_IMAGE.sub(html, _MD_IMAGE.sub(markdown, chunk[1])))
    return "".join(out)


def _md_target(url):
    return f"<{url}>" if any(character in url for character in " ()") else url


def _chunks(body):
    """Split body into (is_code, text) pieces so fenced code is never touched."""
    pieces, current, in_code, opening = [], [], False, None
    for line in body.splitlines(keepends=True):
        match = _FENCE.match(line)
        if not in_code and match:
            pieces.append((False, "".join(current)))
            current, in_code, opening = [line], True, match.group(1)
            continue
        current.append(line)
        closing = match and match.group(1)[0] == opening[0] and len(match.group(1)) >= len(opening)
        if in_code and closing and not line.strip()[len(match.group(1)) :]:
            pieces.append((True, "".join(current)))
            current, in_code = [], False
    pieces.append((in_code, "".join(current)))
    return [piece for piece in pieces if piece[1]]


def is_relative(url):
    """Tell whether an image target points at a file beside the Markdown."""
    parts = urlsplit(url)
    return bool(url) and not (parts.scheme or parts.netloc or url.startswith(("/", "#")))


def image_extension(data, name):
    """Return the extension to store an image under, or raise ValueError if it isn't one."""
    if name.lower().endswith(".svg"):
        head = data[:2048].lstrip()
        if b"<svg" not in data[:4096].lower() or not head.startswith((b"<", b"\xef\xbb\xbf<")):
            raise ValueError("not an SVG image")
        if _SVG_DANGER.search(data):
            raise ValueError("SVG with script or event handlers skipped")
        return "svg"
    try:
        with Image.open(BytesIO(data)) as probe:
            image_format = probe.format
            probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValueError("not a readable image") from None
    if image_format not in ALLOWED_FORMATS:
        raise ValueError(f"{image_format} images are not supported (PNG, JPEG, GIF, WebP, SVG)")
    return ALLOWED_FORMATS[image_format]


def store_image(data, extension, *, dry_run=False):
    """Save image bytes under their content hash and return the media URL."""
    digest = hashlib.sha256(data).hexdigest()
    name = f"{IMPORT_FOLDER}/{digest[:2]}/{digest[:24]}.{extension}"
    if not dry_run and not default_storage.exists(name):
        default_storage.save(name, ContentFile(data))
    return default_storage.url(name)


class ImageCopier:
    """Copy the images of Markdown files into media storage, once per file on disk."""

    def __init__(self, *, dry_run=False):
        self.dry_run = dry_run
        self.urls = {}  # resolved path → media URL
        self.copied = 0

    def localize(self, body, *, source, original):
        """Return (body with media URLs, [(line, message)]) for a Markdown file."""
        warnings = []

        def replace(target):
            if not is_relative(target):
                return None
            relative = unquote(urlsplit(target).path)
            path = (source.parent / relative).resolve()
            line = _line_of(original, target)
            if path not in self.urls:
                try:
                    self.urls[path] = self._copy(path)
                except FileNotFoundError:
                    warnings.append((line, f"image not found: {target}"))
                    return None
                except ValueError as error:
                    warnings.append((line, f"image {target}: {error}"))
                    return None
            return self.urls[path]

        return rewrite_images(body, replace), warnings

    def _copy(self, path):
        if not path.is_file():
            raise FileNotFoundError(path)
        data = Path(path).read_bytes()
        url = store_image(data, image_extension(data, path.name), dry_run=self.dry_run)
        self.copied += 1
        return url


def _line_of(text, target):
    # Dialects may have rewritten the target (asset_img gains its folder): try the name too.
    for needle in (target, target.rsplit("/", 1)[-1]):
        position = text.find(needle)
        if position >= 0:
            return text.count("\n", 0, position) + 1
    return None

"""Turn the stored body's <img> elements into responsive pictures (docs/media.md).

Pure HTML work on the sanitizer's output: each image we hold variants of
becomes a <picture> with AVIF and WebP sources, a srcset and sizes, its
intrinsic width and height (so the page does not jump while it loads), and a
link to the full-size picture, which opens without JavaScript. Images we hold
no variants of are left as they are, but for the site's static files, which
get their width and height.
"""

import html
import re
from dataclasses import dataclass

# The article column is 42rem wide from 44rem up; below that, the viewport less padding.
SIZES = "(min-width: 44rem) 42rem, calc(100vw - 2rem)"

_ATTRIBUTE = re.compile(r'\s+([\w:-]+)(?:="([^"]*)")?')
_TOKEN = re.compile(
    r'<a\b(?:\s+[\w:-]+(?:="[^"]*")?)*\s*>|</a>|<img\b((?:\s+[\w:-]+(?:="[^"]*")?)*)\s*/?>'
)


@dataclass(frozen=True)
class Picture:
    width: int
    height: int
    full_url: str
    fallback: list  # [(width, url)] in the format every browser shows
    sources: list  # [(mime type, [(width, url)])], preferred first


def srcset(candidates):
    return ", ".join(f"{url} {width}w" for width, url in candidates)


def attributes(text):
    return {name: html.unescape(value or "") for name, value in _ATTRIBUTE.findall(text)}


def render_attributes(values):
    return "".join(f' {name}="{html.escape(str(value))}"' for name, value in values.items())


def picture_html(picture, attrs, *, eager=False):
    """Return the <picture> for one image, keeping its alt, title and loading hints."""
    img = {
        # Browsers without srcset get a middle width, not the largest.
        "src": picture.fallback[min(1, len(picture.fallback) - 1)][1],
        "srcset": srcset(picture.fallback),
        "sizes": SIZES,
        "width": picture.width,
        "height": picture.height,
        "alt": attrs.get("alt", ""),
    }
    if attrs.get("title"):
        img["title"] = attrs["title"]
    if eager:
        img.update({"fetchpriority": "high", "decoding": "async"})
    else:
        img.update({"loading": "lazy", "decoding": "async"})
    sources = "".join(
        f'<source type="{mime}" srcset="{html.escape(srcset(candidates))}" sizes="{SIZES}">'
        for mime, candidates in picture.sources
    )
    return f"<picture>{sources}<img{render_attributes(img)}></picture>"


def responsive_images(body_html, lookup):
    """Return body_html with every image lookup(src) knows as a linked <picture>."""
    depth = 0

    def replace(match):
        nonlocal depth
        token = match.group(0)
        if token.startswith("</a"):
            depth = max(0, depth - 1)
            return token
        if not token.startswith("<img"):
            depth += 1
            return token
        attrs = attributes(match.group(1) or "")
        picture = lookup(attrs.get("src", ""))
        if picture is None:
            return token
        element = picture_html(picture, attrs)
        if depth:
            return element  # Already a link: a second one inside would be invalid.
        href = html.escape(picture.full_url)
        return f'<a class="image-link" href="{href}">{element}</a>'

    return _TOKEN.sub(replace, body_html)


def with_dimensions(body_html, lookup):
    """Return body_html with width and height on each <img> lookup(src) gives (w, h) for.

    For images served as they are (the site's own static files): the box keeps
    its shape while the file loads. An <img> that has a width keeps its own.
    """

    def replace(match):
        token = match.group(0)
        if not token.startswith("<img"):
            return token
        attrs = attributes(match.group(1) or "")
        size = None if "width" in attrs else lookup(attrs.get("src", ""))
        if size is None:
            return token
        attrs["width"], attrs["height"] = size
        return f"<img{render_attributes(attrs)}>"

    return _TOKEN.sub(replace, body_html)


def image_sources(body_html):
    """Return the src of every <img> in body_html, in order."""
    return [
        attributes(match.group(1) or "").get("src", "")
        for match in _TOKEN.finditer(body_html)
        if match.group(0).startswith("<img")
    ]

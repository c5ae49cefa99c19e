"""Render a comment's Markdown through the article pipeline, with a stricter allowlist.

The same markdown-it parser as articles (math as MathML, highlighted code), but
built without raw HTML (it shows as text), headings, footnotes or images from
other hosts; the nh3 pass drops ids (a comment must not clobber the page's
anchors) and marks every link rel="nofollow ugc noopener" (docs/comments.md).
"""

import functools
import hashlib
import re
from copy import copy
from urllib.parse import urlsplit

import nh3
from django.conf import settings

from articles.rendering import sanitize
from articles.rendering.pipeline import markdown_parser

# Comments have no sections: "# text" stays text. Footnotes would give ids that repeat.
DISABLED_RULES = ["heading", "lheading", "footnote_def", "footnote_ref", "footnote_tail"]
HEADINGS = {f"h{level}" for level in range(1, 7)}
# Links a comment body holds, for the link limit: Markdown, autolinks and bare URLs.
UNSOURCED_IMAGE = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")
ALT = re.compile(r'\salt="([^"]*)"')
LINK = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>()\]]+")


def _own_origin():
    site = urlsplit(settings.SITE_URL)
    return site.scheme.lower(), site.netloc.lower()


def _keep_attribute(tag, attribute, value):
    if attribute in sanitize.URL_ATTRIBUTES and value.lstrip()[:5].lower() == "data:":
        return None
    if tag == "img" and attribute == "src":
        # Only images this site serves: a foreign image would track readers.
        parts = urlsplit(value.strip())
        if parts.netloc and (parts.scheme.lower(), parts.netloc.lower()) != _own_origin():
            return None
        if not parts.netloc and not parts.path.startswith("/"):
            return None
    return value


@functools.cache
def _cleaner():
    tags = (sanitize.HTML_TAGS | sanitize.MATHML_TAGS) - HEADINGS - {"input", "section"}
    attributes = {
        tag: set(names) - {"id"}
        for tag, names in sanitize.ATTRIBUTES.items()
        if tag in tags and tag != "a"
    }
    attributes["a"] = {"href", "title"}
    # Math lays out by class (mathml_core.py) and code blocks sit in classed figures,
    # so those keep theirs; links, lists and sections have no comment-made classes.
    styled = {"div", "span", "pre", "figure", "figcaption", "details"} | sanitize.MATHML_TAGS
    classes = {tag: names for tag, names in sanitize.ALLOWED_CLASSES.items() if tag in styled}
    return nh3.Cleaner(
        tags=tags,
        clean_content_tags=sanitize.CLEAN_CONTENT_TAGS,
        attributes=attributes,
        attribute_filter=_keep_attribute,
        strip_comments=True,
        link_rel="nofollow ugc noopener",
        set_tag_attribute_values={"img": {"loading": "lazy", "decoding": "async"}},
        url_schemes={"http", "https", "mailto"},
        allowed_classes=classes | {"code": set(sanitize.language_classes())},
        filter_style_properties=set(),
    )


@functools.cache
def _parser():
    # Built once: the article parser's plugins and renderers, with fewer rules.
    md = markdown_parser(raw_html=False)
    stricter = copy(md)
    stricter.block = copy(md.block)
    stricter.block.ruler = copy(md.block.ruler)
    stricter.block.ruler.__rules__ = [copy(rule) for rule in md.block.ruler.__rules__]
    stricter.block.ruler.__cache__ = None
    stricter.inline = copy(md.inline)
    stricter.inline.ruler = copy(md.inline.ruler)
    stricter.inline.ruler.__rules__ = [copy(rule) for rule in md.inline.ruler.__rules__]
    stricter.inline.ruler.__cache__ = None
    stricter.core = copy(md.core)
    stricter.core.ruler = copy(md.core.ruler)
    stricter.core.ruler.__rules__ = [copy(rule) for rule in md.core.ruler.__rules__]
    stricter.core.ruler.__cache__ = None
    stricter.options = copy(md.options)
    stricter.disable(DISABLED_RULES, ignoreInvalid=True)
    return stricter


def render_comment(markdown_text):
    """Return a comment's sanitized HTML."""
    md = _parser()
    env = {"language": settings.LANGUAGE_CODE}
    cleaned = _cleaner().clean(md.render(markdown_text or "", env))
    # A foreign image lost its src: show its (already escaped) alt text instead.
    return UNSOURCED_IMAGE.sub(_alt_text, cleaned)


def _alt_text(match):
    alt = ALT.search(match.group(0))
    return alt.group(1) if alt else ""


def count_links(*texts):
    return sum(len(LINK.findall(text or "")) for text in texts)


def link_hosts(*texts):
    """Return the lower-case host names of the links in texts."""
    hosts = set()
    for text in texts:
        for match in LINK.findall(text or ""):
            url = match if "://" in match else f"http://{match}"
            host = urlsplit(url).hostname
            if host:
                hosts.add(host.lower().rstrip("."))
    return hosts


def body_digest(text):
    """Return a digest of a body that ignores case and spacing, for duplicate detection."""
    normalized = " ".join((text or "").lower().split())
    return hashlib.sha256(normalized.encode()).hexdigest()

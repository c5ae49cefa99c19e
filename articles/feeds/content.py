"""Prepare stored article HTML for feed readers.

Feed readers show an item outside the site: they drop stylesheets, resolve
relative URLs against the feed (or not at all) and often run their own
sanitizer. `feed_html()` makes the stored `body_html` stand on its own there.
It runs on HTML that nh3 already serialized, so attributes are always
double-quoted and their values entity-escaped, which the patterns rely on.
"""

import html
import re
from urllib.parse import urljoin, urlsplit

from articles.caching.entries import cached_many
from articles.feeds.math import portable_decorations
from articles.rendering.highlight import inline_code_styles
from articles.rendering.tabs import tabs_in_sequence

MATHML_NAMESPACE = "http://www.w3.org/1998/Math/MathML"
# Bump when feed_html() changes what it makes of the same input.
FEED_HTML_VERSION = "3"

_URL_ATTRIBUTE = re.compile(r'(\s(?:href|src|cite|poster)=")([^"]*)(")')
_SRCSET_ATTRIBUTE = re.compile(r'(\ssrcset=")([^"]*)(")')
# The "#" anchor after each heading is a page affordance; in a reader it is noise.
_HEADING_ANCHOR = re.compile(r'<a\b[^>]*\bclass="heading-anchor"[^>]*>#</a>')
_MATH_OPEN = re.compile(r"<math\b(?![^>]*\bxmlns=)")
# Characters XML 1.0 forbids; one of them in a title would make the whole feed unparseable.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text):
    """Return text without the control characters XML 1.0 cannot carry."""
    return _XML_ILLEGAL.sub("", text) if text else text


def absolute_url(url, *, base_url):
    """Return url resolved against base_url, leaving other schemes (mailto:, data:) alone."""
    url = url.strip()
    if not url or urlsplit(url).scheme:
        return url
    return urljoin(base_url, url)


def _absolute_srcset(value, base_url):
    candidates = []
    for candidate in value.split(","):
        parts = candidate.split()
        if parts:
            parts[0] = absolute_url(parts[0], base_url=base_url)
            candidates.append(" ".join(parts))
    return ", ".join(candidates)


def absolute_urls(html_text, *, base_url):
    """Return html with every relative link, image and srcset URL made absolute."""

    def replace_url(match):
        value = absolute_url(html.unescape(match.group(2)), base_url=base_url)
        return f"{match.group(1)}{html.escape(value)}{match.group(3)}"

    def replace_srcset(match):
        value = _absolute_srcset(html.unescape(match.group(2)), base_url)
        return f"{match.group(1)}{html.escape(value)}{match.group(3)}"

    html_text = _URL_ATTRIBUTE.sub(replace_url, html_text)
    return _SRCSET_ATTRIBUTE.sub(replace_srcset, html_text)


def feed_html(html_text, *, base_url):
    """Return stored article HTML made self-contained for a feed item.

    Relative URLs resolve against base_url (the article's absolute URL, so
    "#section" and "img/x.png" mean what they mean on the page), code keeps its
    colours as inline styles, tab groups read as a sequence, and MathML carries
    its namespace, which some readers' sanitizers require before they keep math,
    and its bars, boxes and strikes as MathML rather than CSS classes.
    """
    html_text = _HEADING_ANCHOR.sub("", xml_safe(html_text))
    html_text = _MATH_OPEN.sub(f'<math xmlns="{MATHML_NAMESPACE}"', html_text)
    html_text = portable_decorations(html_text)
    html_text = inline_code_styles(tabs_in_sequence(html_text))
    return absolute_urls(html_text, base_url=base_url)


def feed_html_many(items):
    """Return {key: feed_html(...)} for (key, html_text, base_url) triples, reusing earlier work.

    Each result is cached under a hash of exactly what produced it, so it can
    never be stale: an edit, a re-render or a new SITE_URL is a new key. This
    turns a feed's cost from the HTML rewriting (milliseconds an item) into one
    cache round trip.
    """
    inputs = {key: (html_text or "", base_url) for key, html_text, base_url in items}

    def rewrite(missing):
        return {key: feed_html(inputs[key][0], base_url=inputs[key][1]) for key in missing}

    parts = {key: (FEED_HTML_VERSION, base_url, html) for key, (html, base_url) in inputs.items()}
    return cached_many("feedhtml", parts, rewrite)

"""Sanitize rendered HTML with nh3: a strict allowlist that also admits MathML.

This is the last step of rendering, so raw HTML written in Markdown and
anything a plugin emits pass through the same gate.
"""

import functools
import re
import secrets
from urllib.parse import urlsplit

import nh3
from django.conf import settings

from articles.rendering.highlight import TOKEN_CLASSES, language_classes

HTML_TAGS = {
    "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "col",
    "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption",
    "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "input", "ins", "kbd",
    "li", "mark", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp", "section",
    "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot",
    "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
}  # fmt: skip

# Presentation MathML as latex2mathml emits it. Left out on purpose: annotation-xml
# and mglyph/malignmark, whose parsing rules switch namespaces (mutation XSS),
# and maction, whose behaviour is script-like.
MATHML_TAGS = {
    "math", "semantics", "annotation", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace",
    "msub", "msup", "msubsup", "mfrac", "msqrt", "mroot", "mover", "munder", "munderover",
    "mtable", "mtr", "mtd", "mstyle", "mpadded", "mphantom", "menclose", "merror",
    "mmultiscripts", "mprescripts", "none",
}  # fmt: skip

MATHML_ATTRIBUTES = {
    "accent", "accentunder", "columnalign", "columnlines", "columnspacing", "columnspan",
    "depth", "dir", "display", "displaystyle", "encoding", "fence", "form", "frame",
    "height", "largeop", "linebreak", "linethickness", "lspace", "mathsize", "mathvariant",
    "maxsize", "minsize", "movablelimits", "notation", "rowalign", "rowlines", "rowspacing",
    "rowspan", "rspace", "scriptlevel", "separator", "stretchy", "symmetric", "voffset",
    "width",
}  # fmt: skip

# Removed together with everything inside them, not just unwrapped.
CLEAN_CONTENT_TAGS = {
    "script", "style", "template", "textarea", "title", "noscript", "xmp", "noembed",
    "noframes", "plaintext", "select", "option", "object", "applet", "iframe",
}  # fmt: skip

ATTRIBUTES = {
    "a": {"href", "title", "id", "aria-label"},
    "abbr": {"title"},
    "blockquote": {"cite"},
    "del": {"cite", "datetime"},
    "dfn": {"title"},
    "details": {"open"},
    "div": {"title", "id"},
    "figure": {"id"},
    "img": {"src", "alt", "title", "width", "height"},
    "input": {"checked"},
    "ins": {"cite", "datetime"},
    "li": {"id", "value"},
    "ol": {"start", "reversed"},
    "q": {"cite"},
    "span": {"title", "id"},
    "sup": {"id"},
    # No style anywhere: the CSP (style-src 'self') would block it and report a
    # violation; table alignment is a class (articles/rendering/inert.py).
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "table": {"id"},
    "time": {"datetime"},
    **{f"h{level}": {"id"} for level in range(1, 7)},
    **{tag: MATHML_ATTRIBUTES for tag in MATHML_TAGS},
}

ALLOWED_CLASSES = {
    "a": {"footnote-backref", "heading-anchor", "xref", "citation"},
    "div": {
        "markdown-alert",
        "markdown-alert-note",
        "markdown-alert-tip",
        "markdown-alert-important",
        "markdown-alert-warning",
        "markdown-alert-caution",
        "math-display",
        "math-error",
        "equation",
    },
    "figure": {"numbered-figure"},
    "hr": {"footnotes-sep"},
    "input": {"task-list-item-checkbox"},
    "li": {"task-list-item", "footnote-item"},
    "ol": {"footnotes-list", "references-list"},
    "p": {"markdown-alert-title"},
    "pre": {"highlight"},
    "section": {"footnotes", "references"},
    "span": {
        "hll",
        # Latin text inside Chinese emphasis, which gets no emphasis dots.
        "latin",
        "math-display",
        "math-error",
        "equation",
        "equation-number",
        "caption-label",
        "xref-missing",
        "citation-missing",
        "citation-group",
        "reference-number",
        *TOKEN_CLASSES,
    },
    "sup": {"footnote-ref"},
    "td": {"align-left", "align-center", "align-right"},
    "th": {"align-left", "align-center", "align-right"},
    "ul": {"contains-task-list"},
}

URL_SCHEMES = {"http", "https", "mailto", "tel", "data"}
URL_ATTRIBUTES = {"href", "src", "cite"}
DATA_IMAGE_PREFIXES = tuple(
    f"data:image/{kind}" for kind in ("png", "jpeg", "jpg", "gif", "webp", "avif")
)


def _is_foreign(url, own_origin):
    parts = urlsplit(url.strip())
    return bool(parts.netloc) and (parts.scheme.lower(), parts.netloc.lower()) != own_origin


def _filter_attribute(allowed_iframe_hosts, own_origin):
    def keep(tag, attribute, value):
        if tag == "iframe" and attribute == "src":
            parts = urlsplit(value)
            if parts.scheme == "https" and parts.hostname in allowed_iframe_hosts:
                return value
            return None
        if tag == "img" and attribute == "src" and _is_foreign(value, own_origin):
            # The CSP admits images from elsewhere only over https, and only with
            # REMOTE_IMAGES on; anything else would be a blocked request and a CSP
            # report on the page (docs/security.md). The alt text stays either way.
            secure = urlsplit(value.strip()).scheme.lower() == "https"
            return value if secure and settings.REMOTE_IMAGES else None
        if attribute in URL_ATTRIBUTES and value.lstrip()[:5].lower() == "data:":
            # Raster data images are inert; data: anywhere else can carry a document.
            compact = "".join(value.split()).lower()
            if tag == "img" and attribute == "src" and compact.startswith(DATA_IMAGE_PREFIXES):
                return value
            return None
        return value

    return keep


@functools.lru_cache(maxsize=8)
def _cleaner(iframe_hosts, own_origin):
    tags = HTML_TAGS | MATHML_TAGS
    attributes = {tag: set(names) for tag, names in ATTRIBUTES.items()}
    clean_content = set(CLEAN_CONTENT_TAGS)
    forced = {
        "img": {"loading": "lazy", "decoding": "async"},
        # Task-list boxes show state; they must never become form controls.
        "input": {"type": "checkbox", "disabled": ""},
    }
    if iframe_hosts:
        tags.add("iframe")
        clean_content.discard("iframe")
        attributes["iframe"] = {"src", "title", "width", "height", "allowfullscreen"}
        forced["iframe"] = {
            "sandbox": "allow-scripts allow-same-origin allow-popups",
            "loading": "lazy",
            "referrerpolicy": "strict-origin-when-cross-origin",
        }
    return nh3.Cleaner(
        tags=tags,
        clean_content_tags=clean_content,
        attributes=attributes,
        attribute_filter=_filter_attribute(frozenset(iframe_hosts), own_origin),
        strip_comments=True,
        link_rel="noopener noreferrer",
        set_tag_attribute_values=forced,
        url_schemes=URL_SCHEMES,
        allowed_classes=ALLOWED_CLASSES | {"code": set(language_classes())},
    )


# An http(s) link whose host has an "xn--" label that is not valid punycode:
# nh3's URL parser rejects it and would drop the href, leaving a dead link text.
_PUNYCODE_HREF = re.compile(r'href="(https?://[^"/?#\s]*xn--[^"\s]*)"', re.IGNORECASE)


def sanitize_html(html):
    """Return html reduced to the allowlist: no scripts, handlers, forms or foreign URLs."""
    hosts = tuple(sorted(host.lower() for host in settings.MARKDOWN_IFRAME_HOSTS))
    site = urlsplit(settings.SITE_URL)
    cleaner = _cleaner(hosts, (site.scheme.lower(), site.netloc.lower()))
    if "xn--" not in html.lower():
        return cleaner.clean(html)
    # Such hrefs are http(s) and quoted, so they cannot carry a script: let them
    # through under a valid stand-in, then put them back.
    kept = {}

    def stand_in(match):
        key = f"https://{secrets.token_hex(8)}.invalid/"
        kept[key] = match.group(1)
        return f'href="{key}"'

    cleaned = cleaner.clean(_PUNYCODE_HREF.sub(stand_in, html))
    for key, value in kept.items():
        cleaned = cleaned.replace(f'href="{key}"', f'href="{value}"')
    return cleaned

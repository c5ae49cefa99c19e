"""Read a WordPress export (WXR) into entries, with bodies turned into Markdown.

The XML is parsed with defusedxml: an export is a file from elsewhere, and
entity declarations (billion laughs) or external entities (XXE) must fail with
a message instead of eating memory or reading local files.

Bodies are HTML, often without <p> tags (WordPress adds them when it shows a
post), and carry shortcodes: `[code lang="python"]…[/code]`,
`[sourcecode language="x"]…[/sourcecode]` and Jetpack's `$latex …$`. Those are
lifted out before markdownify converts the HTML, so its escaping never touches
code or TeX, and put back as fences and `$…$` afterwards.
"""

import html
import re
from dataclasses import dataclass, field
from urllib.parse import unquote
from xml.etree.ElementTree import ParseError

import defusedxml
import defusedxml.ElementTree
from django.utils.html import strip_tags
from markdownify import markdownify

from articles.models import Article
from articles.portability.comments import wxr_comments
from articles.portability.entries import AuthorRef, Entry, normalize_language, parse_date

IMPORTED_TYPES = {"post", "page"}
PUBLISHED_STATUSES = {"publish", "future"}
DRAFT_STATUSES = {"draft", "pending", "private"}
DEFAULT_CATEGORY = "uncategorized"
ZERO_DATE = "0000-00-00 00:00:00"

_CODE = re.compile(r"\[(code|sourcecode)\b([^\]]*)\](.*?)\[/\1\]", re.DOTALL | re.IGNORECASE)
_CODE_LANGUAGE = re.compile(r"""\b(?:lang|language)\s*=\s*["']?([\w+#.-]+)""", re.IGNORECASE)
_LATEX = re.compile(r"\$latex[ \t\n]+(.+?)\$", re.DOTALL)
_LATEX_OPTIONS = re.compile(r"(?:&(?:amp;)?(?:bg|fg|s)=[^&$]*)+\s*$")
_MORE = re.compile(r"<!--\s*more\s*-->", re.IGNORECASE)
_BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->", re.DOTALL)
_BLOCK_START = re.compile(
    r"^<(?:p|div|h[1-6]|ul|ol|li|pre|blockquote|table|figure|hr|dl|section|!--)\b", re.IGNORECASE
)
_TOKEN = re.compile(r"WPKEEP(\d+)X")


class WxrError(ValueError):
    """An export file that cannot be read safely."""


@dataclass
class Site:
    entries: list = field(default_factory=list)
    warnings: list = field(default_factory=list)  # (item title, message)


def read_wxr(path):
    """Parse a WXR file into a Site; raise WxrError for unsafe or broken XML."""
    try:
        tree = defusedxml.ElementTree.parse(str(path))
    except defusedxml.EntitiesForbidden as error:
        raise WxrError(
            f"refused unsafe XML: it declares the entity {error.name!r}; "
            "exports never need entity declarations"
        ) from None
    except defusedxml.DefusedXmlException as error:
        raise WxrError(f"refused unsafe XML ({type(error).__name__})") from None
    except ParseError as error:
        raise WxrError(f"not well-formed XML: {error}") from None
    channel = tree.getroot().find("channel")
    if channel is None:
        raise WxrError("no <channel>: this is not a WordPress export")
    site = Site()
    language = _child_text(channel, "language")
    authors = _authors(channel)
    categories = _category_paths(channel)
    for item in channel.findall("item"):
        entry = _entry(item, language, authors, categories, site.warnings)
        if entry is not None:
            site.entries.append(entry)
    return site


def _short(tag):
    """Name a namespaced tag by its usual prefix: `{…/export/1.2/}post_id` → `wp:post_id`."""
    if not tag.startswith("{"):
        return tag
    uri, local = tag[1:].split("}", 1)
    if "wordpress.org/export" in uri:
        prefix = "excerpt" if uri.rstrip("/").endswith("excerpt") else "wp"
    elif "purl.org/rss/1.0/modules/content" in uri:
        prefix = "content"
    elif "purl.org/dc/elements" in uri:
        prefix = "dc"
    else:
        prefix = "ns"
    return f"{prefix}:{local}"


def _children(element, name):
    return [child for child in element if _short(child.tag) == name]


def _child_text(element, name):
    found = _children(element, name)
    return (found[0].text or "").strip() if found else ""


def _authors(channel):
    authors = {}
    for node in _children(channel, "wp:author"):
        login = _child_text(node, "wp:author_login")
        first = _child_text(node, "wp:author_first_name")
        last = _child_text(node, "wp:author_last_name")
        name = _child_text(node, "wp:author_display_name") or f"{first} {last}".strip()
        authors[login] = AuthorRef(
            username=login, name=name, email=_child_text(node, "wp:author_email")
        )
    return authors


def _category_paths(channel):
    """Return nicename → [root name, ..., name] from the channel's category tree."""
    nodes = {}
    for node in _children(channel, "wp:category"):
        nicename = unquote(_child_text(node, "wp:category_nicename"))
        nodes[nicename] = (
            html.unescape(_child_text(node, "wp:cat_name")) or nicename,
            unquote(_child_text(node, "wp:category_parent")),
        )
    paths = {}
    for nicename in nodes:
        path, seen, current = [], set(), nicename
        while current in nodes and current not in seen:
            seen.add(current)
            name, parent = nodes[current]
            path.insert(0, name)
            current = parent
        paths[nicename] = path
    return paths


def _entry(item, language, authors, categories, warnings):
    title = html.unescape(_child_text(item, "title")) or "(untitled)"
    if _child_text(item, "wp:post_type") not in IMPORTED_TYPES:
        return None
    state = _child_text(item, "wp:status")
    if state not in PUBLISHED_STATUSES | DRAFT_STATUSES:
        warnings.append((title, f"skipped: WordPress status {state!r}"))
        return None
    content = _child_text(item, "content:encoded")
    body = html_to_markdown(content)
    terms = _children(item, "category")
    category_names = [
        unquote(node.get("nicename", "")) or (node.text or "").strip()
        for node in terms
        if node.get("domain") == "category"
    ]
    category_names = [name for name in category_names if name != DEFAULT_CATEGORY]
    if len(category_names) > 1:
        warnings.append((title, f"an article has one category; kept {category_names[0]!r}"))
    category_path = []
    if category_names:
        first = category_names[0]
        category_path = categories.get(first) or [first]
    login = _child_text(item, "dc:creator")
    detected = normalize_language("", body)
    guid = _child_text(item, "guid") or f"post-{_child_text(item, 'wp:post_id')}"
    return Entry(
        source_key=f"wp:{guid}"[:500],
        title=title,
        body=body,
        slug=unquote(_child_text(item, "wp:post_name")),
        published_at=_date(item, "wp:post_date_gmt", "wp:post_date"),
        updated_at=_date(item, "wp:post_modified_gmt", "wp:post_modified"),
        tags=[
            html.unescape((node.text or "").strip())
            for node in terms
            if node.get("domain") == "post_tag" and (node.text or "").strip()
        ],
        category_path=category_path,
        author=authors.get(login) or (AuthorRef(username=login) if login else None),
        language=detected if detected == "zh-hans" else normalize_language(language),
        status=(Article.Status.PUBLISHED if state in PUBLISHED_STATUSES else Article.Status.DRAFT),
        summary=" ".join(html.unescape(strip_tags(_child_text(item, "excerpt:encoded"))).split()),
        comments=wxr_comments(item, _children, _child_text),
    )


def _date(item, gmt_name, local_name):
    gmt = _child_text(item, gmt_name)
    try:
        if gmt and gmt != ZERO_DATE:
            return parse_date(gmt + "Z")
        local = _child_text(item, local_name)
        if local and local != ZERO_DATE:
            return parse_date(local)
    except ValueError:
        return None
    return None


def html_to_markdown(content):
    """Convert a WordPress post body (HTML with shortcodes) to Markdown."""
    kept = []

    def keep(markdown):
        kept.append(markdown)
        return f"WPKEEP{len(kept) - 1}X"

    def code(match):
        language = _CODE_LANGUAGE.search(match.group(2) or "")
        source = html.unescape(match.group(3)).strip("\n")
        longest = max((len(run) for run in re.findall(r"`+", source)), default=0)
        fence = "`" * max(3, longest + 1)
        lang = language.group(1).lower() if language else ""
        block = keep("\n".join((fence + lang, source, fence)))
        return f"\n\n<p>{block}</p>\n\n"

    def latex(match):
        tex = _LATEX_OPTIONS.sub("", html.unescape(match.group(1))).strip()
        return keep(f"${tex}$")

    content = content.replace("\r\n", "\n")
    needs_paragraphs = not re.search(r"<p[\s>]", content, re.IGNORECASE)
    content = _CODE.sub(code, content)
    content = _LATEX.sub(latex, content)
    content = _MORE.sub(lambda match: f"\n\n<p>{keep('<!-- more -->')}</p>\n\n", content)
    content = _BLOCK_COMMENT.sub("", content)
    if needs_paragraphs:
        content = _autop(content)
    markdown = markdownify(content, heading_style="ATX", bullets="-", strip=["script", "style"])
    markdown = _TOKEN.sub(lambda match: kept[int(match.group(1))], markdown)
    return re.sub(r"\n{3,}", "\n\n", markdown).strip()


def _autop(content):
    """Add the paragraphs WordPress stores as blank lines, as its wpautop() does on display."""
    blocks = []
    for chunk in re.split(r"\n\s*\n", content):
        chunk = chunk.strip()
        if not chunk:
            continue
        if _BLOCK_START.match(chunk):
            blocks.append(chunk)
        else:
            blocks.append("<p>" + chunk.replace("\n", "<br>\n") + "</p>")
    return "\n\n".join(blocks)

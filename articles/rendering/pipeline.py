"""Turn an article's Markdown into everything readers see.

This is the only place Markdown becomes HTML. `Article.save()` stores what
`render_article()` returns, and the admin's live preview calls `markdownify()`,
so the preview an author sees is exactly the page readers get.

The pipeline: markdown-it (CommonMark + GFM + footnotes + alerts) with math
kept away from Markdown (`mathml`), code highlighted (`highlight`), then nh3 as
the last step (`sanitize`); the preview and counts come from the same token
stream (`preview`).
"""

import functools
import html
import types
from dataclasses import dataclass, field

import regex
from django.conf import settings
from django.utils.text import slugify
from markdown_it import MarkdownIt
from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace
from markdown_it.rules_inline import emphasis, strikethrough
from markdown_it.rules_inline.state_inline import Scanned
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.gfm import gfm_plugin

from articles.rendering.autolinks import autolink_plugin
from articles.rendering.citations import citation_plugin
from articles.rendering.cjk import pangu_spacing, render_em_close, render_em_open, render_text
from articles.rendering.codeblocks import parse_fence, render_code
from articles.rendering.commonmark_fixes import Helpers, backslash_rule
from articles.rendering.crossref import crossref_plugin
from articles.rendering.fences import render_fence, splice_diagrams
from articles.rendering.inert import keep_inert
from articles.rendering.linear import bound_lookahead
from articles.rendering.math_markdown import (
    MATH_TOKEN_TYPES,
    math_plugin,
    typeset_document,
)
from articles.rendering.math_text import readable_math
from articles.rendering.preview import build_preview, placeholders
from articles.rendering.raw_html import (
    inline_math,
    render_html_block,
    render_html_inline,
    shown_as_text,
)
from articles.rendering.sanitize import sanitize_html
from articles.rendering.slugs import separate_words
from articles.rendering.tabs import tabs_plugin

ALERT_TITLES = {
    "en": {},
    "zh": {
        "NOTE": "注意",
        "TIP": "提示",
        "IMPORTANT": "重要",
        "WARNING": "警告",
        "CAUTION": "小心",
    },
}
ANCHOR_LABELS = {"en": "Link to this section", "zh": "链接到本节"}
FALLBACK_HEADING_ID = "section"

# d2lbook roles (`:label:`x``) that only steer the book build; on a page they are noise.
SILENT_ROLES = {"label", "width", "begin_tab", "end_tab", "height", "numref_label"}
REFERENCE_ROLES = {"numref", "eqref", "ref", "cite", "citet", "citep"}

_CJK = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}\u3000-\u303f\uff00-\uffef]")
_ROLE_SUFFIX = regex.compile(r":([a-z_]+):$")


@dataclass(frozen=True)
class Rendering:
    html: str
    toc: list = field(default_factory=list)
    preview: str = ""
    word_count: int = 0
    reading_minutes: int = 1
    # What the author may want to fix: unknown labels and citation keys, broken BibTeX.
    problems: list = field(default_factory=list)


def _is_cjk(character):
    return bool(_CJK.match(character))


def _scan_delims_cjk(self, start, can_split_word):
    """Scan an emphasis run like CommonMark, but let CJK text stand in for whitespace.

    Strict CommonMark leaves `**真，**她` unbolded because the closing run sits
    between punctuation and a letter (commonmark-spec issue 650); Chinese never
    puts spaces there, so a CJK neighbour counts as a boundary.
    """
    pos = start
    marker = self.src[start]
    last = self.src[start - 1] if start > 0 else " "
    while pos < self.posMax and self.src[pos] == marker:
        pos += 1
    following = self.src[pos] if pos < self.posMax else " "
    last_punct = isMdAsciiPunct(ord(last)) or isPunctChar(last)
    next_punct = isMdAsciiPunct(ord(following)) or isPunctChar(following)
    last_space = isWhiteSpace(ord(last))
    next_space = isWhiteSpace(ord(following))
    last_boundary = last_space or last_punct or _is_cjk(last)
    next_boundary = next_space or next_punct or _is_cjk(following)
    left_flanking = not next_space and (not next_punct or last_boundary)
    right_flanking = not last_space and (not last_punct or next_boundary)
    # `_` may not open or close inside a word; a run between punctuation and
    # CJK text (`旅行。__如果`, `”_然后`) is at a word's edge all the same.
    cjk_mark_before = last_punct and (_is_cjk(last) or _is_cjk(following))
    cjk_mark_after = next_punct and (_is_cjk(following) or _is_cjk(last))
    can_open = left_flanking and (
        can_split_word or not right_flanking or last_punct or cjk_mark_after
    )
    can_close = right_flanking and (
        can_split_word or not left_flanking or next_punct or cjk_mark_before
    )
    return Scanned(can_open, can_close, pos - start)


def _with_cjk_delimiters(rule):
    def tokenize(state, silent):
        state.scanDelims = types.MethodType(_scan_delims_cjk, state)
        return rule(state, silent)

    return tokenize


def _language_key(env):
    return "zh" if env.get("language", "").lower().startswith("zh") else "en"


def _plain_text(children):
    """Return inline tokens as text: headings' ids and TOC titles, images' alt text."""
    parts = []
    children = children or []
    for child, in_math in zip(children, inline_math(children), strict=True):
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("math_inline", "math_inline_double"):
            parts.append(readable_math(child.content.strip()) or child.content.strip())
        elif child.type == "image" or child.children:
            parts.append(_plain_text(child.children))
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "html_inline" and shown_as_text(child.content, in_math):
            parts.append(child.content)
    return "".join(parts)


def _heading_ids(state):
    """Give every heading a readable Unicode id and collect the table of contents."""
    taken = set()
    # The next suffix to try per base: twenty thousand "# Notes" cost one step each.
    next_number = {}
    toc = []
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "heading_open" or index + 1 >= len(tokens):
            continue
        title = " ".join(_plain_text(tokens[index + 1].children).split())
        # A heading the author labelled (`{#sec-name}`, see crossref) keeps that id.
        base = token.attrGet("id") or (
            slugify(separate_words(title), allow_unicode=True)[:80].strip("-_")
            or FALLBACK_HEADING_ID
        )
        anchor, number = base, next_number.get(base, 1)
        while anchor in taken:
            number += 1
            anchor = f"{base}-{number}"
        next_number[base] = number
        taken.add(anchor)
        token.attrSet("id", anchor)
        toc.append({"level": int(token.tag[1]), "id": anchor, "title": title})
    state.env["toc"] = toc


def _d2l_roles(state):
    """Drop d2lbook build roles and show cross-references as plain text."""
    for index, token in enumerate(state.tokens):
        if token.type != "inline" or not token.children:
            continue
        children = token.children
        kept = []
        for child in children:
            previous = kept[-1] if kept else None
            match = (
                _ROLE_SUFFIX.search(previous.content)
                if child.type == "code_inline" and previous is not None and previous.type == "text"
                else None
            )
            if match and match.group(1) in SILENT_ROLES | REFERENCE_ROLES:
                previous.content = previous.content[: match.start()]
                if match.group(1) in REFERENCE_ROLES:
                    child.type = "text"
                    if "cite" in match.group(1):
                        child.content = f"[{child.content}]"
                    kept.append(child)
                continue
            kept.append(child)
        token.children = [child for child in kept if child.type != "text" or child.content]
        if not token.children and len(kept) < len(children):
            # The paragraph held nothing but build roles: print no empty <p>.
            for neighbour in _neighbours(state.tokens, index):
                if neighbour.type in ("paragraph_open", "paragraph_close"):
                    neighbour.hidden = True


def _neighbours(tokens, index):
    return [tokens[position] for position in (index - 1, index + 1) if 0 <= position < len(tokens)]


def _localize_alerts(state):
    titles = ALERT_TITLES[_language_key(state.env)]
    for index, token in enumerate(state.tokens):
        if token.type == "alert_open" and token.info in titles:
            for inline in state.tokens[index + 1 : index + 3]:
                if inline.type == "inline":
                    inline.content = titles[token.info]
                    for child in inline.children or []:
                        child.content = titles[token.info]


def _figures(state):
    """Make a titled image standing alone in a paragraph a <figure>, its title the caption."""
    tokens = state.tokens
    for index in range(len(tokens) - 2):
        opening, inline, closing = tokens[index : index + 3]
        if opening.type != "paragraph_open" or opening.hidden or inline.type != "inline":
            continue
        children = [
            child
            for child in inline.children or []
            if not (child.type == "text" and not child.content.strip())
        ]
        if len(children) != 1 or children[0].type != "image" or not children[0].attrGet("title"):
            continue
        opening.tag = closing.tag = "figure"
        children[0].meta["caption"] = True


def _render_fence(self, tokens, index, options, env):
    return render_fence(tokens[index], env)


def _render_code_block(self, tokens, index, options, env):
    return render_code(tokens[index].content, parse_fence(""))


def _render_heading_close(self, tokens, index, options, env):
    opening = tokens[index - 2] if index >= 2 else None
    anchor = opening.attrGet("id") if opening is not None else None
    if not anchor:
        return f"</{tokens[index].tag}>\n"
    label = ANCHOR_LABELS[_language_key(env)]
    return (
        f'<a class="heading-anchor" href="#{html.escape(anchor)}" aria-label="{label}">#</a>'
        f"</{tokens[index].tag}>\n"
    )


def _render_image(self, tokens, index, options, env):
    # markdown-it's alt text keeps only text tokens, so "![The curve $f(x)$](...)"
    # would lose its formula; keep it, as readable text.
    token = tokens[index]
    token.attrSet("alt", _plain_text(token.children))
    if not token.meta.get("caption"):
        return self.renderToken(tokens, index, options, env)
    # In a figure the title is the visible caption; as a tooltip too it would repeat.
    title = token.attrGet("title")
    token.attrs.pop("title", None)
    image = self.renderToken(tokens, index, options, env)
    return f"{image}<figcaption>{html.escape(title)}</figcaption>"


def _render_softbreak(self, tokens, index, options, env):
    # A line break between two CJK characters is no word boundary: print no space.
    before = tokens[index - 1].content[-1:] if index > 0 else ""
    after = tokens[index + 1].content[:1] if index + 1 < len(tokens) else ""
    if before and after and _is_cjk(before) and _is_cjk(after):
        return ""
    return "\n"


@functools.cache
def markdown_parser(*, raw_html=True):
    """Return the configured markdown-it parser (built once per process and option).

    Reader comments use raw_html=False: their HTML shows as text (docs/comments.md).
    """
    md = MarkdownIt("commonmark", {"html": raw_html})
    md.helpers = Helpers(md.helpers)
    md.inline.ruler.at("escape", backslash_rule)
    md.use(gfm_plugin)
    md.use(autolink_plugin)
    md.use(math_plugin)
    md.use(tabs_plugin)
    md.inline.ruler.at("emphasis", _with_cjk_delimiters(emphasis.tokenize))
    md.inline.ruler.at("strikethrough", _with_cjk_delimiters(strikethrough.tokenize))
    bound_lookahead(md)
    md.core.ruler.push("d2l_roles", _d2l_roles)
    md.core.ruler.push("heading_ids", _heading_ids)
    md.core.ruler.push("localize_alerts", _localize_alerts)
    md.core.ruler.push("pangu_spacing", pangu_spacing)
    md.core.ruler.push("figures", _figures)
    md.add_render_rule("fence", _render_fence)
    md.add_render_rule("code_block", _render_code_block)
    md.add_render_rule("heading_close", _render_heading_close)
    md.add_render_rule("softbreak", _render_softbreak)
    md.add_render_rule("image", _render_image)
    md.add_render_rule("em_open", render_em_open)
    md.add_render_rule("em_close", render_em_close)
    md.add_render_rule("text", render_text)
    md.add_render_rule("html_inline", render_html_inline)
    md.add_render_rule("html_block", render_html_block)
    # GFM prints strikethrough as <del>; markdown-it's default <s> means "no longer accurate".
    md.add_render_rule("s_open", lambda self, tokens, index, options, env: "<del>")
    md.add_render_rule("s_close", lambda self, tokens, index, options, env: "</del>")
    # `{#fig-name}` after an image only: elsewhere braces stay the author's text.
    md.use(attrs_plugin, after=("image",))
    md.use(citation_plugin)
    # It wraps the display-math and fence rules registered above.
    md.use(crossref_plugin)
    # Last: it wraps every render rule above, crossref's included (articles/rendering/inert.py).
    keep_inert(md, MATH_TOKEN_TYPES)
    # Last, after cross-references have numbered the formulas: one KaTeX call.
    md.core.ruler.push("math_typeset", typeset_document)
    return md


def render_article(markdown_text, *, language=None, summary="", bibliography=""):
    """Return the sanitized HTML, table of contents, preview and counts for Markdown.

    `bibliography` is the site's BibTeX, which citations fall back on.
    """
    language = language or settings.LANGUAGE_CODE
    md = markdown_parser()
    env = {
        "language": language,
        "bibliography": bibliography,
        "citation_style": settings.CITATION_STYLE,
        "number_equations": settings.NUMBER_ALL_EQUATIONS,
        "pangu_spacing": settings.PANGU_SPACING,
    }
    tokens = md.parse(markdown_text or "", env)
    body = splice_diagrams(sanitize_html(md.renderer.render(tokens, md.options, env)), env)
    preview = build_preview(tokens, language=language, summary=summary)
    return Rendering(
        html=body,
        toc=env.get("toc", []),
        preview=preview.text,
        word_count=preview.word_count,
        reading_minutes=preview.reading_minutes,
        problems=env.get("problems", []),
    )


def markdownify(markdown_text):
    """Render Markdown for the admin's live preview (markdownx's hook)."""
    return render_article(markdown_text).html


__all__ = ["Rendering", "markdown_parser", "markdownify", "placeholders", "render_article"]

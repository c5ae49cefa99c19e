"""Show raw HTML the sanitizer would not keep as the text the author typed.

Writing about HTML and generics is normal in a technical article: "Use the
<textarea> element", `List<String>`, "<?php … ?>". Left to the sanitizer,
`<textarea>`, `<script>`, `<title>`… take everything after them with them (the
HTML parser reads their content as raw text up to a closing tag that never
comes), and an unknown tag such as `<String>` is silently dropped. So before
the sanitizer runs, every raw tag that is not on its allowlist, every
processing instruction, declaration or CDATA section, and a comment left open
to the end of the article are escaped and shown as text (GFM's tag filter does
the first for a few tags). Closed comments are the one raw HTML whose words are
hidden on purpose: they are the author's notes. See docs/markdown.md.
"""

import html

import regex
from django.conf import settings

from articles.rendering.sanitize import HTML_TAGS, MATHML_TAGS

_TAG = regex.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?=[\s/>]|$)")
_WHOLE_TAG = regex.compile(r"</?([A-Za-z][A-Za-z0-9-]*)(?:[\s/][^>]*)?>")
_COMMENT = regex.compile(r"<!--.*?-->", regex.DOTALL)
# Processing instructions, declarations and CDATA: the HTML parser drops them whole.
_NOT_A_TAG = regex.compile(r"<(?:\?|!(?!--))")


def _allowed():
    # Iframes from allowed hosts are real embeds; the sanitizer checks their src.
    if settings.MARKDOWN_IFRAME_HOSTS:
        return HTML_TAGS | MATHML_TAGS | {"iframe"}
    return HTML_TAGS | MATHML_TAGS


def escape_unkept_tags(raw):
    """Return raw HTML with every tag the sanitizer would not keep made into literal text."""
    allowed = _allowed()

    def escape(match):
        return match.group() if match.group(2).lower() in allowed else "&lt;" + match.group()[1:]

    return _NOT_A_TAG.sub(lambda match: "&lt;" + match.group()[1:], _TAG.sub(escape, raw))


def shown_as_text(raw):
    """Return whether raw HTML holds anything that is shown as text rather than kept as markup."""
    return escape_unkept_tags(raw) != raw or _escape_open_comments(raw) != raw


def visible_text(raw):
    """Return the text a reader sees of raw HTML: kept tags and closed comments removed."""
    allowed = _allowed()
    if not _is_open_comment(raw):
        raw = _COMMENT.sub(" ", raw)

    def drop_kept(match):
        return "" if match.group(1).lower() in allowed else match.group()

    return _WHOLE_TAG.sub(drop_kept, raw)


def _is_open_comment(raw):
    stripped = raw.lstrip()
    return stripped.startswith("<!--") and "-->" not in stripped


def render_html_inline(self, tokens, index, options, env):
    return escape_unkept_tags(tokens[index].content)


def _escape_open_comments(raw):
    """Return raw HTML with a comment that is never closed, and all after it, made text."""
    start = 0
    while (opening := raw.find("<!--", start)) >= 0:
        closing = raw.find("-->", opening + 4)
        if closing < 0:
            return raw[:opening] + raw[opening:].replace("<!--", "&lt;!--")
        start = closing + 3
    return raw


def render_html_block(self, tokens, index, options, env):
    content = tokens[index].content
    stripped = content.lstrip()
    if _is_open_comment(content) or _NOT_A_TAG.match(stripped):
        # A comment never closed would hide the rest of the article.
        return f"<p>{html.escape(content.strip(), quote=False)}</p>\n"
    escaped = _escape_open_comments(escape_unkept_tags(content))
    if escaped != content and stripped.startswith("<") and not _TAG.match(escaped.lstrip()):
        # The block opens with a tag shown as text ("<textarea>\n…"): it is prose.
        return f"<p>{escaped.strip()}</p>\n"
    return escaped

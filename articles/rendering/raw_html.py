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

MathML's own tags are kept only in a well-formed raw `<math>` (raw_math.py). Inline
HTML arrives a tag per token, so callers pass whether a token stands in one
(`inline_math`).
"""

import html

import regex
from django.conf import settings

from articles.rendering.raw_math import inline_math_flags, kept_mathml
from articles.rendering.sanitize import HTML_TAGS, MATHML_TAGS

_TAG = regex.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?=[\s/>]|$)")
_WHOLE_TAG = regex.compile(r"</?([A-Za-z][A-Za-z0-9-]*)(?:[\s/][^>]*)?>")
_COMMENT = regex.compile(r"<!--.*?-->", regex.DOTALL)
# Processing instructions, declarations and CDATA: the HTML parser drops them whole.
_NOT_A_TAG = regex.compile(r"<(?:\?|!(?!--))")
# Kept only inside a well-formed raw <math> (articles/rendering/raw_math.py).
MATHML_ONLY = MATHML_TAGS - HTML_TAGS


def _allowed():
    # Iframes from allowed hosts are real embeds; the sanitizer checks their src.
    if settings.MARKDOWN_IFRAME_HOSTS:
        return HTML_TAGS | MATHML_TAGS | {"iframe"}
    return HTML_TAGS | MATHML_TAGS


def _tags(raw):
    return [(match.group(2).lower(), bool(match.group(1))) for match in _TAG.finditer(raw)]


def _kept_starts(raw, in_math):
    """Return the offsets in raw of the tags the sanitizer keeps as markup."""
    allowed = _allowed()
    matches = list(_TAG.finditer(raw))
    in_span = kept_mathml([(m.group(2).lower(), bool(m.group(1))) for m in matches])
    kept = set()
    for position, match in enumerate(matches):
        name = match.group(2).lower()
        if in_math or position in in_span:
            keep = name in MATHML_TAGS
        else:
            keep = name in allowed and name not in MATHML_ONLY
        if keep:
            kept.add(match.start())
    return kept


def escape_unkept_tags(raw, in_math=False):
    """Return raw HTML with every tag the sanitizer would not keep made into literal text.

    in_math: raw is one tag of a well-formed raw <math> (inline_math()).
    """
    kept = _kept_starts(raw, in_math)

    def escape(match):
        return match.group() if match.start() in kept else "&lt;" + match.group()[1:]

    return _NOT_A_TAG.sub(lambda match: "&lt;" + match.group()[1:], _TAG.sub(escape, raw))


def inline_math(children):
    """Return, for each child of an inline token, whether it stands in a kept raw <math>."""
    return inline_math_flags(children, _tags)


def shown_as_text(raw, in_math=False):
    """Return whether raw HTML holds anything that is shown as text rather than kept as markup."""
    return escape_unkept_tags(raw, in_math) != raw or _escape_open_comments(raw) != raw


def visible_text(raw):
    """Return the text a reader sees of a raw HTML block: kept tags and closed comments removed."""
    if not _is_open_comment(raw):
        raw = _COMMENT.sub(" ", raw)
    kept = _kept_starts(raw, in_math=False)
    return _WHOLE_TAG.sub(lambda match: "" if match.start() in kept else match.group(), raw)


def _is_open_comment(raw):
    stripped = raw.lstrip()
    return stripped.startswith("<!--") and "-->" not in stripped


def render_html_inline(self, tokens, index, options, env):
    # A comment opening inside another construct (`<!X <!--…>`) never closes in this
    # token: left raw, the browser would hide the rest of the article in it.
    known = env.setdefault("raw_inline_math", {})
    # Keyed by the list's id and holding the list, so the id cannot be reused meanwhile.
    if id(tokens) not in known:
        known[id(tokens)] = (tokens, inline_math(tokens))
    in_math = known[id(tokens)][1][index]
    return _escape_open_comments(escape_unkept_tags(tokens[index].content, in_math))


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

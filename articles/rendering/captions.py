"""Numbered figures (an image with {#fig-…}) and tables with a caption line (docs/markdown.md)."""

import regex
from markdown_it.token import Token

from articles.rendering.numbering import LABEL_CHARS, NAMES

_TABLE_CAPTION = regex.compile(rf"^:\s+(.*?)\s*\{{#(tbl-{LABEL_CHARS}*\w)\}}\s*$", regex.S)


def number_figure(tokens, index, numbering, md, env):
    """Turn a paragraph holding only an image with {#fig-…} into a numbered figure."""
    opening, inline = tokens[index], tokens[index + 1]
    images = [child for child in inline.children or [] if child.type != "softbreak"]
    if len(images) != 1 or images[0].type != "image":
        return
    image = images[0]
    anchor = image.attrGet("id") or ""
    if not anchor.startswith("fig-"):
        return
    image.attrs.pop("id", None)
    number = numbering.next("fig")
    numbering.add("fig", anchor, str(number), anchor, (opening.map or [0])[0] + 1)
    caption = md.renderer.renderInline(image.children or [], md.options, env)
    opening.tag = "figure"
    opening.attrSet("id", anchor)
    opening.attrSet("class", "numbered-figure")
    tokens[index + 2].tag = "figure"
    label = f"{NAMES[numbering.language]['fig']} {number}"
    separator = ": " if numbering.language == "en" else "　"
    caption_token = Token("html_inline", "", 0)
    caption_token.content = (
        f'<figcaption><span class="caption-label">{label}</span>{separator}{caption}</figcaption>'
    )
    inline.children.append(caption_token)


def caption_table(tokens, index, numbering, md, env):
    """Attach a following `: Caption {#tbl-…}` paragraph to the table that ends at index."""
    if index + 3 >= len(tokens) or tokens[index + 1].type != "paragraph_open":
        return
    inline = tokens[index + 2]
    match = _TABLE_CAPTION.match(inline.content)
    if not match:
        return
    anchor = match.group(2)
    start = next(
        (i for i in range(index, -1, -1) if tokens[i].type == "table_open"),
        None,
    )
    if start is None:
        return
    number = numbering.next("tbl")
    numbering.add("tbl", anchor, str(number), anchor, (tokens[start].map or [0])[0] + 1)
    caption = _caption_children(inline)
    label = f"{NAMES[numbering.language]['tbl']} {number}"
    separator = ": " if numbering.language == "en" else "　"
    rendered = md.renderer.renderInline(caption, md.options, env)
    tokens[start].attrSet("id", anchor)
    caption_token = Token("html_block", "", 0)
    caption_token.content = (
        f'<caption><span class="caption-label">{label}</span>{separator}{rendered}</caption>\n'
    )
    for hidden in tokens[index + 1 : index + 4]:
        hidden.hidden = True
        hidden.children = []
        hidden.content = ""
        hidden.type = "text" if hidden.type == "inline" else hidden.type
    tokens.insert(start + 1, caption_token)


def _caption_children(inline):
    """Return the caption's inline tokens without the leading ': ' and the trailing {#id}."""
    children = [child for child in inline.children or []]
    if children and children[0].type == "text":
        children[0].content = children[0].content.lstrip(":").lstrip()
    if children and children[-1].type == "text":
        children[-1].content = regex.sub(r"\s*\{#[^{}]*\}\s*$", "", children[-1].content)
    return children

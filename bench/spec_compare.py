"""Compare rendered HTML with spec HTML, ignoring what Inkstone adds on purpose.

Heading ids and anchor links, `rel` on links, lazy-loading attributes on images
and Pygments' `<span>`s inside code are additions the spec cannot know about;
everything else must match after whitespace between blocks is normalized.
"""

import html
import json
from html.parser import HTMLParser

from articles.rendering.pipeline import render_article

BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "div",
    "dl", "dt", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hr", "html", "li", "main", "nav", "ol", "p", "pre", "section", "summary",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
VOID_TAGS = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
ADDED_ATTRIBUTES = {
    "a": {"rel"},
    "img": {"loading", "decoding"},
    **{f"h{level}": {"id"} for level in range(1, 7)},
}
ADDED_CLASSES = {
    "pre": {"highlight"},
    "ul": {"contains-task-list"},
    "li": {"task-list-item"},
    "input": {"task-list-item-checkbox"},
}


class _Canonical(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = []
        self.stack = []
        self.skip = 0
        self.pre = 0

    def handle_starttag(self, tag, attrs):
        if self.skip or ("class", "heading-anchor") in attrs:
            self.skip += tag not in VOID_TAGS
            return
        if self.pre and tag == "span":
            self.stack.append(None)
            return
        kept = []
        for name, value in attrs:
            if name == "class" and tag in ("td", "th") and (value or "").startswith("align-"):
                # Cells are aligned by class (the CSP blocks style=""); the spec
                # uses the old align attribute.
                name, value = "align", value.removeprefix("align-")
            if name in ADDED_ATTRIBUTES.get(tag, ()):
                continue
            if name == "class":
                classes = [c for c in (value or "").split() if c not in ADDED_CLASSES.get(tag, ())]
                if not classes:
                    continue
                value = " ".join(classes)
            kept.append((name, value or ""))
        rendered = "".join(f' {name}="{html.escape(value)}"' for name, value in sorted(kept))
        self.out.append(f"<{tag}{rendered}>")
        if tag == "pre":
            self.pre += 1
        if tag not in VOID_TAGS:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS and self.stack and not self.skip:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if self.skip:
            self.skip -= 1
            return
        if self.pre and tag == "span" and self.stack and self.stack[-1] is None:
            self.stack.pop()
            return
        if tag in VOID_TAGS:
            return
        if tag == "pre":
            self.pre = max(self.pre - 1, 0)
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()
        self.out.append(f"</{tag}>")

    def handle_data(self, data):
        if self.skip:
            return
        if not self.pre:
            data = " ".join(data.split(" ")) if data.strip() == "" else data
            data = " ".join(data.split()) if not data.strip() else _collapse(data)
        self.out.append(html.escape(data, quote=False))

    def handle_comment(self, data):
        self.out.append(f"<!--{data}-->")


def _collapse(text):
    collapsed = " ".join(text.split())
    if text[:1].isspace():
        collapsed = " " + collapsed
    if text[-1:].isspace():
        collapsed += " "
    return collapsed


def normalize(fragment):
    """Return fragment in a canonical form: sorted attributes, block whitespace trimmed."""
    parser = _Canonical()
    parser.feed(fragment)
    parser.close()
    pieces = []
    for piece in parser.out:
        if piece.startswith("<"):
            pieces.append(piece)
            continue
        pieces.append(piece)
    text = "".join(pieces)
    for tag in BLOCK_TAGS:
        for form in (f"<{tag}>", f"<{tag} ", f"</{tag}>"):
            text = text.replace(" " + form, form)
            if form.endswith(">"):
                text = text.replace(form + " ", form)
    return text.strip()


def load_examples(path):
    """Return the examples of a spec JSON file."""
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def example_passes(example):
    """Return True when the pipeline's output matches the example's HTML."""
    return normalize(render_article(example["markdown"]).html) == normalize(example["html"])


def spec_pass_rate(path):
    """Return (passed, total, numbers of failing examples) for a spec file."""
    examples = load_examples(path)
    failed = [example["example"] for example in examples if not example_passes(example)]
    return len(examples) - len(failed), len(examples), failed

"""Which raw MathML tags in an article reach the sanitizer as markup.

MathML written by hand (`<math><mi>x</mi></math>`) is allowed, but the HTML
parser treats MathML's own tags by where they stand. Outside a `<math>` element
`<mrow>` is an unknown HTML element, and inside one `<kbd>` or a Markdown link's
`<a>` is a MathML element; the sanitizer drops an element in the wrong namespace
with everything it holds, so "wrap tokens in <mrow> to group them" lost the rest
of its paragraph. A raw `<math>` therefore keeps its markup only when it closes
and holds nothing but MathML tags and text; otherwise its tags, and every
MathML tag outside it, are shown as the text the author typed.
"""

from articles.rendering.sanitize import MATHML_TAGS


class _Spans:
    """Pair <math> with </math> over a sequence of items in one pass."""

    def __init__(self):
        self.kept = set()
        self._open = []  # positions of <math> not closed yet

    def tag(self, position, name, closing):
        if name not in MATHML_TAGS:
            self._open.clear()  # no <math> open before this can hold it
        elif name == "math" and not closing:
            self._open.append(position)
        elif name == "math" and self._open:
            # Nested spans lie inside outer ones, so a union of ranges is enough.
            self.kept.update(range(self._open.pop(), position + 1))

    def break_(self):
        self._open.clear()


def kept_mathml(tags):
    """Return the indices of the (name, closing) tags that stand in a well-formed raw <math>."""
    spans = _Spans()
    for index, (name, closing) in enumerate(tags):
        spans.tag(index, name, closing)
    return spans.kept


def inline_math_flags(children, tags_of):
    """Return, for each child of an inline token, whether it is part of a kept raw <math>.

    Inline HTML comes a tag per token, with Markdown's own markup (emphasis,
    links, code) between; `tags_of(raw)` gives a token's (name, closing) tags.
    Markdown markup inside a raw <math> makes it a run of text, like any tag
    that is not MathML.
    """
    spans = _Spans()
    for index, child in enumerate(children):
        tags = tags_of(child.content) if child.type == "html_inline" else []
        if len(tags) == 1:
            spans.tag(index, *tags[0])
        elif child.type not in ("text", "softbreak"):
            # Markup, or HTML made by the pipeline (a figure's caption): a whole of its
            # own, whose math escape_unkept_tags() pairs within it.
            spans.break_()
    return [index in spans.kept for index in range(len(children))]

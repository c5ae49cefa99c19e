"""Parse rendered HTML into elements so tests assert structure, not regexes."""

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID_TAGS = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict
    parent: "Element | None" = None
    children: list = field(default_factory=list)
    text: str = ""
    # All text inside the element, descendants included, in document order.
    full_text: str = ""

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", {})
        self.current = self.root
        self.all = []
        self.comments = []
        self.texts = []

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {name: value or "" for name, value in attrs}, self.current)
        self.current.children.append(element)
        self.all.append(element)
        if tag not in VOID_TAGS:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        element = Element(tag, {name: value or "" for name, value in attrs}, self.current)
        self.current.children.append(element)
        self.all.append(element)

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        self.current.text += data
        for node in (self.current, *self.current.ancestors()):
            node.full_text += data
        self.texts.append((self.current, data))

    def handle_comment(self, data):
        self.comments.append(data)


def parse(html):
    """Return the parse result with `.all` elements, `.texts` and `.comments`."""
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder


def find_all(html, tag):
    """Return every element with the tag name."""
    return [element for element in parse(html).all if element.tag == tag]


def visible_text(html, *, skip=("pre", "code", "math", "script", "style")):
    """Return the text a reader sees, leaving out what sits inside the skipped tags."""
    tree = parse(html)
    parts = []
    for element, data in tree.texts:
        chain = [element, *element.ancestors()]
        if not any(node.tag in skip for node in chain):
            parts.append(data)
    return "".join(parts)

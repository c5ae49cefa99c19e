"""What can be numbered and referred to, and the numbers one article gives them.

Shared by cross-references (crossref.py) and captions (captions.py); see docs/markdown.md.
"""

KINDS = ("eq", "fig", "tbl", "sec")
NAMES = {
    "en": {"eq": "Equation", "fig": "Figure", "tbl": "Table", "sec": "Section"},
    "zh": {"eq": "式", "fig": "图", "tbl": "表", "sec": "节"},
}
# Labels: letters, digits and a little punctuation, so an id can never be anything else.
LABEL_CHARS = r"[\w.:-]"


def label_key(label):
    """Return the key a label is found by: `eq:name`, `eq-name` and `eq_name` are one."""
    for prefix in ("eq:", "eq-", "eq_"):
        if label.startswith(prefix):
            return "eq-" + label[len(prefix) :]
    return "eq-" + label


class Numbering:
    """Targets found in one article, in order of appearance."""

    def __init__(self, language):
        self.language = language
        self.counters = dict.fromkeys(KINDS, 0)
        self.targets = {}  # key -> (kind, text shown, anchor)
        self.problems = []

    def add(self, kind, key, text, anchor, line=None):
        if key in self.targets:
            where = f" (line {line})" if line else ""
            self.problems.append(f"Duplicate label {key!r}{where}: the first one is used.")
            return
        self.targets[key] = (kind, text, anchor)

    def next(self, kind):
        self.counters[kind] += 1
        return self.counters[kind]

    def reference(self, key):
        """Return (text, anchor) for a key, or None when nothing has that label."""
        found = self.targets.get(key)
        if found is None:
            return None
        kind, text, anchor = found
        name = NAMES[self.language][kind]
        if kind == "eq":
            text = f"({text})"
        if kind == "sec":
            return text, anchor
        return f"{name} {text}", anchor

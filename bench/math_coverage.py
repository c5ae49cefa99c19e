"""Check every command KaTeX documents against the site's math pipeline.

Run: .venv/bin/python bench/math_coverage.py   (prints rendered/total by group)

A formula counts as rendered when, in both inline and display mode, the
sanitized HTML has a <math> element, no error box, no backslash command left
visible, and every letter and digit of its source that is content (not a
command name, environment name, dimension, colour or URL) in the visible text.
"""

import os
import re
import sys
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_config.settings")
os.environ.setdefault("DEBUG", "true")

# Source text that is not content: it steers layout and is never printed.
_NOT_CONTENT = [
    re.compile(pattern)
    for pattern in (
        r"%[^\n]*",
        r"\\def\\arraystretch\{[^}]*\}",
        r"@[<>=|.]|[<>]{2}|(?<=[A-Za-z}])(?:VV|AA)|@[AV]",
        r"\\begin\{(?:array|darray|subarray)\}\{[^}]*\}",
        r"\\begin\{(?:alignat\*?|alignedat)\}\{\d+\}",
        r"\\begin\{[^}]*\}(?:\[[lcr]\])?",
        r"\\end\{[^}]*\}",
        r"\\(?:color|textcolor|colorbox)\{[^}]*\}",
        r"\\fcolorbox\{[^}]*\}\{[^}]*\}",
        r"\\href\{[^}]*\}",
        r"\\char\s*(?:\"[0-9a-fA-F]+|'[0-7]+|`\\?.|\d+)",
        r"\\genfrac\s*\S\s*\S\s*\{[^}]*\}\{\d\}",
        r"\\smash\[[tb]\]",
        r"\\raisebox\{[^}]*\}",
        r"\\(?:@ifnextchar)\[",
        r"\\(?:newcommand|renewcommand|providecommand)\\[A-Za-z]+\[\d\]",
        r"#\d",
        r"\\\\\[[^\]]*\]|\\cr\[[^\]]*\]",
        r"\{?-?\d*\.?\d+\s*(?:em|ex|mu|pt|mm|cm|in|bp|pc|dd|cc|nd|nc|sp|px)\b\}?",
        r"\\[A-Za-z@]+\*?",
    )
]


# Letters KaTeX sets with the identical-looking Latin glyph (as TeX does).
_HOMOGLYPHS = str.maketrans("ΑΒΕΖΗΙΚΜΝΟΡΤΧοıȷ", "ABEZHIKMNOPTXoij")


def _base_letters(text):
    """Return text with compatibility forms and accents folded: 𝐀 and À both become A."""
    decomposed = unicodedata.normalize("NFKD", text).translate(_HOMOGLYPHS)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def content_characters(source):
    """Return the letters and digits of source that readers should see."""
    for pattern in _NOT_CONTENT:
        source = pattern.sub(" ", source)
    return {character for character in _base_letters(source) if character.isalnum()}


class _Visible(HTMLParser):
    """Collect text outside <annotation> and record whether <math> and errors occur."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text, self.hidden, self.math, self.error = [], 0, False, False

    def handle_starttag(self, tag, attrs):
        self.math |= tag == "math"
        self.error |= "math-error" in (dict(attrs).get("class") or "")
        self.hidden += tag == "annotation"

    def handle_endtag(self, tag):
        self.hidden -= tag == "annotation"

    def handle_data(self, data):
        if not self.hidden:
            self.text.append(data)


def check(source, *, display, letters=True):
    """Return None if source renders cleanly, else a short reason."""
    from articles.rendering.mathml import render_math
    from articles.rendering.sanitize import sanitize_html

    parser = _Visible()
    parser.feed(sanitize_html(render_math(source, display=display)))
    text = _base_letters("".join(parser.text))
    if parser.error or not parser.math:
        return "error box" if parser.error else "no <math>"
    leaked = re.search(r"\\[A-Za-z]+", text)
    if leaked:
        return f"visible command {leaked.group(0)}"
    missing = sorted(content_characters(source) - set(text)) if letters else []
    if missing:
        return f"lost {''.join(missing)}"
    return None


def coverage(groups, choosers=frozenset()):
    """Return {group: (rendered, total, [(source, mode, reason)])}."""
    report = {}
    for group, sources in groups.items():
        failures = []
        for source in sources:
            for display in (False, True):
                reason = check(source, display=display, letters=source not in choosers)
                if reason:
                    failures.append((source, "display" if display else "inline", reason))
        failed = {source for source, _mode, _reason in failures}
        report[group] = (len(sources) - len(failed), len(sources), failures)
    return report


def main():
    import django

    django.setup()
    from bench.katex_supported import CHOOSERS, GROUPS

    report = coverage(GROUPS, CHOOSERS)
    rendered = sum(done for done, _total, _failures in report.values())
    total = sum(total for _done, total, _failures in report.values())
    for group, (done, count, failures) in report.items():
        print(f"{group:26} {done:4}/{count}")
        for source, mode, reason in failures:
            print(f"    {mode:7} {source!r}: {reason}")
    print(f"{'all':26} {rendered:4}/{total}")


if __name__ == "__main__":
    main()

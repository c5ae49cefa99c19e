"""Pathological Markdown bodies, and the CPU time each costs at MAX_BODY_CHARS.

tests/rendering/test_linear_time.py checks that these grow linearly; this
prints the absolute figures (docs/markdown.md, "Linear time").
Run: .venv/bin/python bench/pathological.py [characters] [name ...]
"""

import os
import resource
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _repeat(unit, size, prefix=""):
    return prefix + unit * max(1, (size - len(prefix)) // len(unit))


def _table(size, columns=200):
    header = "|" + "a|" * columns + "\n|" + "-|" * columns + "\n"
    row = "|" + "x|" * columns + "\n"
    return header + row * max(1, (size - len(header)) // len(row))


# name -> builder(size) returning about `size` characters.
SHAPES = {
    "unclosed display bracket": lambda n: _repeat("a ", n, prefix="\\["),
    "unclosed inline bracket": lambda n: _repeat("a ", n, prefix="\\("),
    "many \\[ openers": lambda n: _repeat("\\[a ", n),
    "many \\( openers": lambda n: _repeat("\\(a ", n),
    "lines starting with \\[": lambda n: _repeat("\\[a\n", n),
    "bracket openers without text": lambda n: _repeat("\\[ ", n) + "x\\]",
    "bare autolinks": lambda n: _repeat("http://a.bc/x ", n),
    "wide table": _table,
    "repeated headings": lambda n: _repeat("# h\n", n),
    "distinct headings": lambda n: "".join(f"# h{i}\n" for i in range(n // 7)),
    "**_ nesting": lambda n: _repeat("**_", n),
    "*_ alternating": lambda n: _repeat("*_", n),
    "dollar run": lambda n: "$" * n,
    "unclosed dollars": lambda n: _repeat("$a ", n),
    "unclosed double dollars": lambda n: _repeat("$$a ", n),
    "backtick openers": lambda n: _repeat("`a ", n),
    "link openers": lambda n: "[" * n,
    "link openers, one closer": lambda n: "[" * n + "]",
    "unclosed link destinations": lambda n: _repeat("[a](", n),
    "escaped-bracket lines": lambda n: _repeat("\\\\[a\n", n),
    "html openers": lambda n: _repeat("<a ", n),
    "html comment openers": lambda n: _repeat("<!-- ", n),
    "footnote references": lambda n: _repeat("[^a] ", n),
    "strikethrough openers": lambda n: _repeat("~~a ", n),
    "entities": lambda n: _repeat("&amp", n),
    "underscore words": lambda n: _repeat("_a", n),
    "one letter": lambda n: "a" * n,
    "deep blockquote": lambda n: "> " * (n // 2) + "x",
    "deep list": lambda n: "- " * (n // 2) + "x",
    "fence openers": lambda n: _repeat("```\n", n),
    "math fence openers": lambda n: _repeat("```math\n", n),
}


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main(argv):
    sys.path.insert(0, str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_config.settings")
    os.environ.setdefault("DEBUG", "true")
    import django

    django.setup()
    from django.conf import settings

    from articles.rendering.pipeline import render_article

    size = int(argv[0]) if argv else settings.MAX_BODY_CHARS
    wanted = argv[1:]
    worst = (0.0, "")
    for name, build in SHAPES.items():
        if wanted and name not in wanted:
            continue
        text = build(size)[:size]
        started = cpu_seconds()
        render_article(text)
        spent = cpu_seconds() - started
        worst = max(worst, (spent, name))
        print(f"{name:32s} {len(text):>9,d} chars {spent:6.2f} s CPU", flush=True)
    print(f"slowest: {worst[1]} at {worst[0]:.2f} s CPU")


if __name__ == "__main__":
    main(sys.argv[1:])

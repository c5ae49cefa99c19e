"""Measure the rendering pipeline over the dev corpus, the spec files and hostile inputs.

Run: .venv/bin/python bench/render_corpus.py [--json] [--corpus-only] [--stages]
"""

import collections
import json
import math
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_config.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from articles.rendering import mathml  # noqa: E402
from articles.rendering.pipeline import markdown_parser, render_article  # noqa: E402
from bench.corpus import corpus_dir, split_front_matter  # noqa: E402
from bench.spec_compare import spec_pass_rate  # noqa: E402

PROSE = "中文 *强调* $x_i^2$ `code` [link](http://a.b)\n\n"
MATH_TYPES = {"math_inline", "math_inline_double", "math_block"}


def formulas(tokens):
    """Yield (source, display) for every formula in a token stream."""
    for token in tokens:
        if token.type in MATH_TYPES:
            yield token.content, token.type != "math_inline"
        elif token.type == "fence" and token.info.strip().lower() == "math":
            yield token.content, True
        if token.children:
            yield from formulas(token.children)


def failure_kind(message):
    """Group a MathError message into a short kind for the report."""
    if "unsupported LaTeX near" in message:
        return "leak " + message.split("near", 1)[1].strip()[:40]
    return message.split(":", 1)[0]


def measure_corpus(articles):
    times, cpu_times, total, failures = [], [], 0, collections.Counter()
    examples = {}
    md = markdown_parser()
    for path, meta, body in articles:
        language = "zh-hans" if str(meta.get("lang", "en")).startswith("zh") else "en"
        mathml.clear_math_cache()
        started, cpu_started = time.perf_counter(), time.process_time()
        render_article(body, language=language)
        times.append((time.perf_counter() - started) * 1000)
        cpu_times.append((time.process_time() - cpu_started) * 1000)
        for source, display in formulas(md.parse(body, {"language": language})):
            total += 1
            try:
                mathml.convert_latex(source, display=display)
            except mathml.MathError as error:
                kind = failure_kind(str(error))
                failures[kind] += 1
                examples.setdefault(kind, f"{path.name}: {source[:80]!r}")
    return times, cpu_times, total, failures, examples


def measure_stages(articles, passes=3):
    """Return mean CPU ms per article spent parsing, rendering, sanitizing, previewing."""
    from articles.rendering.preview import build_preview
    from articles.rendering.sanitize import sanitize_html

    md = markdown_parser()
    totals = collections.Counter()
    for _ in range(passes):
        for _path, _meta, body in articles:
            mathml.clear_math_cache()
            env = {"language": "en"}
            started = time.process_time()
            tokens = md.parse(body, env)
            parsed = time.process_time()
            raw = md.renderer.render(tokens, md.options, env)
            rendered = time.process_time()
            sanitize_html(raw)
            sanitized = time.process_time()
            build_preview(tokens, language="en", summary="")
            totals["parse"] += parsed - started
            totals["render"] += rendered - parsed
            totals["sanitize"] += sanitized - rendered
            totals["preview"] += time.process_time() - sanitized
    count = passes * len(articles)
    return {stage: 1000 * seconds / count for stage, seconds in totals.items()}


def hostile_inputs():
    """Return named inputs built to find slow or crashing paths."""
    return {
        "1 MB prose with math and code": (PROSE * 22_000)[:1_000_000],
        "10,000-deep blockquote": "> " * 10_000 + "deep",
        "10,000-deep list": "".join("  " * depth + "- item\n" for depth in range(0, 10_000, 50))
        + "- " * 10_000
        + "x",
        "100,000 unbalanced $": "$a " * 100_000,
        "50,000 unclosed fences": "```\n" * 50_000,
        "100,000 open brackets": "[" * 100_000 + "a",
        "100,000 emphasis markers": "*a _b " * 100_000,
        "100,000 < signs": "<a" * 100_000,
        "10,000-deep LaTeX braces": "$" + "{" * 10_000 + "x" + "}" * 10_000 + "$",
        "5,000-deep LaTeX braces": "$" + "{" * 5_000 + "x" + "}" * 5_000 + "$",
        "1 MB formula": "$$\n" + "x+" * 500_000 + "\n$$",
        "1,400-deep \\left(": "$" + "\\left(" * 1_400 + "x" + "\\right)" * 1_400 + "$",
        "deep inline links": "[a](" * 20_000 + ")" * 20_000,
    }


def measure_hostile():
    results = {}
    for name, text in hostile_inputs().items():
        mathml.clear_math_cache()
        started, cpu_started = time.perf_counter(), time.process_time()
        render_article(text)
        results[name] = (
            (time.perf_counter() - started) * 1000,
            (time.process_time() - cpu_started) * 1000,
        )
    return results


def main():
    root = corpus_dir()
    if not root.exists():
        sys.exit(f"corpus not found at {root}; it lives in ../shared/corpus beside the repo")
    articles = []
    for path in sorted((root / "dev").glob("*.md")):
        meta, body = split_front_matter(path.read_text(encoding="utf-8"))
        articles.append((path, meta, body))
    started = time.perf_counter()
    mathml.convert_latex("x", display=False)
    started_ms = (time.perf_counter() - started) * 1000
    print(f"math engine start (V8 context + KaTeX): {started_ms:.0f} ms")
    times, cpu_times, total, failures, examples = measure_corpus(articles)
    failed = sum(failures.values())
    print(f"articles: {len(articles)}")
    for label, values in (("wall", times), ("CPU", cpu_times)):
        ordered = sorted(values)
        p99 = ordered[min(len(ordered) - 1, math.ceil(0.99 * len(ordered)) - 1)]
        print(
            f"render {label} ms per article (cold formula cache): "
            f"median {statistics.median(ordered):.1f}, p99 {p99:.1f}"
        )
    print(
        f"formulas: {total}, clean {total - failed} ({100 * (total - failed) / total:.2f}%), "
        f"failed {failed}"
    )
    for kind, count in failures.most_common():
        print(f"  {count:4d}  {kind}   e.g. {examples[kind]}")
    if "--stages" in sys.argv:
        stages = measure_stages(articles)
        shares = ", ".join(f"{stage} {ms:.1f}" for stage, ms in stages.items())
        print(f"CPU ms per article by stage: {shares}")
    if "--corpus-only" in sys.argv:
        return
    for name in ("commonmark_spec.json", "gfm_spec.json"):
        passed, count, _failed = spec_pass_rate(root / name)
        print(f"{name}: {passed}/{count} ({100 * passed / count:.1f}%)")
    hostile = measure_hostile()
    for name, (elapsed, cpu) in sorted(hostile.items(), key=lambda item: -item[1][0]):
        print(f"hostile {name}: {elapsed:.0f} ms ({cpu:.0f} ms CPU)")
    if "--json" in sys.argv:
        print(json.dumps({"times_ms": times, "hostile_ms": hostile}))


if __name__ == "__main__":
    main()

"""Measure what each kind of code block costs to render, per block, at save time.

Run: .venv/bin/python bench/code_blocks.py [--json]

Each case renders a document of N copies of one block through the full pipeline
(sanitizer included) and reports the median time per block. Diagrams are timed
with the renderer's cache cleared, so every block is drawn afresh; the graph
sizes are those of a typical blog figure (8 to 10 nodes).
"""

import json
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

from articles.rendering import diagrams  # noqa: E402
from articles.rendering.pipeline import render_article  # noqa: E402

PYTHON = "\n".join(f"def step_{i}(x):\n    return x * {i}  # line {i}" for i in range(10))
DIFF = "\n".join(f"-    old_{i} = {i}\n+    new_{i} = {i} + 1\n     same_{i}()" for i in range(7))
FLOW = "flowchart LR\n" + "\n".join(
    f"  N{i}[Step {i}] --> N{i + 1}[Step {i + 1}]" for i in range(8)
)
SEQUENCE = "sequenceDiagram\n" + "\n".join(
    f"  Client->>Server: request {i}\n  Server-->>Client: reply {i}" for i in range(5)
)
DOT = (
    "digraph G {\n"
    + "\n".join(f"  n{i} -> n{i + 1}; n{i} -> n{(i + 3) % 10};" for i in range(9))
    + "\n}"
)
TABS = (
    "::: tabs\n"
    + "".join(
        f'```python tab="{name}"\n{PYTHON}\n```\n' for name in ("PyTorch", "TensorFlow", "JAX")
    )
    + ":::"
)

CASES = {
    "plain python (20 lines)": f"```python\n{PYTHON}\n```",
    "title + marks + numbers": f'```python title="a.py" {{2,4-6}} showLineNumbers\n{PYTHON}\n```',
    "diff-python (21 lines)": f"```diff-python\n{DIFF}\n```",
    "tab group (3 x 20 lines)": TABS,
    "mermaid flowchart (9 nodes)": f"```mermaid\n{FLOW}\n```",
    "mermaid sequence (10 messages)": f"```mermaid\n{SEQUENCE}\n```",
    "graphviz dot (10 nodes)": f"```dot\n{DOT}\n```",
}
COPIES = 10
ROUNDS = 5


def per_block_ms(block, *, fresh_diagrams):
    document = "\n\n".join(f"{block}\n\nParagraph {i}." for i in range(COPIES))
    times = []
    for _ in range(ROUNDS):
        if fresh_diagrams:
            diagrams.render_diagram.cache_clear()
        start = time.perf_counter()
        render_article(document)
        times.append((time.perf_counter() - start) * 1000 / COPIES)
    return statistics.median(times)


def main():
    baseline = per_block_ms("Just a paragraph.", fresh_diagrams=False)
    results = {"prose paragraph (baseline)": baseline}
    for name, block in CASES.items():
        # Identical diagrams on a page are drawn once; vary them so each copy counts.
        if "mermaid" in name or "dot" in name:
            blocks = [block.replace("\n```", f"\n%% {i}\n```") for i in range(COPIES)]
            if "dot" in name:
                blocks = [block.replace("}\n```", f"  extra{i};\n}}\n```") for i in range(COPIES)]
            document = "\n\n".join(blocks)
            times = []
            for _ in range(ROUNDS):
                diagrams.render_diagram.cache_clear()
                start = time.perf_counter()
                render_article(document)
                times.append((time.perf_counter() - start) * 1000 / COPIES)
            results[name] = statistics.median(times)
        else:
            results[name] = per_block_ms(block, fresh_diagrams=False)
    if "--json" in sys.argv:
        print(json.dumps(results, indent=2))
        return
    print(f"{'block':34} ms per block (median of {ROUNDS}, {COPIES} blocks a document)")
    for name, milliseconds in results.items():
        print(f"{name:34} {milliseconds:8.2f}")


if __name__ == "__main__":
    main()

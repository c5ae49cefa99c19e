"""Code block attributes, diffs, tab groups and diagrams, rendered at save time."""

import pytest

from articles.feeds.content import feed_html
from articles.rendering.codeblocks import Fence, parse_fence
from articles.rendering.pipeline import render_article
from articles.rendering.svg import UnsafeSvg, sanitize_svg
from tests.code_samples import SHOWCASE
from tests.html_tree import find_all, parse


def render(markdown):
    return render_article(markdown).html


def lines_of(html):
    return [span for span in find_all(html, "span") if "code-line" in span.attrs.get("class", "")]


@pytest.mark.parametrize(
    ("info", "expected"),
    [
        ("python", Fence(language="python")),
        ('python title="train.py"', Fence(language="python", title="train.py")),
        ("python {1,4-6}", Fence(language="python", lines=(1, 4, 5, 6))),
        ("python showLineNumbers", Fence(language="python", numbered=True)),
        ("diff", Fence(diff=True)),
        ("diff-python", Fence(language="python", diff=True)),
        ('python tab="PyTorch"', Fence(language="python", tab="PyTorch")),
        (
            'diff-python title="a {9} b.py" {2} showLineNumbers',
            Fence(language="python", lines=(2,), title="a {9} b.py", numbered=True, diff=True),
        ),
        ('js hl_lines="1 3"', Fence(language="js", lines=(1, 3))),
        ("{.python .input}", Fence(language="python")),
    ],
)
def test_fence_attributes_are_parsed(info, expected):
    assert parse_fence(info, numbered_default=False) == expected


def test_line_numbers_follow_the_site_default_unless_turned_off(settings):
    settings.CODE_LINE_NUMBERS = True
    assert parse_fence("python").numbered
    assert not parse_fence("python noLineNumbers").numbered
    settings.CODE_LINE_NUMBERS = False
    assert not parse_fence("python").numbered


def test_title_line_numbers_and_marks_combine():
    html = render('```python title="train.py" {2} showLineNumbers\na = 1\nb = 2\n```')
    figure = find_all(html, "figure")[0]
    assert figure.attrs["class"] == "code-block code-numbered"
    assert find_all(html, "figcaption")[0].full_text == "train.py"
    lines = lines_of(html)
    assert [line.full_text for line in lines] == ["a = 1\n", "b = 2\n"]
    assert [line.attrs["class"] for line in lines] == ["code-line", "code-line hll"]
    # Numbers are a CSS counter, never text that a copy would pick up.
    assert "1" not in find_all(html, "code")[0].full_text.replace("= 1", "")


def test_diff_python_marks_lines_and_still_highlights_python():
    html = render("```diff-python\n def f():\n-    return 1\n+    return 2\n```")
    lines = lines_of(html)
    assert [line.attrs["class"] for line in lines] == [
        "code-line",
        "code-line diff-del",
        "code-line diff-add",
    ]
    signs = [
        span.full_text for span in find_all(html, "span") if span.attrs.get("class") == "diff-sign"
    ]
    assert signs == [" ", "-", "+"]
    assert any(
        span.attrs.get("class") == "k" and span.full_text == "return"
        for span in find_all(html, "span")
    )
    assert find_all(html, "code")[0].attrs["class"] == "language-python"


def test_plain_diff_keeps_hunk_headers_as_text():
    html = render("```diff\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-old\n+new\n```")
    classes = [line.attrs["class"] for line in lines_of(html)]
    assert classes == ["code-line diff-hunk"] * 3 + ["code-line diff-del", "code-line diff-add"]
    assert lines_of(html)[2].full_text == "@@ -1 +1 @@\n"


def test_hostile_title_and_language_are_inert():
    html = render('```<script>alert(1)</script> title="<img src=x onerror=alert(1)>"\nx\n```')
    assert find_all(html, "script") == [] and find_all(html, "img") == []
    assert "onerror" in find_all(html, "figcaption")[0].full_text  # shown as text
    assert "class" not in find_all(html, "code")[0].attrs
    html = render('```python" onmouseover="alert(1)\nx\n```')
    assert "onmouseover" not in html.split("<code")[1].split(">")[0]


def test_tab_group_renders_exclusive_details_with_labels():
    html = render(SHOWCASE)
    groups = [div for div in find_all(html, "div") if div.attrs.get("class") == "code-tabs"]
    assert len(groups) == 2
    tabs = find_all(html, "details")
    assert [tab.attrs["name"] for tab in tabs] == ["code-tabs-1"] * 3 + ["code-tabs-2"] * 3
    assert ["open" in tab.attrs for tab in tabs[:3]] == [True, False, False]
    labels = [summary.full_text for summary in find_all(html, "summary")]
    assert labels == ["PyTorch", "TensorFlow", "JAX"] * 2


def test_tab_label_falls_back_to_title_then_language():
    html = render('::: tabs\n```python title="a.py"\nx\n```\n```rust\ny\n```\n:::')
    assert [summary.full_text for summary in find_all(html, "summary")] == ["a.py", "Rust"]


def test_feed_shows_every_tab_and_inline_colours():
    html = feed_html(render(SHOWCASE), base_url="https://example.com/a/")
    assert "<details" not in html and "<summary" not in html
    for module in (">torch<", ">tensorflow<", ">jnp<"):
        assert module in html
    assert "<p><strong>TensorFlow</strong></p>" in html
    assert 'class="code-line' not in html
    assert "background-color: #dafbe1" in html  # the added line of the diff
    assert "<svg" in html  # diagrams carry their light palette as attributes


def test_raw_details_elsewhere_survive_the_feed_rewrite():
    body = "<details><summary>More</summary>\n\n```python\nx\n```\n\n</details>\n\n" + SHOWCASE
    html = feed_html(render(body), base_url="https://example.com/a/")
    assert html.count("<details") == html.count("</details>") == 1


def test_diagrams_render_to_sanitized_inline_svg():
    html = render("```mermaid\nflowchart LR\n  A --> B\n```\n\n```dot\ndigraph { a -> b }\n```")
    figures = [figure.attrs["class"] for figure in find_all(html, "figure")]
    assert figures == ["diagram diagram-mermaid", "diagram diagram-dot"]
    assert len(find_all(html, "svg")) == 2
    for forbidden in ("<style", "<script", "foreignObject", " style=", "<image"):
        assert forbidden not in html


def test_broken_diagram_shows_its_source_with_a_note():
    html = render("```mermaid\nflowchart LR\n  A -->\n```\n\n```dot\ndigraph { a -> }\n```")
    notes = [caption.full_text for caption in find_all(html, "figcaption")]
    assert len(notes) == 2
    assert notes[0].startswith("Mermaid diagram shown as source")
    assert notes[1].startswith("Graphviz diagram shown as source")
    assert "A --&gt;" in html and find_all(html, "svg") == []


def test_mermaid_types_that_need_html_labels_show_their_source():
    html = render("```mermaid\nmindmap\n  root\n    a\n```")
    assert find_all(html, "svg") == []
    assert "needs HTML labels" in find_all(html, "figcaption")[0].full_text


def test_mermaid_theme_colours_become_the_palette():
    html = render("```mermaid\nclassDiagram\n  Animal <|-- Duck\n```")
    svg = html[html.index("<svg") :]
    assert 'fill="#ffffff"' not in svg and 'fill="#eef2f8"' in svg
    assert 'font-size="14px"' in svg  # the metrics Mermaid laid the text out with


def test_missing_renderer_degrades_to_source(monkeypatch):
    # Simulate a machine without the Graphviz program: PATH and the venv hold none.
    from articles.rendering import diagrams

    monkeypatch.setattr(diagrams, "DOT_PROGRAM", "no-such-graphviz-program")
    diagrams.render_diagram.cache_clear()
    html = render("```dot\ndigraph { x -> y }\n```")
    diagrams.render_diagram.cache_clear()
    assert "not installed" in find_all(html, "figcaption")[0].full_text


def test_diagram_placeholders_cannot_be_forged():
    html = render("<p>inkstone-diagram-00-0</p>\n\n```dot\ndigraph { a }\n```")
    assert "inkstone-diagram-00-0" in html
    assert len(find_all(html, "svg")) == 1


HOSTILE_SVG = """<?xml version="1.0"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     onload="alert(1)" viewBox="0 0 10 10">
  <script>alert(2)</script>
  <style>* { background: url(https://evil.example/x) }</style>
  <defs><marker id="m"><path d="M0 0"/></marker></defs>
  <foreignObject><div xmlns="http://www.w3.org/1999/xhtml">
    <img src="x" onerror="alert(3)"/></div></foreignObject>
  <a xlink:href="javascript:alert(4)"><text x="1" y="1">link text</text></a>
  <image href="https://evil.example/i.png"/>
  <use xlink:href="https://evil.example/s.svg#x"/>
  <use href="#m"/>
  <path d="M0 0L1 1" marker-end="url(#m)" fill="url(https://evil.example/p)" onclick="alert(5)"
        style="stroke: red; fill: url(#elsewhere); behavior: url(x.htc)"/>
  <animate attributeName="href" to="javascript:alert(6)"/>
</svg>"""


def test_svg_sanitizer_removes_scripts_handlers_foreign_objects_and_urls():
    clean = sanitize_svg(HOSTILE_SVG, prefix="d1")
    for forbidden in (
        "script",
        "alert",
        "onload",
        "onclick",
        "style",
        "foreignObject",
        "evil",
        "image",
        "animate",
        "javascript",
        "url(#elsewhere)",
        "behavior",
    ):
        assert forbidden not in clean, forbidden
    assert "link text" in clean
    assert '<use href="#d1-m">' in clean
    assert 'marker-end="url(#d1-m)"' in clean
    assert 'stroke="red"' in clean  # a safe declaration became a presentation attribute


@pytest.mark.parametrize(
    "text",
    ["not xml <", "<html></html>", '<!DOCTYPE x [<!ENTITY a "b">]><svg>&a;</svg>'],
)
def test_svg_sanitizer_refuses_what_it_cannot_read(text):
    with pytest.raises(UnsafeSvg):
        sanitize_svg(text, prefix="d1")


def test_tab_containers_hold_prose_and_several_blocks():
    html = render(
        ":::: tabs\n::: tab PyTorch\nSome *prose*.\n\n```python\na\n```\n\n```python\nb\n```\n:::\n"
        "::: tab <b>MXNet</b>\n```python\nc\n```\n:::\n::::\n\n::: tab Alone\nx\n:::"
    )
    tabs = [element for element in parse(html).all if element.tag == "details"]
    assert len(tabs) == 2
    figures = [child for body in tabs[0].children for child in body.children]
    assert [child.tag for child in figures] == ["p", "figure", "figure"]
    assert [summary.full_text for summary in find_all(html, "summary")] == [
        "PyTorch",
        "<b>MXNet</b>",  # a label is text, never markup
    ]
    assert "Alone" not in html and "<p>x</p>" in html


def test_code_block_cost_grows_linearly_with_its_lines():
    import gc
    import time

    # CPU time, best of five, with the collector paused: a busy machine (CI runs
    # other suites beside this one) stretches wall time, not the work done.
    def cost(lines):
        body = "\n".join(f"+    value_{i} = compute({i})  # note" for i in range(lines))
        markdown = f'```diff-python title="x.py" {{1-{lines}}} showLineNumbers\n{body}\n```'
        render(markdown)  # warm caches (lexer, parser) before timing
        runs = []
        gc.disable()
        try:
            for _ in range(5):
                start = time.process_time()
                render(markdown)
                runs.append(time.process_time() - start)
        finally:
            gc.enable()
        return min(runs)

    assert cost(2000) < 6 * cost(500)

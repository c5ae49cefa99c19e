"""What the renderer emits stays inert and within the CSP, whatever the math engine.

Checked on the whole pipeline's output (articles/rendering/inert.py), so the
tests hold if the LaTeX converter is replaced.
"""

import pytest

from articles.rendering.pipeline import render_article
from tests.html_tree import parse

REST = "after **bold** end.\n\nNext paragraph."


def math_elements(html):
    return [element for element in parse(html).all if element.tag == "math"]


def inside_math(tree):
    """Return the elements that have a <math> ancestor."""
    return [e for e in tree.all if any(a.tag == "math" for a in e.ancestors())]


@pytest.mark.parametrize(
    "formula",
    [
        r"$\text{<b>}$",
        r"$\text{<img src=x onerror=alert(1)>}$",
        r'$\text{<a href="https://example.com">}$',
        r"$\unicode{<b>}$",
        r"$\text{</mtext><b>}$",
        r"$$\text{<b>}$$",
    ],
)
def test_text_inside_math_never_swallows_the_article(formula):
    html = render_article(f"Before {formula} {REST}").html
    tree = parse(html)
    # The rest of the article is outside the formula, as prose.
    assert [element.tag for element in tree.all if element.tag == "strong"] == ["strong"]
    for element in inside_math(tree):
        assert "bold" not in element.text
        assert "Next paragraph" not in element.text
        assert element.tag not in {"b", "img", "a", "p", "strong"}
    assert "Next paragraph." in html


def test_markup_in_math_text_is_shown_as_text():
    html = render_article(r"$\text{a <b> & c}$").html
    [text] = [e.text for e in inside_math(parse(html)) if e.tag == "mtext"]
    assert text.replace("\xa0", " ") == "a <b> & c"


def test_math_fence_text_is_escaped_too():
    html = render_article("```math\n\\text{<b>}\n```\n\nafter *this*").html
    assert "&lt;b&gt;" in html
    assert "<p>after <em>this</em></p>" in html


def test_table_alignment_is_a_class_not_a_style():
    html = render_article("| a | b | c | d |\n|:-|:-:|-:|-|\n| 1 | 2 | 3 | 4 |").html
    assert "style" not in html
    cells = [element for element in parse(html).all if element.tag in ("th", "td")]
    classes = [cell.attrs.get("class") for cell in cells]
    assert classes == ["align-left", "align-center", "align-right", None] * 2


@pytest.mark.parametrize(
    "raw",
    [
        '<td style="text-align:right">x</td>',
        '<p style="">x</p>',
        '<span style="color:red">x</span>',
        '<table><tr><th style="text-align:left">x</th></tr></table>',
    ],
)
def test_raw_html_keeps_no_style_attribute(raw):
    assert "style" not in render_article(raw).html


@pytest.mark.parametrize(
    "raw",
    [
        '<input type="checkbox" checked> phantom',
        'inline <input class="task-list-item-checkbox" type="checkbox"> phantom',
        '<div>\n<input type=text value=">">\n</div>',
        "<INPUT TYPE=checkbox> phantom",
    ],
)
def test_an_authors_raw_input_does_not_survive(raw):
    html = render_article(raw).html
    assert "<input" not in html.lower()
    assert "phantom" in html or "div" in raw


def test_task_list_boxes_are_the_only_inputs():
    html = render_article("- [x] done\n- [ ] todo\n\n<input type=checkbox> raw").html
    inputs = [element for element in parse(html).all if element.tag == "input"]
    assert len(inputs) == 2
    assert all(element.attrs.get("class") == "task-list-item-checkbox" for element in inputs)
    assert all("disabled" in element.attrs for element in inputs)

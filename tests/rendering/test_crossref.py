"""Numbered equations, figures and tables, and references to them (docs/markdown.md)."""

import re

import pytest

from articles.rendering.pipeline import render_article


def numbers(html_text):
    return re.findall(r'<span class="equation-number">\(([^)]*)\)</span>', html_text)


def refs(html_text):
    return re.findall(r'<a class="xref" href="#([^"]+)"[^>]*>([^<]+)</a>', html_text)


def test_labelled_display_equations_are_numbered_in_order():
    result = render_article(
        "$$a \\label{eq:a}$$\n\n$$b$$\n\n$$c \\label{eq:c}$$\n\nSee @eq-c and @eq-a."
    )
    assert numbers(result.html) == ["1", "2"]
    assert 'id="eq-a"' in result.html and 'id="eq-c"' in result.html
    assert refs(result.html) == [("eq-c", "Equation (2)"), ("eq-a", "Equation (1)")]
    assert "\\label" not in result.html and "label" not in re.sub(r"<[^>]+>", "", result.html)


def test_references_before_the_target_resolve_too():
    result = render_article("First @fig-plot, then:\n\n![Plot](/p.png){#fig-plot}\n")
    assert refs(result.html) == [("fig-plot", "Figure 1")]
    assert result.problems == []


def test_tag_gives_a_manual_number_and_counts_nothing():
    result = render_article("$$x \\tag{*} \\label{eq:x}$$\n\n$$y \\label{eq:y}$$\n\n@eq-x @eq-y")
    assert numbers(result.html) == ["*", "1"]
    assert refs(result.html) == [("eq-x", "Equation (*)"), ("eq-y", "Equation (1)")]


def test_equation_environment_numbers_once_and_starred_never():
    source = (
        "$$\\begin{equation}\\begin{aligned} a &= b \\\\ c &= d \\end{aligned}\\end{equation}$$\n\n"
        "$$\\begin{equation*} e \\end{equation*}$$\n\n"
        "$$\\begin{equation} f \\nonumber \\end{equation}$$\n\n"
        "$$\\begin{equation} g \\end{equation}$$"
    )
    assert numbers(render_article(source).html) == ["1", "2"]


def test_align_and_gather_number_each_row_unless_told_not_to():
    source = (
        "$$\\begin{align} a &= b \\label{eq:r1} \\\\ c &= d \\nonumber \\\\ "
        "e &= f \\label{eq:r3} \\end{align}$$\n\n"
        "$$\\begin{gather} x \\\\ y \\notag \\\\ z \\end{gather}$$\n\n"
        "$$\\begin{align*} u &= v \\\\ w &= t \\end{align*}$$\n\n"
        "@eq-r1 @eq-r3"
    )
    result = render_article(source)
    rows = re.findall(r"<mtext>\((\d+)\)</mtext>", result.html)
    assert rows == ["1", "2", "3", "4"]
    assert refs(result.html) == [("eq-r1", "Equation (1)"), ("eq-r3", "Equation (2)")]
    assert "math-error" not in result.html


def test_number_every_display_equation_setting(settings):
    settings.NUMBER_ALL_EQUATIONS = True
    result = render_article("$$a$$\n\n$$b$$\n\n$$\\begin{align*} c \\end{align*}$$")
    assert numbers(result.html) == ["1", "2"]


def test_eqref_and_ref_in_math():
    result = render_article(
        "$$E = mc^2 \\label{eq:e}$$\n\nBy $\\eqref{eq:e}$, or $\\ref{eq:e}$, "
        "and $x = \\eqref{eq:e}$."
    )
    assert refs(result.html)[:2] == [("eq-e", "(1)"), ("eq-e", "1")]
    assert "<mtext>(1)</mtext>" in result.html


def test_unknown_labels_are_marked_and_listed_as_problems():
    result = render_article("See @fig-missing and $\\eqref{eq:nope}$.")
    assert result.html.count('class="xref-missing"') == 2
    assert "??" in result.html
    assert any("fig-missing" in problem for problem in result.problems)
    assert any("eq-nope" in problem for problem in result.problems)


def test_duplicate_labels_are_a_problem_and_the_first_wins():
    result = render_article(
        "![One](/1.png){#fig-a}\n\n![Two](/2.png){#fig-a}\n\n@fig-a\n\n$$x\\label{eq:d}$$\n\n"
        "$$y\\label{eq:d}$$\n\n@eq-d"
    )
    assert ("fig-a", "Figure 1") in refs(result.html)
    assert ("eq-d", "Equation (1)") in refs(result.html)
    assert sum("Duplicate label" in problem for problem in result.problems) == 2


def test_figures_get_numbered_captions_and_tables_captions():
    result = render_article(
        "![A curve with $x^2$](/c.png){#fig-curve}\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n: Measured *values* {#tbl-data}\n\n"
        "@fig-curve and @tbl-data"
    )
    html_text = result.html
    assert '<figure id="fig-curve" class="numbered-figure">' in html_text
    assert '<figcaption><span class="caption-label">Figure 1</span>: A curve with <math' in (
        html_text
    )
    assert '<table id="tbl-data">' in html_text
    assert '<caption><span class="caption-label">Table 1</span>: Measured <em>values</em>' in (
        html_text
    )
    assert "{#" not in html_text
    assert refs(html_text) == [("fig-curve", "Figure 1"), ("tbl-data", "Table 1")]


def test_chinese_articles_use_chinese_names():
    result = render_article(
        "![曲线](/c.png){#fig-曲线}\n\n| a |\n|---|\n| 1 |\n\n: 数据 {#tbl-数据}\n\n"
        "$$a \\label{eq:能量}$$\n\n见@fig-曲线、@tbl-数据和@eq-能量。",
        language="zh-hans",
    )
    assert refs(result.html) == [("fig-曲线", "图 1"), ("tbl-数据", "表 1"), ("eq-能量", "式 (1)")]
    assert '<span class="caption-label">图 1</span>' in result.html


def test_section_labels_link_by_title_and_keep_the_toc_clean():
    result = render_article("## Method {#sec-method}\n\nAs in @sec-method.")
    assert '<h2 id="sec-method">Method' in result.html
    assert refs(result.html) == [("sec-method", "Method")]
    assert result.toc == [{"level": 2, "id": "sec-method", "title": "Method"}]


def test_previews_show_numbers_not_labels():
    result = render_article("$$a\\label{eq:a}$$\n\n![P](/p.png){#fig-p}\n\nSee @fig-p and @eq-a.")
    assert "See Figure 1 and Equation (1)." in result.preview
    assert "{#" not in result.preview and "label" not in result.preview


@pytest.mark.parametrize(
    "text", ["mail me@example.com today", "a@fig-x", "handle @someone", "price @ 3"]
)
def test_at_signs_that_are_no_references_stay_text(text):
    result = render_article(text)
    assert "xref" not in result.html and "citation" not in result.html
    assert result.problems == []


def test_hostile_labels_cannot_break_out_of_attributes():
    result = render_article('![x](/x.png){#fig-a"onload="alert(1)}\n\n@fig-a"><script>')
    # Not a valid label: it stays text, and nothing becomes an attribute or a tag.
    assert not re.search(r"<[^>]*onload", result.html)
    assert "<script" not in result.html

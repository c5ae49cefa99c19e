"""Math: delimiters, protection from Markdown, MathML output and graceful errors."""

import pytest

from articles.rendering.math_latex import normalize_latex
from articles.rendering.mathml import MathError, convert_latex
from articles.rendering.pipeline import render_article
from tests.html_tree import find_all, visible_text


def maths(html):
    return find_all(html, "math")


def test_all_delimiters_become_mathml():
    source = "$a$ \\(b\\) $$c$$\n\n\\[d\\]\n\n$$\ne\n$$\n\n```math\nf\n```"
    html = render_article(source).html
    assert [m.attrs["display"] for m in maths(html)] == ["inline"] * 2 + ["block"] * 4
    assert "$" not in visible_text(html)


def test_asterisks_inside_math_are_not_emphasis():
    html = render_article("$a*b$ 与 $c*d$").html
    assert find_all(html, "em") == []
    operators = [mo.text for mo in find_all(html, "mo")]
    assert operators.count("∗") == 2  # TeX sets * as the asterisk operator U+2217


def test_underscores_backslashes_and_braces_survive():
    html = render_article(r"$x_1 + y_2 \{a\} \\ b$ and $\mathbf{x}_i$").html
    assert find_all(html, "em") == []
    assert "{" in [mo.text for mo in find_all(html, "mo")]
    assert find_all(html, "msub")


def test_math_glued_to_chinese_quotes_with_a_less_than_sign():
    html = render_article('$0.5<P(y=$"猫"$)<1$').html
    assert len(maths(html)) == 2
    assert "<" in [mo.text for mo in find_all(html, "mo")]
    assert visible_text(html).strip() == '"猫"'


def test_math_directly_adjacent_to_chinese():
    assert len(maths(render_article("这$h$组变换后的").html)) == 1


@pytest.mark.parametrize("text", ["$5 and $10", "It costs $5, or $ 10 later.", "US$3 vs $4"])
def test_prices_stay_text(text):
    html = render_article(text).html
    assert maths(html) == []
    assert "$" in visible_text(html)


def test_display_math_is_a_block():
    html = render_article("$$\n\\frac{1}{2}\n$$").html
    wrapper = find_all(html, "div")[0]
    assert wrapper.attrs["class"] == "math-display"
    assert maths(html)[0].attrs["display"] == "block"


def test_display_math_inside_a_paragraph_does_not_break_it():
    html = render_article("before $$x$$ after").html
    assert len(find_all(html, "p")) == 1
    assert find_all(html, "span")[0].attrs["class"] == "math-display"


def test_aligned_environment_has_no_stray_ampersands():
    html = render_article("$$\\begin{aligned} a &= b \\\\ c &= d \\end{aligned}$$").html
    assert "&" not in "".join(mi.text for mi in find_all(html, "mi"))
    assert find_all(html, "mtable")


def test_invalid_latex_shows_source_marked_as_error():
    html = render_article(r"bad $\frac{1}{$ and $$\begin{nosuchenv} x$$").html
    errors = [el for el in find_all(html, "span") if el.attrs.get("class") == "math-error"]
    assert errors
    assert "\\frac{1}{" in errors[0].children[0].text


def test_unknown_command_counts_as_an_error_not_a_leak():
    with pytest.raises(MathError):
        convert_latex(r"\nosuchcommand{x}", display=False)


def test_labels_and_equation_numbering_are_dropped():
    assert normalize_latex(r"x \label{eq:1} \nonumber") == r"x  \nonumber"
    mathml = convert_latex(r"x \label{eq:1} \nonumber", display=True)
    assert "label" not in mathml.split("<annotation")[0]
    assert "nonumber" not in mathml.split("<annotation")[0]


def test_code_keeps_its_dollars():
    html = render_article("`$x$` and\n\n```\n$$y$$\n```").html
    assert maths(html) == []
    assert [code.full_text for code in find_all(html, "code")] == ["$x$", "$$y$$\n"]


def test_escaped_dollar_is_text():
    html = render_article(r"\$x$ stays").html
    assert maths(html) == []

"""Formulas that used to lose content silently, fall back, or break the article."""

import unicodedata

import pytest

from articles.rendering.mathml import convert_latex, render_math
from articles.rendering.pipeline import render_article
from articles.rendering.sanitize import sanitize_html
from bench.math_coverage import check
from tests.html_tree import find_all, parse, visible_text


def shown(source, *, display=True):
    """Return the sanitized MathML of source without its TeX annotation."""
    return sanitize_html(render_math(source, display=display)).split("<annotation")[0]


def text_of(html):
    return "".join(element.text for element in parse(html).all if element.tag != "annotation")


@pytest.mark.parametrize("command", [r"\mathop", r"\mathrel", r"\mathbin", r"\mathord"])
def test_class_commands_keep_their_body(command):
    html = shown(rf"\operatorname{{Proj}}(x) = {command}{{\mathrm{{argmin}}}}_{{x \in X}} f(x)")
    assert "argmin" in text_of(html)
    assert "<mo><mrow>" not in html


def test_mathop_takes_limits_underneath_in_display():
    html = shown(r"\mathop{\mathrm{argmin}}_{x} f")
    assert "<munder><mo>argmin</mo>" in html


@pytest.mark.parametrize(
    ("source", "attribute", "value"),
    [
        (r"\color{red} x", "mathcolor", "red"),
        (r"\textcolor{#228B22}{x}", "mathcolor", "#228B22"),
        (r"\colorbox{aqua}{x}", "mathbackground", "aqua"),
        (r"\fcolorbox{red}{aqua}{x}", "mathbackground", "aqua"),
    ],
)
def test_colours_survive_the_sanitizer(source, attribute, value):
    html = shown(source)
    assert f'{attribute}="{value}"' in html


def test_rule_is_a_drawn_box_not_a_gap():
    html = shown(r"a \rule{1em}{2em} b")
    [space] = [el for el in find_all(html, "mspace") if el.attrs.get("class") == "tex-rule"]
    assert space.attrs["width"] == "1em" and space.attrs["height"] == "2em"


def test_row_spacing_argument_is_not_printed():
    html = shown(r"\begin{aligned} a &= b \\[2pt] c &= d \end{aligned}")
    assert "2pt" not in text_of(html) and "[" not in text_of(html)
    assert len(find_all(html, "mtr")) == 2


def test_nested_text_commands_do_not_leak():
    html = shown(r"\text{a \textbf{b}}")
    assert "\\" not in text_of(html)
    assert [el.attrs.get("class") for el in find_all(html, "mtext") if el.text == "b"] == [
        "tex-bold"
    ]


def test_sim_is_the_tilde_operator_not_ascii():
    assert "∼" in text_of(shown(r"a \sim b"))
    assert "~" not in text_of(shown(r"a \sim b"))


@pytest.mark.parametrize(
    "source",
    [
        r"\R \N \Z \Reals \larr \isin \infin",
        r"\text{\AA \ss \H{o} \v{c}}",
        r"a \vcentcolon= b \dblcolon c",
        r"\overgroup{AB} \xrightleftarrows{abc}",
        r"\gdef\f#1{#1^2} \f{y}",
        r"\renewcommand\vec[1]{\mathbf{#1}} \vec{x}",
        r"\begin{array}{c:c||c} a & b & c \\ \hdashline d & e & f \end{array}",
        r"\begin{rcases} a & b \\ c & d \end{rcases}",
        r"\begin{drcases} a & b \\ c & d \end{drcases}",
        r"\sum_{\begin{subarray}{l} i<m \\ j<n \end{subarray}} x",
        r"\Bra{\phi} \Ket{\psi} \Set{x | x > 0}",
        r"\arg z",
        r"\Bigl\uparrow \Bigm\vert",
        r"a \newline b",
        r"a\raisebox{0.25em}{b}c",
        r"x'''^2",
    ],
)
@pytest.mark.parametrize("display", [False, True])
def test_formerly_unsupported_groups_render(source, display):
    assert check(source, display=display) is None


def test_scripts_that_katex_spills_are_grouped():
    # KaTeX writes λ_{\\max} as <msub> with three children, which no browser lays out.
    for msub in find_all(shown(r"\lambda_{\max} + x_{\min}"), "msub"):
        assert len(msub.children) == 2


def test_not_is_a_combining_slash():
    text = unicodedata.normalize("NFD", text_of(shown(r"a \not< b")))
    assert "<\u0338" in text


def test_operator_names_are_spaced_from_their_argument():
    assert '<mo rspace="0.1667em">\u2061</mo><mi>p</mi>' in shown(r"\log p")
    # …but not from an opening bracket, as in TeX.
    assert '<mo>\u2061</mo><mo stretchy="false">(</mo>' in shown(r"\log(x)")


def test_accents_are_accents_over_styled_letters():
    html = shown(r"\hat{\mathbf v}")
    [over] = find_all(html, "mover")
    assert over.attrs["accent"] == "true"
    assert "𝐯" in text_of(html)  # MathML Core ignores mathvariant="bold"


def test_display_sum_takes_limits_underneath():
    assert "<munderover><mo>∑</mo>" in shown(r"\sum_{i=1}^n i")


def test_aligned_columns_are_classed_for_chromium():
    html = shown(r"\begin{aligned} a &= b \\ c &= d \end{aligned}")
    classes = [set(cell.attrs.get("class", "").split()) for cell in find_all(html, "mtd")]
    assert all("tex-r" in cell for cell in classes[0::2])
    assert all("tex-l" in cell for cell in classes[1::2])


def test_tags_in_numbered_environments_are_shown():
    # KaTeX's MathML leaves \tag out of align, gather and equation.
    html = shown(r"\begin{align} a &= b \tag{1} \\ c &= d \\ e &= f \tag*{(A)} \end{align}")
    tags = [
        cell.children[0].text if cell.children else ""
        for cell in find_all(html, "mtd")
        if cell.attrs.get("class") == "tex-tag"
    ]
    assert tags == ["(1)", "", "(A)"]


def test_vertical_bar_fences_stretch():
    html = shown(r"\begin{vmatrix} a & b \\ c & d \end{vmatrix} \left\Vert x \right\Vert")
    fences = [mo for mo in find_all(html, "mo") if mo.attrs.get("fence") == "true"]
    assert [mo.text for mo in fences] == ["|", "|", "‖", "‖"]
    assert all(mo.attrs.get("stretchy") == "true" for mo in fences)


def test_tex_source_is_kept_as_an_annotation():
    html = sanitize_html(render_math(r"a < b \& c", display=False))
    [annotation] = find_all(html, "annotation")
    assert annotation.attrs["encoding"] == "application/x-tex"
    assert annotation.text == r"a < b \& c"


def test_inline_display_environments_still_render_inline():
    [math] = find_all(render_article(r"see $\begin{align} a&=b \end{align}$ here").html, "math")
    assert math.attrs["display"] == "inline"


def error_reasons(html):
    return [el.text for el in parse(html).all if el.attrs.get("class") == "math-error-reason"]


def test_broken_latex_gives_a_one_line_reason_and_the_article_goes_on():
    html = render_article("Before $\\frac{1}{$ after.\n\nNext paragraph $x$.").html
    [reason] = error_reasons(html)
    assert reason.startswith("Math error: ") and len(reason) > len("Math error: ") + 5
    assert "\n" not in reason
    assert "Next paragraph" in visible_text(html)
    assert len(find_all(html, "math")) == 1


def test_error_label_follows_the_article_language():
    html = render_article("错 $\\frac{1}{$", language="zh-hans").html
    assert error_reasons(html)[0].startswith("公式错误: ")


def test_a_megabyte_formula_is_refused_quickly_with_a_reason():
    html = render_article("Intro.\n\n$$\n" + "x+" * 500_000 + "\n$$\n\nOutro.").html
    [reason] = error_reasons(html)
    assert "limit" in reason
    assert "Outro." in visible_text(html)


def test_deeply_nested_braces_are_refused_with_a_reason():
    html = render_article("$" + "{" * 5_000 + "x" + "}" * 5_000 + "$ and more").html
    [reason] = error_reasons(html)
    assert "nest" in reason
    assert "and more" in visible_text(html)


def test_nesting_that_overflows_katex_reads_as_nesting():
    # Under the brace limit, but \left…\right nests KaTeX's parser deeper still.
    html = render_math(r"\left(" * 1_400 + "x" + r"\right)" * 1_400, display=True)
    # On a loaded machine the timeout may answer first; either reason is one line.
    assert "formula nests too deeply" in html or "formula took too long" in html


def test_convert_latex_returns_core_mathml():
    mathml = convert_latex(r"\mathbb{R}", display=False)
    assert "mathvariant" not in mathml and "ℝ" in mathml


def test_missing_math_assets_fail_the_system_check(settings, tmp_path):
    from articles.rendering.checks import math_assets_check

    assert math_assets_check(None) == []
    settings.MATH_ASSETS_DIR = tmp_path
    errors = math_assets_check(None)
    assert len(errors) == 4  # katex.min.js and the three font files
    assert all("make install" in error.hint for error in errors)


def test_tex_specials_inside_text_are_the_authors_words():
    html = shown(r"\text{R&D costs 50% of #1} + x")
    assert "R&D costs 50% of #1" in text_of(html).replace("\xa0", " ")

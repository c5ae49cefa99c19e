"""Which characters an article's formulas are drawn with (articles/rendering/math_glyphs.py)."""

import pytest

from articles.rendering.math_glyphs import (
    math_code_points,
    parse_unicode_range,
    unicode_range,
)
from articles.rendering.pipeline import render_article


def drawn(html):
    return "".join(chr(code) for code in math_code_points(html))


def test_text_without_math_needs_no_font():
    assert math_code_points("<p>x + y, and (1)</p>") == []


def test_a_one_letter_identifier_also_needs_its_italic_form():
    html = '<p><math><mi>x</mi><mo>+</mo><mi mathvariant="normal">d</mi><mi>α</mi></math></p>'
    assert drawn(html) == " +dxα𝑥𝛼"  # upright d stays upright: no 𝑑


def test_a_longer_identifier_stays_upright():
    assert "𝑠" not in drawn("<math><mi>sin</mi></math>")
    assert set("sin") <= set(drawn("<math><mi>sin</mi></math>"))


def test_h_and_dotless_letters_use_their_own_italic_code_points():
    assert drawn("<math><mi>h</mi><mi>ı</mi></math>").endswith("ℎ𝚤")


def test_the_tex_source_kept_with_a_formula_is_not_drawn():
    html = (
        '<math><semantics><mi>y</mi><annotation encoding="application/x-tex">'
        "\\mathrm{zebra}</annotation></semantics></math>"
    )
    assert drawn(html) == " y𝑦"


def test_a_radical_is_drawn_though_it_is_not_in_the_text():
    assert "√" in drawn("<math><msqrt><mn>2</mn></msqrt></math>")


def test_a_thin_space_is_drawn_but_a_line_break_is_markup():
    codes = math_code_points("<math>\n  <mi>a</mi><mspace/><mtext>\u2009b\u00a0</mtext>\n</math>")
    assert 0x2009 in codes and 0xA0 in codes and ord("\n") not in codes


def test_entities_are_read_as_characters():
    assert "−" in drawn("<math><mo>&minus;</mo><mo>&#x2211;</mo></math>")


def test_equation_numbers_beside_formulas_count():
    html = '<math display="block"><mi>E</mi></math><span class="equation-number">(12)</span>'
    assert set("(12)") <= set(drawn(html))


def test_a_rendered_article_lists_what_katex_made():
    body = "Let $f(x) = \\sqrt{x^2 + 1}$ and $$\\sum_{i=1}^{n} \\alpha_i$$"
    codes = set(math_code_points(render_article(body, language="en").html))
    for char in "f𝑓x𝑥=√+1∑i𝑖n𝑛α𝛼()":
        assert ord(char) in codes, char
    assert ord("\\") not in codes  # from the TeX source, which is not drawn


@pytest.mark.parametrize(
    "codes, text",
    [([], ""), ([0x20], "U+20"), ([0x20, 0x28, 0x29, 0x2B], "U+20,U+28-29,U+2B")],
)
def test_unicode_range_round_trip(codes, text):
    assert unicode_range(codes) == text
    assert parse_unicode_range(text) == codes


@pytest.mark.parametrize("text", ["20", "U+ZZ", "U+30-20", "U+110000"])
def test_unicode_range_refuses_what_is_not_one(text):
    with pytest.raises(ValueError):
        parse_unicode_range(text)

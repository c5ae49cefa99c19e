"""Accents as Chromium sets them: glyphs the font has, rules for \\overline (docs/math.md)."""

from pathlib import Path

import pytest
from django.conf import settings

from articles.rendering.math_assets import SOURCE_FONT
from articles.rendering.math_glyphs import math_code_points
from articles.rendering.mathml import render_math
from articles.rendering.sanitize import sanitize_html
from tests.html_tree import find_all

ACCENTS = [
    r"\overline{x+y}", r"\underline{ab}", r"\underbar{x}", r"\bar{x}", r"\hat{x}",
    r"\tilde{x}", r"\dot{x}", r"\ddot{x}", r"\check{x}", r"\acute{x}", r"\grave{x}",
    r"\breve{x}", r"\mathring{x}", r"\vec{v}", r"\widehat{xyz}", r"\widehat{i}",
    r"\widetilde{abc}", r"\widecheck{abc}", r"\utilde{abc}", r"\overrightarrow{AB}",
    r"\overleftarrow{AB}", r"\overleftrightarrow{AB}", r"\Overrightarrow{AB}",
    r"\underrightarrow{AB}", r"\overbrace{a+b}^{n}", r"\underbrace{a+b}_{n}",
    r"\overgroup{AB}", r"\overrightharpoon{ab}", r"\overlinesegment{AB}",
    r"\text{\'{e} \`{a} \^{o} \~{n} \={u}}",
]  # fmt: skip


def shown(source, *, display=False):
    """Return the sanitized MathML of source without its TeX annotation."""
    return sanitize_html(render_math(source, display=display)).split("<annotation")[0]


@pytest.mark.parametrize("display", [False, True])
def test_overline_is_a_rule_over_the_whole_base(display):
    html = shown(r"\overline{x+y}", display=display)
    assert '<mrow class="tex-overline"><mrow><mi>x</mi><mo>+</mo><mi>y</mi></mrow></mrow>' in html
    assert "<mover" not in html and "\u203e" not in html


def test_nested_overlines_are_nested_rules():
    html = shown(r"\overline{\overline{x}+y}")
    assert html.count('class="tex-overline"') == 2
    assert '<mrow class="tex-overline"><mrow><mrow class="tex-overline"><mi>x</mi>' in html


@pytest.mark.parametrize("source", [r"\underline{ab}", r"\underbar{x}"])
def test_underline_is_a_rule_under_the_base(source):
    html = shown(source)
    assert 'class="tex-underline"' in html
    assert "<munder" not in html and "\u203e" not in html


@pytest.mark.parametrize(
    "source, rule",
    [(r"\overlinesegment{AB}", "tex-overline"), (r"\underlinesegment{AB}", "tex-underline")],
)
def test_line_segments_are_rules_not_the_word_undefined(source, rule):
    html = shown(source)
    assert f'<mrow class="{rule}"><mrow><mi>A</mi><mi>B</mi></mrow></mrow>' in html
    assert "undefined" not in html


@pytest.mark.parametrize(
    "source, accent",
    [
        (r"\bar{x}", "\u00af"),  # macron, as TeX's \bar; KaTeX writes U+02C9
        (r"\acute{x}", "\u00b4"),
        (r"\grave{x}", "`"),
        (r"\hat{x}", "\u02c6"),  # not the font's wide ASCII ^
        (r"\tilde{x}", "\u02dc"),
        (r"\check{x}", "\u02c7"),  # unchanged: the font has it and Chromium centres it
        (r"\dot{x}", "\u02d9"),
    ],
)
def test_fixed_accents_use_the_glyph_tex_uses(source, accent):
    html = shown(source)
    assert f'<mover accent="true"><mi>x</mi><mo>{accent}</mo></mover>' in html


def test_widehat_stretches_the_combining_circumflex():
    html = shown(r"\widehat{xyz}")
    assert '<mo stretchy="true">\u0302</mo>' in html


def test_widehat_over_a_narrow_letter_is_a_plain_hat():
    # Chromium would draw the combining circumflex's zero-width base glyph.
    assert "<mi>i</mi><mo>\u02c6</mo>" in shown(r"\widehat{i}")


def test_vec_arrow_sits_in_a_box_that_centres_its_ink():
    html = shown(r"\vec{v}")
    [box] = find_all(html, "mpadded")
    assert box.attrs == {
        "width": "0.528em",
        "lspace": "0.528em",
        "height": "0.19em",
        "depth": "0",
        "voffset": "-0.521em",
    }
    assert "<mo>\u20d7</mo>" in html


def test_stretchy_arrows_and_braces_are_left_alone():
    assert '<mo stretchy="true">\u2192</mo></mover>' in shown(r"\overrightarrow{AB}")
    assert '<mo stretchy="true">\u23de</mo></mover>' in shown(r"\overbrace{a+b}")


@pytest.fixture(scope="module")
def font_cmap():
    path = Path(settings.MATH_ASSETS_DIR) / SOURCE_FONT
    if not path.is_file():
        pytest.skip(f"{path} is missing: run `make install` to build the math assets")
    from fontTools.ttLib import TTFont

    return TTFont(path, lazy=True).getBestCmap()


@pytest.mark.parametrize("source", ACCENTS)
@pytest.mark.parametrize("display", [False, True])
def test_every_character_an_accent_draws_is_in_the_font(source, display, font_cmap):
    html = sanitize_html(render_math(source, display=display))
    assert "<math" in html and "math-error" not in html
    # What the page draws, italic forms included; the TeX annotation is not drawn.
    missing = [f"U+{code:04X}" for code in math_code_points(html) if code not in font_cmap]
    assert not missing, missing

"""Operators spaced as TeX spaces them: tight in scripts, unary signs stuck to their operand."""

import pytest

from articles.rendering.mathml import render_math
from articles.rendering.sanitize import sanitize_html

TIGHT = 'lspace="0" rspace="0"'


def shown(source):
    return sanitize_html(render_math(source, display=False)).split("<annotation")[0]


@pytest.mark.parametrize(
    "source, operator",
    [
        (r"x_{t+1}", "+"),
        (r"\sum_{i=1}^{n} i", "="),
        (r"e^{-x}", "\u2212"),
        (r"\lim_{x \to 0} x", "\u2192"),
        (r"x_{i,j}", ","),
    ],
)
def test_operators_in_scripts_and_limits_get_no_space(source, operator):
    assert f"{TIGHT}>{operator}</mo>" in shown(source)


@pytest.mark.parametrize(
    "source, sign",
    [
        (r"m = -\infty", "\u2212"),
        (r"f(-x)", "\u2212"),
        (r"-x + y", "\u2212"),
        (r"x = \pm 1", "\u00b1"),
        (r"a, -b", "\u2212"),
    ],
)
def test_a_sign_without_a_left_operand_is_unary(source, sign):
    assert f"<mo {TIGHT}>{sign}</mo>" in shown(source)


@pytest.mark.parametrize("source", [r"a - b", r"(a) - b", r"x' - y", r"n! + 1", r"|x| - 1"])
def test_a_sign_after_an_operand_stays_binary(source):
    html = shown(source)
    assert TIGHT not in html
    assert "<mo>\u2212</mo>" in html or "<mo>+</mo>" in html


def test_spacing_katex_set_is_kept():
    # \max_i: the function application's thin space after "max" is KaTeX's own.
    assert 'rspace="0.1667em"' in shown(r"\max_i x_i")

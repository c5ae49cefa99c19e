"""Every command KaTeX documents renders, inline and display, with nothing lost.

The list is bench/katex_supported.py (facts from KaTeX's "Supported Functions"
page); the checks are bench/math_coverage.py, which the coverage report uses too.
"""

import pytest

from articles.rendering.mathml import render_math
from articles.rendering.sanitize import sanitize_html
from bench.katex_supported import CHOOSERS, GROUPS, LINK_TEXT, POLICY_REFUSED
from bench.math_coverage import check, content_characters, coverage
from tests.html_tree import find_all, parse


@pytest.mark.parametrize("group", list(GROUPS))
def test_documented_commands_render(group):
    rendered, total, failures = coverage({group: GROUPS[group]}, CHOOSERS)[group]
    assert failures == []
    assert rendered == total


def test_the_checker_notices_lost_letters_and_leaked_commands():
    # A check that cannot fail proves nothing: feed it broken output on purpose.
    assert content_characters(r"\frac{a}{b} \color{red}{x} \rule{1em}{2pt}") == {"a", "b", "x"}
    assert check(r"\nosuchcommand{x}", display=False) == "error box"
    assert check(r"\text{a}", display=True) is None


@pytest.mark.parametrize("source", POLICY_REFUSED)
def test_raw_html_commands_are_refused_with_a_reason(source):
    html = sanitize_html(render_math(source, display=True))
    errors = [el for el in parse(html).all if "math-error" in el.attrs.get("class", "")]
    assert errors
    assert "is not allowed" in html


@pytest.mark.parametrize("source", LINK_TEXT)
def test_links_in_math_keep_their_text_but_not_the_link(source):
    html = sanitize_html(render_math(source, display=False))
    assert find_all(html, "math")
    assert "math-error" not in html
    shown = html.split("<annotation")[0]
    assert "href=" not in shown
    assert "katex" in shown.lower()

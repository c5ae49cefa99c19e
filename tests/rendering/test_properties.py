"""The renderer never raises and always returns sanitized HTML, whatever the input."""

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.rendering.pipeline import render_article
from articles.rendering.sanitize import sanitize_html
from tests.html_tree import parse

MARKDOWN_PIECES = st.sampled_from(
    ["$", "$$", "\\(", "\\[", "\\]", "```", "~~~", "```math", "> ", "- ", "1. ", "*", "**",
     "_", "`", "[", "]", "(", ")", "<", ">", "<script>", "<math>", "<mtext>", "<!--", "-->",
     "\n", "\n\n", "    ", "|", "---", "#", "[^1]", "[!NOTE]", "\\", "中文", "👨‍👩‍👧", "é",
     "http://x.y", "{.python .input}", "\\begin{aligned}", "&", "\\frac{", "}", "{"]
)  # fmt: skip
SCRIPT_TAGS = {"script", "style", "iframe", "object", "embed", "form"}


def assert_sane(result):
    assert isinstance(result.html, str)
    for element in parse(result.html).all:
        assert element.tag not in SCRIPT_TAGS
        assert not any(name.startswith("on") for name in element.attrs)
    assert result.reading_minutes >= 1
    assert result.word_count >= 0
    assert isinstance(result.preview, str)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_random_unicode_never_raises(text):
    assert_sane(render_article(text))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(MARKDOWN_PIECES | st.text(max_size=5), max_size=60).map("".join))
def test_markdown_soup_never_raises(text):
    result = render_article(text, language="zh-hans")
    assert_sane(result)
    # Sanitizing is the last step, so the output is already a fixed point of it.
    assert sanitize_html(result.html) == result.html


def test_ten_thousand_deep_blockquotes_and_lists():
    for text in ("> " * 10_000 + "deep", "- " * 10_000 + "deep", "1. " * 10_000 + "x"):
        started = time.perf_counter()
        assert_sane(render_article(text))
        assert time.perf_counter() - started < 10


def test_unbalanced_math_and_fences():
    for text in ("$" * 10_001, "$$\n" * 5_000, "```\n" * 5_000, "\\[" * 5_000, "$a " * 20_000):
        assert_sane(render_article(text))


def test_deeply_nested_latex_does_not_raise():
    assert_sane(render_article("$" + "{" * 10_000 + "x" + "}" * 10_000 + "$"))
    assert_sane(render_article("$" + "\\frac{" * 3_000 + "$"))


def test_a_body_at_the_length_limit_renders(settings):
    # Time is measured by bench/pathological.py and bounded by test_linear_time's
    # growth ratios; a timed assertion here would only measure the machine's load.
    line = "中文 *强调* $x_i^2$ `code` [link](http://a.b) <b>b</b>\n\n"
    text = (line * (settings.MAX_BODY_CHARS // len(line) + 1))[: settings.MAX_BODY_CHARS]
    assert_sane(render_article(text))

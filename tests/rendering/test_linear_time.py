"""Rendering time grows linearly with the body, whatever shape the body has.

No absolute times (the machine may be busy): the CPU time at four times the
size must stay under six times the time at the base size, where anything
quadratic would take sixteen. bench/pathological.py prints the absolute
figures at MAX_BODY_CHARS (docs/markdown.md, "Linear time").
"""

import gc
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.rendering.pipeline import render_article
from bench.pathological import SHAPES

BASE = 10_000
GROWTH = 4
LIMIT = 6


def cpu_time(text):
    """Return the best of three CPU timings: noise only ever adds time.

    The cyclic garbage collector is paused while timing: its full passes grow
    with the number of live objects, not with what the algorithm does.
    """
    timings = []
    for _ in range(3):
        gc.collect()
        gc.disable()
        try:
            started = time.process_time()
            render_article(text)
            timings.append(time.process_time() - started)
        finally:
            gc.enable()
    return min(timings)


def assert_linear(build, base=BASE):
    small, large = build(base), build(base * GROWTH)
    small_time, large_time = cpu_time(small), cpu_time(large)
    # Below a few milliseconds the clock's resolution dominates: grow the input.
    while small_time < 0.02 and base < 200_000:
        base *= 4
        small, large = build(base), build(base * GROWTH)
        small_time, large_time = cpu_time(small), cpu_time(large)
    ratio = large_time / small_time
    assert ratio < LIMIT, (
        f"{len(small):,} chars took {small_time:.3f} s, {len(large):,} took {large_time:.3f} s "
        f"({ratio:.1f}x for {GROWTH}x the input)"
    )


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_known_pathological_shapes_render_in_linear_time(name):
    assert_linear(SHAPES[name])


# Pieces that open or close something, or nest: runs of them are the inputs
# that make a parser search ahead from every position.
OPENERS = [
    "\\[", "\\(", "\\]", "\\)", "$", "$$", "`", "``", "*", "**", "_", "__", "~~", "[", "](",
    "![", "[^", "<", "<!--", "<a ", "&", "http://a.b/", "www.a.b ", "a@b.c ", "> ", "- ",
    "1. ", "# ", "|", "\\", "{", "}", "\n", "```", ":::", "    ", "\\begin{aligned}",
]  # fmt: skip
UNITS = st.lists(
    st.sampled_from(OPENERS) | st.sampled_from(["a", "中", " "]), min_size=1, max_size=4
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(unit=UNITS.map("".join), filler=st.sampled_from(["", "a ", "x\n", "中文"]))
def test_generated_runs_render_in_linear_time(unit, filler):
    piece = unit + filler
    assert_linear(lambda size: piece * max(1, size // len(piece)))


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(columns=st.integers(min_value=1, max_value=300), align=st.sampled_from(["-", ":-", "-:"]))
def test_wide_tables_render_in_linear_time(columns, align):
    header = "|" + "h|" * columns + "\n|" + f"{align}|" * columns + "\n"
    row = "|" + "x|" * columns + "\n"
    assert_linear(lambda size: header + row * max(1, size // len(row)))


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(opener=st.sampled_from(["\\[", "\\(", "$", "$$", "`", "[", "<!--", "```", "**", "~~"]))
def test_one_unclosed_delimiter_before_a_long_body_is_linear(opener):
    assert_linear(lambda size: opener + "word " * (size // 5))


def test_preview_endpoint_refuses_bodies_over_the_limit(admin_client, settings):
    settings.MAX_BODY_CHARS = 1_000
    url = "/admin-tools/markdownx/markdownify/"
    response = admin_client.post(url, {"content": "a" * 1_001})
    assert response.status_code == 413
    assert "1,001 characters" in response.content.decode()
    assert "1,000" in response.content.decode()
    assert admin_client.post(url, {"content": "*ok*"}).content.decode().strip() == (
        "<p><em>ok</em></p>"
    )

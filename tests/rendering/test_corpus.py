"""Every dev-corpus article renders cleanly, and its formulas convert."""

import pytest

from articles.rendering.mathml import MathError, convert_latex
from articles.rendering.pipeline import markdown_parser, render_article
from tests.corpus import dev_articles
from tests.html_tree import find_all, visible_text

MATH_TYPES = {"math_inline", "math_inline_double", "math_block"}


def _language(meta):
    return "zh-hans" if str(meta.get("lang", "en")).startswith("zh") else "en"


def _formulas(tokens):
    for token in tokens:
        if token.type in MATH_TYPES:
            yield token.content, token.type != "math_inline"
        if token.children:
            yield from _formulas(token.children)


def test_every_article_renders_with_ids_and_no_stray_dollars():
    articles = dev_articles()
    assert len(articles) == 40
    for path, meta, body in articles:
        result = render_article(body, language=_language(meta))
        headings = [el for level in range(1, 7) for el in find_all(result.html, f"h{level}")]
        assert headings, path.name
        assert all(heading.attrs.get("id") for heading in headings), path.name
        assert len(result.toc) == len(headings)
        assert "$$" not in visible_text(result.html), path.name
        assert result.preview and result.word_count > 0, path.name


def test_formulas_convert_without_errors_or_leaks():
    md = markdown_parser()
    total = failed = 0
    failures = []
    for path, meta, body in dev_articles():
        for source, display in _formulas(md.parse(body, {"language": _language(meta)})):
            total += 1
            try:
                convert_latex(source, display=display)
            except MathError as error:
                failed += 1
                failures.append((path.name, source[:60], str(error)[:60]))
    rate = (total - failed) / total
    print(f"formulas: {total}, clean: {100 * rate:.2f}%")
    assert total > 2000
    assert rate >= 0.99, failures[:20]


@pytest.mark.parametrize("name", ["softmax-regression"])
def test_real_hard_case_renders_as_math(name):
    matches = [body for path, _meta, body in dev_articles() if name in path.name]
    html = render_article(matches[0], language="zh-hans").html
    assert "猫" in html
    assert len(find_all(html, "math")) > 50

"""Citations from BibTeX in Pandoc's syntax, with a References list (docs/markdown.md)."""

import re
import time

import pytest

from articles.rendering.citations import parse_bibliography
from articles.rendering.pipeline import render_article

BIB = """
```bibtex
@article{vaswani2017,
  title = {Attention Is All You Need},
  author = {Vaswani, Ashish and Shazeer, Noam and Parmar, Niki},
  journal = {NeurIPS}, year = {2017}, doi = {10.5555/3295222}
}
@book{knuth1984, author = {Knuth, Donald E.}, title = {The TeXbook},
  publisher = {Addison-Wesley}, year = {1984}, url = {https://example.org/texbook}}
```
"""


def citations(html_text):
    return re.findall(r'<a class="citation" href="#ref-([^"]+)"[^>]*>([^<]+)</a>', html_text)


def references(html_text):
    return re.findall(r'<li id="ref-([^"]+)">', html_text)


def test_author_year_citations_with_locators_and_groups(settings):
    settings.CITATION_STYLE = "author-year"
    result = render_article(
        "As shown [@vaswani2017, p. 3], and [see @knuth1984; @vaswani2017]. @knuth1984 says so."
        + BIB
    )
    assert citations(result.html) == [
        ("vaswani2017", "Vaswani et al., 2017, p. 3"),
        ("knuth1984", "Knuth, 1984"),
        ("vaswani2017", "Vaswani et al., 2017"),
        ("knuth1984", "Knuth (1984)"),
    ]
    assert "(<a" in result.html and "see <a" in result.html
    # Sorted by author in the author-year style.
    assert references(result.html) == ["knuth1984", "vaswani2017"]
    assert '<h2 id="references">References</h2>' in result.html
    assert 'href="https://doi.org/10.5555/3295222"' in result.html
    assert 'href="https://example.org/texbook"' in result.html
    assert "```" not in result.html and "@article" not in result.html


def test_numeric_citations_number_by_first_use(settings):
    settings.CITATION_STYLE = "numeric"
    result = render_article("First [@knuth1984], then [@vaswani2017, ch. 2; @knuth1984]." + BIB)
    assert [text for _, text in citations(result.html)] == ["1", "2, ch. 2", "1"]
    assert references(result.html) == ["knuth1984", "vaswani2017"]
    assert '<span class="reference-number">[1]</span>' in result.html
    assert 'First <span class="citation-group">[<a' in result.html
    assert "then [2, ch. 2; 1]." in result.preview


def test_unknown_keys_are_marked_and_listed():
    result = render_article("Cite [@nobody] and [@knuth1984]." + BIB)
    assert '<span class="citation-missing"' in result.html
    assert "[@nobody?]" in result.html
    assert any("nobody" in problem for problem in result.problems)


def test_site_bibliography_is_used_and_the_article_wins_on_a_clash():
    site = "@book{knuth1984, author={Someone, Else}, title={Wrong}, year={1900}}\n" + (
        "@book{only_site, author={Site, Sam}, title={Site book}, year={2001}}"
    )
    result = render_article("[@knuth1984] [@only_site]" + BIB, bibliography=site)
    assert [text for _, text in citations(result.html)] == ["Knuth, 1984", "Site, 2001"]


def test_chinese_articles_name_the_list_and_shorten_author_lists():
    result = render_article("引用[@vaswani2017]。" + BIB, language="zh-hans")
    assert "参考文献" in result.html
    assert "Vaswani 等, 2017" in result.html


def test_a_bare_at_word_that_is_no_key_stays_text():
    result = render_article("Ping @vaswani and @knuth1984." + BIB)
    assert "@vaswani" in result.html
    assert citations(result.html) == [("knuth1984", "Knuth (1984)")]


def test_a_broken_entry_is_a_problem_with_its_line_and_the_others_still_work():
    body = (
        "Line one [@good].\n\n```bibtex\n@article{good, title={G}, year={2020}}\n"
        "@article{bad,\n```\n"
    )
    result = render_article(body)
    assert citations(result.html)
    assert any("line 5" in problem for problem in result.problems), result.problems


def test_hostile_bibliography_fields_are_escaped_and_unsafe_urls_dropped():
    hostile = (
        "[@x]\n\n```bibtex\n@misc{x, title={<script>alert(1)</script><img src=x onerror=alert(1)>},"
        " author={<b>Evil</b>}, url={javascript:alert(1)}, howpublished={<iframe>}, year=2020}\n```"
    )
    result = render_article(hostile)
    assert "<script" not in result.html and "<iframe" not in result.html
    assert not re.search(r"<img[^>]*onerror", result.html)
    assert "javascript:" not in result.html
    assert "&lt;script&gt;" in result.html
    assert any("http" in problem for problem in result.problems)


def test_a_one_megabyte_abstract_is_parsed_in_linear_time():
    def entry(size):
        return f"@article{{big, title={{T}}, year={{2020}}, abstract={{{'word ' * size}}}}}"

    def timed(size):
        parse_bibliography.cache_clear()
        start = time.process_time()
        entries, _ = parse_bibliography(entry(size))
        assert "big" in entries
        return time.process_time() - start

    small, large = timed(50_000), timed(200_000)  # about 250 KB and 1 MB
    assert large < 6 * max(small, 0.01)
    result = render_article("[@big]\n\n```bibtex\n" + entry(200_000) + "\n```")
    assert "word word" not in result.html


@pytest.mark.parametrize("style", ["author-year", "numeric"])
def test_previews_read_citations_as_their_labels(settings, style):
    settings.CITATION_STYLE = style
    result = render_article("Known since [@knuth1984]." + BIB)
    expected = "(Knuth, 1984)" if style == "author-year" else "[1]"
    assert f"Known since {expected}." in result.preview

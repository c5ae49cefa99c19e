"""Labels, references and citations survive import, export and re-import (docs/markdown.md)."""

import io
import re
from collections import Counter

import pytest
from django.core.management import call_command

from articles.models import Article
from tests.corpus import require_corpus
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

SCHOLARLY = (
    "See @eq-e, @fig-p and @tbl-t, as [@k, p. 2] showed.\n\n"
    "$$E = mc^2 \\label{eq:e}$$\n\n"
    "![A plot](/static/demo/attention-heatmap.png){#fig-p}\n\n"
    "| a |\n|---|\n| 1 |\n\n: A table {#tbl-t}\n\n"
    "```bibtex\n@book{k, author={Knuth, Donald}, title={T}, publisher={AW}, year={1984}}\n```\n"
)


def numbered(article):
    return re.findall(r'class="(?:xref|citation)"[^>]*>([^<]+)<', article.body_html)


def test_export_and_reimport_keep_numbers_and_citations(tmp_path):
    ArticleFactory(title="Scholarly", slug="scholarly", body=SCHOLARLY)
    before = numbered(Article.objects.get(slug="scholarly"))
    assert before == ["Equation (1)", "Figure 1", "Table 1", "Knuth, 1984, p. 2"]
    call_command("export_markdown", str(tmp_path / "out"), stdout=io.StringIO())
    exported = (tmp_path / "out" / "scholarly" / "index.md").read_text(encoding="utf-8")
    assert "\\label{eq:e}" in exported and "{#fig-p}" in exported and "```bibtex" in exported
    Article.objects.all().delete()
    call_command("import_markdown", str(tmp_path / "out"), stdout=io.StringIO())
    assert numbered(Article.objects.get(slug="scholarly")) == before


def test_problems_are_stored_with_the_article_and_cleared_when_fixed():
    article = ArticleFactory(body="See @fig-missing and [@nobody].")
    assert len(article.render_problems) == 2
    article.body = "Nothing to see."
    article.save()
    assert article.render_problems == []


def test_d2l_chapters_resolve_their_own_references():
    """Count d2l references that point inside their own chapter, and how many now resolve."""
    folder = require_corpus("dev")
    call_command("import_markdown", str(folder), stdout=io.StringIO(), stderr=io.StringIO())
    counts = Counter()
    for article in Article.objects.filter(source_key__contains="d2l"):
        html_text = article.body_html
        targets = set(re.findall(r'id="((?:eq|fig|tbl)-[^"]+)"', html_text))
        resolved = re.findall(r'class="xref" href="#((?:eq|fig|tbl)-[^"]+)"', html_text)
        missing = re.findall(r'title="Unknown label: ((?:eq|fig|tbl)-[^"]+)"', html_text)
        for key in resolved:
            assert key in targets
            counts["resolved"] += 1
        counts["missing"] += len(missing)
    # Every figure, table and equation a chapter labels and refers to itself resolves;
    # what stays missing points to other chapters of the book.
    assert counts["resolved"] > 50, counts
    print(f"d2l references resolved within their chapter: {dict(counts)}")


def test_pandoc_bibliography_files_come_along_with_a_post(tmp_path):
    post = tmp_path / "posts" / "cited.md"
    post.parent.mkdir()
    post.write_text(
        "---\ntitle: Cited\nbibliography: refs.bib\n---\n\nAs [@knuth1984] wrote.\n",
        encoding="utf-8",
    )
    (post.parent / "refs.bib").write_text(
        "@book{knuth1984, author={Knuth, Donald E.}, title={The TeXbook},"
        " publisher={AW}, year={1984}}\n",
        encoding="utf-8",
    )
    call_command("import_markdown", str(tmp_path / "posts"), stdout=io.StringIO())
    article = Article.objects.get(title="Cited")
    assert "```bibtex\n@book{knuth1984" in article.body
    assert "Knuth, 1984" in article.body_html and article.render_problems == []


def test_a_missing_bibliography_file_is_a_warning_naming_it(tmp_path):
    post = tmp_path / "posts" / "lost.md"
    post.parent.mkdir()
    post.write_text("---\ntitle: Lost\nbibliography: nowhere.bib\n---\n\nText.\n")
    err = io.StringIO()
    call_command("import_markdown", str(tmp_path / "posts"), stdout=io.StringIO(), stderr=err)
    assert "nowhere.bib" in err.getvalue()
    assert Article.objects.filter(title="Lost").exists()

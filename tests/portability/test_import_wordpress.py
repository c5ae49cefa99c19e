import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.models import Article, Category
from articles.portability.entries import category_path
from articles.portability.wordpress import html_to_markdown

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "wordpress"


def run(name, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_wordpress", str(FIXTURES / name), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_posts_and_pages_are_imported():
    out, err = run("blog.xml")
    assert "created         4" in out
    assert "Deleted post: skipped: WordPress status 'trash'" in err
    titles = set(Article.objects.values_list("title", flat=True))
    assert titles == {"Sorting in Python", "欧拉公式", "Unfinished thoughts", "About"}


def test_post_fields():
    run("blog.xml")
    post = Article.objects.get(title="Sorting in Python")
    assert post.slug == "sorting-in-python"
    assert post.source_key == "wp:https://numbers.example/?p=10"
    assert post.status == Article.Status.PUBLISHED
    assert post.published_at == datetime(2023, 11, 3, 10, tzinfo=UTC)
    assert post.content_updated_at == datetime(2023, 11, 5, 9, 30, tzinfo=UTC)
    assert sorted(post.tags.names()) == ["sorting", "tips"]
    assert category_path(post.category) == ["Programming", "Python"]
    assert post.summary == "How Python sorts & why it is stable."
    assert post.language == "en"
    author = post.author
    assert (author.username, author.get_full_name(), author.email) == (
        "ada",
        "Ada Lovelace",
        "ada@numbers.example",
    )
    assert author.is_staff and author.groups.filter(name="Authors").exists()


def test_body_becomes_markdown_with_math_code_and_excerpt_marker():
    run("blog.xml")
    body = Article.objects.get(title="Sorting in Python").body
    assert body.startswith("Python sorts lists with **Timsort**")
    assert "\n\nIt runs in $O(n \\log n)$ time" in body
    assert "```python\ndef by_length(words):\n    return sorted(words, key=len)  # keeps" in body
    assert "\n\n<!-- more -->\n\n## Keys\n\nA key function" in body
    assert "- len\n- str.lower" in body
    html = Article.objects.get(title="Sorting in Python").body_html
    assert html.count("<math") == 1
    assert html.count('class="highlight"') == 1


def test_chinese_slug_is_decoded_and_shortcodes_are_unescaped():
    run("blog.xml")
    post = Article.objects.get(slug="欧拉公式")
    assert post.language == "zh-hans"
    assert post.author.username == "li"
    assert category_path(post.category) == ["数学"]
    assert "$e^{i\\pi} + 1 = 0$" in post.body
    assert "bg=" not in post.body
    assert "\\begin{pmatrix} 1 & 0 \\\\ 0 & 1 \\end{pmatrix}" in post.body
    assert "```js\nconst z = Math.exp(1) ** 2;\nif (z < 10 && z > 1)" in post.body
    assert "wp:paragraph" not in post.body
    assert post.body_html.count("<math") == 2


def test_drafts_private_pages_and_hierarchy():
    run("blog.xml")
    draft = Article.objects.get(title="Unfinished thoughts")
    assert draft.status == Article.Status.DRAFT
    assert draft.published_at is None
    assert draft.slug == "unfinished-thoughts"
    page = Article.objects.get(title="About")
    assert page.status == Article.Status.DRAFT  # private
    assert page.body == "This blog is about *numbers*."
    python = Category.objects.get(name="Python")
    assert python.parent.name == "Programming"
    assert not Category.objects.filter(name="Uncategorized").exists()


def test_reimport_is_idempotent():
    run("blog.xml")
    keys = dict(Article.objects.values_list("source_key", "pk"))
    out, _ = run("blog.xml")
    assert "unchanged       4" in out
    assert dict(Article.objects.values_list("source_key", "pk")) == keys
    assert get_user_model().objects.count() == 2


def test_dry_run_and_options():
    out, _ = run("blog.xml", "--dry-run")
    assert "Dry run" in out and "created         4" in out
    assert Article.objects.count() == 0
    run("blog.xml", "--status", "draft", "--category", "Archive")
    assert set(Article.objects.values_list("status", flat=True)) == {"draft"}
    assert {category_path(a.category)[0] for a in Article.objects.all()} == {"Archive"}


@pytest.mark.parametrize("name", ["billion-laughs.xml", "external-entity.xml"])
def test_hostile_xml_fails_cleanly(name):
    with pytest.raises(CommandError, match="refused unsafe XML: it declares the entity"):
        run(name)
    assert Article.objects.count() == 0


def test_broken_xml_and_missing_file_fail_with_a_message(tmp_path):
    broken = tmp_path / "broken.xml"
    broken.write_text("<rss><channel><item></channel></rss>")
    with pytest.raises(CommandError, match="not well-formed XML"):
        call_command("import_wordpress", str(broken), stdout=io.StringIO())
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_wordpress", str(tmp_path / "nope.xml"), stdout=io.StringIO())
    other = tmp_path / "other.xml"
    other.write_text("<feed/>")
    with pytest.raises(CommandError, match="not a WordPress export"):
        call_command("import_wordpress", str(other), stdout=io.StringIO())


def test_html_conversion_of_classic_editor_text():
    html = 'One line\nsecond line\n\n<pre class="x">a_b * c</pre>\n\n[code]plain[/code]'
    expected = "One line  \nsecond line\n\n```\na_b * c\n```\n\n```\nplain\n```"
    assert html_to_markdown(html) == expected

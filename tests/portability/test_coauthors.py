"""Co-authors moving in and out: `authors:` front matter, notebooks, WordPress, --author."""

import io
from pathlib import Path

import nbformat
import pytest
import yaml
from django.contrib.auth import get_user_model
from django.core.management import call_command
from nbformat.v4 import new_markdown_cell, new_notebook

from articles.models import Article
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

WORDPRESS = Path(__file__).resolve().parent / "fixtures" / "wordpress" / "blog.xml"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def run(command, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command(command, *map(str, args), stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def usernames(article):
    return [person.username for person in article.byline]


def front_matter(path):
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def write(folder, name, text):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_export_writes_authors_in_byline_order_and_import_reads_them_back(tmp_path):
    lin, maya, kai = (UserFactory(username=name) for name in ("lin", "maya", "kai"))
    shared = ArticleFactory(author=lin, coauthors=[kai, maya], slug="shared")
    ArticleFactory(author=maya, slug="alone")
    run("export_markdown", tmp_path / "out")
    assert front_matter(tmp_path / "out" / "shared" / "index.md")["authors"] == [
        "lin",
        "kai",
        "maya",
    ]
    alone = front_matter(tmp_path / "out" / "alone" / "index.md")
    assert alone["author"] == "maya" and "authors" not in alone

    # Into an empty site with the same people: the same bylines come back.
    Article.objects.all().delete()
    assert "created         2" in run("import_markdown", tmp_path / "out")
    assert usernames(Article.objects.get(slug="shared")) == ["lin", "kai", "maya"]
    assert usernames(Article.objects.get(slug="alone")) == ["maya"]
    # And again: nothing changed, so nothing is rewritten.
    assert "unchanged       2" in run("import_markdown", tmp_path / "out")
    assert shared.title == Article.objects.get(slug="shared").title


def test_import_accepts_a_list_in_author_or_authors_and_creates_people(tmp_path):
    write(tmp_path, "a.md", "---\ntitle: A\nslug: a\nauthor: [Lin Wei, Maya Fischer]\n---\nText.")
    write(
        tmp_path,
        "b.md",
        "---\ntitle: B\nslug: b\nauthor: lin\nauthors: [lin, {name: Kai Ren, email: k@x.org}]\n"
        "---\nText.",
    )
    UserFactory(username="lin")
    run("import_markdown", tmp_path)
    a = Article.objects.get(slug="a")
    assert [person.name for person in a.byline][1:] == ["Maya Fischer"]
    assert usernames(Article.objects.get(slug="b")) == ["lin", "kai-ren"]
    kai = get_user_model().objects.get(username="kai-ren")
    assert kai.is_staff and kai.email == "k@x.org"


def test_reimport_follows_the_file(tmp_path):
    UserFactory(username="lin")
    UserFactory(username="maya")
    path = write(tmp_path, "a.md", "---\ntitle: A\nslug: a\nauthors: [lin, maya]\n---\nText.")
    run("import_markdown", tmp_path)
    path.write_text("---\ntitle: A\nslug: a\nauthor: lin\n---\nText.", encoding="utf-8")
    assert "updated         1" in run("import_markdown", tmp_path)
    assert usernames(Article.objects.get()) == ["lin"]


def test_author_option_credits_one_person_only(tmp_path):
    UserFactory(username="lin")
    UserFactory(username="maya")
    UserFactory(username="desk")
    write(tmp_path, "a.md", "---\ntitle: A\nslug: a\nauthors: [lin, maya]\n---\nText.")
    run("import_markdown", tmp_path, "--author", "desk")
    assert usernames(Article.objects.get()) == ["desk"]


def test_wordpress_keeps_coauthors_added_on_the_site():
    run("import_wordpress", WORDPRESS)
    post = Article.objects.get(title="Sorting in Python")
    helper = UserFactory(username="helper")
    post.set_coauthors([helper])
    # dc:creator names one person; a re-import must not drop the co-author added here.
    run("import_wordpress", WORDPRESS)
    assert usernames(Article.objects.get(pk=post.pk)) == [post.author.username, "helper"]


def test_notebook_authors_are_all_credited(tmp_path):
    book = new_notebook(cells=[new_markdown_cell("# Gradients\n\nSome text.")])
    book.metadata["authors"] = [{"name": "Lin Wei"}, {"name": "Maya Fischer"}]
    path = tmp_path / "gradients.ipynb"
    path.write_text(nbformat.writes(book), encoding="utf-8")
    run("import_notebook", path)
    assert [person.name for person in Article.objects.get().byline] == ["Lin Wei", "Maya Fischer"]

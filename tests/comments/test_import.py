"""Imports bring comments: WordPress's approved ones, and Markdown sidecar files."""

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.models import Article, Comment, CommentStatus
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def run(command, *args):
    call_command(command, *map(str, args), stdout=io.StringIO(), stderr=io.StringIO())


def test_wordpress_brings_approved_comments_with_replies_dates_and_names():
    run("import_wordpress", FIXTURES / "comments.xml")
    article = Article.objects.get(slug="sorting-in-python")
    comments = list(Comment.objects.filter(article=article).order_by("created_at"))
    assert [c.name for c in comments] == ["Lin", "Ada Lovelace", "Lin"]
    assert all(c.status == CommentStatus.APPROVED for c in comments)
    first, answer, thanks = comments
    assert first.parent is None and answer.parent == first
    assert thanks.parent == first  # a reply to a reply joins the thread
    assert answer.created_at == datetime(2023, 11, 4, 9, tzinfo=UTC)
    assert "`sorted`" in first.body and "<code>sorted</code>" in first.body_html
    assert thanks.body == "Thanks & noted!"
    assert first.website == "https://lin.example" and thanks.website == ""
    assert first.email == "lin@example.com"
    # Running the import again updates; it adds no copies.
    run("import_wordpress", FIXTURES / "comments.xml")
    assert Comment.objects.count() == 3


def test_imported_comments_show_on_the_page(client):
    run("import_wordpress", FIXTURES / "comments.xml")
    html = client.get(Article.objects.get().get_absolute_url()).content.decode()
    assert "3 comments" in html and "Timsort is stable" in html
    assert "cheap pills" not in html and "not yet" not in html


def test_a_markdown_sidecar_brings_comments(tmp_path):
    (tmp_path / "post.md").write_text(
        "---\ntitle: Softmax\nslug: softmax\ndate: 2024-01-02\n---\n\nText.\n", encoding="utf-8"
    )
    (tmp_path / "post.comments.yaml").write_text(
        "- id: a\n  name: 张三\n  date: 2024-01-03T08:00:00Z\n  body: 为什么要减去 $\\max x$？\n"
        "- id: b\n  parent: a\n  name: Ada\n  email: ada@example.com\n"
        "  date: 2024-01-03T09:00:00Z\n"
        "  body: |\n    Overflow:\n\n    ```python\n    x - x.max()\n    ```\n"
        "- id: c\n  name: Nobody\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    call_command("import_markdown", str(tmp_path), stdout=out, stderr=out)
    article = Article.objects.get(slug="softmax")
    comments = list(article.comments.order_by("created_at"))
    assert [c.name for c in comments] == ["张三", "Ada"]
    assert comments[1].parent == comments[0]
    assert "<math" in comments[0].body_html and "highlight" in comments[1].body_html
    assert "comment 3 has no body" in out.getvalue()


def test_a_broken_sidecar_is_reported_and_the_article_still_imports(tmp_path):
    (tmp_path / "post.md").write_text("---\ntitle: T\nslug: t\n---\n\nText.\n", encoding="utf-8")
    (tmp_path / "post.comments.yml").write_text("- [unclosed\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import_markdown", str(tmp_path), stdout=out, stderr=out)
    assert Article.objects.filter(slug="t").exists()
    assert "not readable YAML" in out.getvalue()


def test_a_sidecar_reply_by_a_site_account_is_linked_and_marked_like_one_posted_here(tmp_path):
    UserFactory(username="ada", role="Authors")
    UserFactory(username="lin", role="Authors")
    (tmp_path / "post.md").write_text("---\ntitle: T\nslug: t\n---\n\nText.\n", encoding="utf-8")
    (tmp_path / "post.comments.yaml").write_text(
        "- {id: 1, name: Reader, body: A question.}\n"
        "- {id: 2, parent: 1, user: ada, name: Ada, body: The author answers.}\n"
        "- {id: 3, parent: 1, user: lin, name: Lin, body: Another author, not this one's.}\n"
        "- {id: 4, user: ghost, name: Ghost, body: No such account.}\n",
        encoding="utf-8",
    )
    run("import_markdown", tmp_path, "--author", "ada")
    by_name = {c.name: c for c in Comment.objects.filter(article__slug="t")}
    assert by_name["Ada"].user.username == "ada" and by_name["Ada"].is_staff_reply
    assert by_name["Lin"].user.username == "lin" and not by_name["Lin"].is_staff_reply
    assert by_name["Ghost"].user is None and not by_name["Ghost"].is_staff_reply
    assert by_name["Reader"].user is None

import pytest
from django.urls import reverse
from reversion.models import Version

from articles.admin import revisions as history
from articles.models import Article
from tests.admin_forms import form_data
from tests.factories import ArticleFactory, draft

pytestmark = pytest.mark.django_db

CHANGELIST_URL = reverse("admin:articles_article_changelist")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def history_url(article):
    return reverse("admin:articles_article_history", args=[article.pk])


def compare_url(article, old, new):
    url = reverse("admin:articles_article_compare", args=[article.pk])
    return f"{url}?from={old.pk}&to={new.pk}"


def restore_url(article, version):
    return reverse("admin:articles_article_revision", args=[article.pk, version.pk])


def edit(client, article, **changes):
    page = client.get(change_url(article))
    response = client.post(change_url(article), form_data(page, **changes))
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def versions(article):
    return list(history.versions_of(article.pk))


class TestRecording:
    def test_admin_add_records_fields_tags_user_and_time(self, author_client, author):
        response = author_client.post(
            reverse("admin:articles_article_add"),
            {"title": "First", "body": "Hello", "language": "en", "tags": "alpha, beta"},
        )
        assert response.status_code == 302
        article = Article.objects.get()
        [version] = versions(article)
        assert version.revision.user == author
        assert version.revision.date_created is not None
        recorded = history.snapshot(version)
        assert recorded["title"] == "First"
        assert recorded["body"] == "Hello"
        assert recorded["tags"] == "alpha, beta"
        assert recorded["status"] == "draft"

    def test_every_change_adds_a_revision(self, editor_client, editor):
        article = ArticleFactory(title="One", tags=["x"])
        edit(editor_client, article, title="Two")
        edit(editor_client, article, title="Three", tags="x, y")
        newest, older = versions(article)
        assert history.snapshot(older)["title"] == "Two"
        assert history.snapshot(newest)["title"] == "Three"
        assert history.snapshot(newest)["tags"] == "x, y"
        assert newest.revision.user == editor

    def test_publish_and_unpublish_actions_record_revisions(self, editor_client, editor):
        article = draft(title="Action")
        editor_client.post(
            CHANGELIST_URL, {"action": "publish_now", "_selected_action": [article.pk]}
        )
        editor_client.post(
            CHANGELIST_URL, {"action": "unpublish", "_selected_action": [article.pk]}
        )
        unpublished, published = versions(article)
        assert history.snapshot(published)["status"] == "published"
        assert history.snapshot(published)["published_at"]
        assert published.revision.get_comment() == "Published."
        assert history.snapshot(unpublished)["status"] == "draft"
        assert unpublished.revision.user == editor

    def test_code_paths_record_with_the_helper(self, editor):
        with history.recorded(user=editor, comment="Imported."):
            article = ArticleFactory(title="Imported", tags=["z"])
        [version] = versions(article)
        assert version.revision.get_comment() == "Imported."
        assert history.snapshot(version)["tags"] == "z"


class TestHistoryAndDiff:
    def test_history_lists_revisions_with_user(self, editor_client, editor):
        article = ArticleFactory(title="Listed")
        edit(editor_client, article, title="Listed again")
        page = editor_client.get(history_url(article))
        assert page.status_code == 200
        html = page.content.decode()
        assert "editor" in html
        assert html.count('name="from"') == 1
        edit(editor_client, article, title="Listed thrice")
        assert editor_client.get(history_url(article)).content.decode().count('name="to"') == 2

    def test_diff_between_any_two_revisions_is_escaped(self, editor_client):
        with history.recorded():
            article = ArticleFactory(title="Diff", body="line one\nline two\nline three")
        edit(editor_client, article, body="line one\nline 2\nline three")
        edit(
            editor_client,
            article,
            body="line one\n<script>alert(1)</script>\nline three",
            tags="new-tag",
        )
        newest, middle, first = versions(article)
        page = editor_client.get(compare_url(article, first, newest))
        assert page.status_code == 200
        html = page.content.decode()
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "<script>alert(1)" not in html
        assert 'class="diff-delete">-line two' in html
        assert "new-tag" in html
        # Either order of the two picks shows old → new.
        middle_to_first = editor_client.get(compare_url(article, middle, first)).content.decode()
        assert 'class="diff-add">+line 2' in middle_to_first

    def test_compare_refuses_versions_of_another_article(self, editor_client):
        one, other = ArticleFactory(), ArticleFactory()
        edit(editor_client, one, title="One again")
        edit(editor_client, other, title="Other again")
        [theirs] = versions(other)
        [mine] = versions(one)
        assert editor_client.get(compare_url(one, mine, theirs)).status_code == 404
        url = reverse("admin:articles_article_compare", args=[one.pk])
        assert editor_client.get(url + "?from=x&to=1").status_code == 404

    def test_authors_see_history_of_their_own_articles_only(
        self, author_client, author, other_author
    ):
        mine = draft(author=author, title="Mine")
        edit(author_client, mine, title="Mine, edited")
        theirs = draft(author=other_author, title="Theirs")
        with history.recorded(user=other_author):
            theirs.save()
        assert author_client.get(history_url(mine)).status_code == 200
        assert author_client.get(history_url(theirs)).status_code == 404
        [version] = versions(theirs)
        assert author_client.get(compare_url(theirs, version, version)).status_code == 404


class TestRestore:
    def test_editor_restores_an_old_revision_as_a_new_one(self, editor_client, editor):
        article = ArticleFactory(title="Original", body="first body", tags=["keep"])
        edit(editor_client, article, title="Original")
        edit(editor_client, article, title="Changed", body="second body", tags="other")
        _newest, oldest = versions(article)
        page = editor_client.get(restore_url(article, oldest))
        assert page.status_code == 200
        assert "first body" in page.content.decode()
        response = editor_client.post(restore_url(article, oldest), form_data(page))
        assert response.status_code == 302
        article.refresh_from_db()
        assert article.title == "Original"
        assert article.body == "first body"
        assert list(article.tags.names()) == ["keep"]
        assert "first body" in article.body_html
        assert len(versions(article)) == 3
        assert "Reverted" in versions(article)[0].revision.get_comment()

    def test_author_cannot_restore_a_published_state(self, author_client, author, editor):
        article = draft(author=author, title="Was live")
        with history.recorded(user=editor):
            article.status = Article.Status.PUBLISHED
            article.save()
        with history.recorded(user=editor):
            article.status = Article.Status.DRAFT
            article.title = "Back to draft"
            article.save()
        _, published = versions(article)
        response = author_client.post(restore_url(article, published), {})
        assert response.status_code == 302
        article.refresh_from_db()
        assert article.status == Article.Status.DRAFT
        assert article.title == "Back to draft"
        assert "Restore" not in author_client.get(history_url(article)).content.decode().split(
            "<tbody>"
        )[1].split("</tbody>")[0].replace("Review and restore", "")

    def test_author_cannot_restore_another_author_s_article(self, author_client, other_author):
        theirs = draft(author=other_author, title="Theirs")
        with history.recorded(user=other_author):
            theirs.save()
        theirs.title = "Theirs, edited"
        theirs.save()
        [version] = versions(theirs)
        response = author_client.post(restore_url(theirs, version), {"title": "Mine now"})
        assert response.status_code == 403
        theirs.refresh_from_db()
        assert theirs.title == "Theirs, edited"


class TestRecoverDeleted:
    def test_delete_then_recover_brings_back_body_and_tags(self, editor_client):
        article = ArticleFactory(title="Doomed", body="precious **words**", tags=["a", "b"])
        delete_url = reverse("admin:articles_article_delete", args=[article.pk])
        assert editor_client.post(delete_url, {"post": "yes"}).status_code == 302
        assert not Article.objects.filter(pk=article.pk).exists()

        listing = editor_client.get(reverse("admin:articles_article_recoverlist"))
        assert "Doomed" in listing.content.decode()
        [version] = Version.objects.get_deleted(Article)
        recover_url = reverse("admin:articles_article_recover", args=[version.pk])
        page = editor_client.get(recover_url)
        assert page.status_code == 200
        assert "precious **words**" in page.content.decode()
        assert not Article.objects.filter(pk=article.pk).exists()

        assert editor_client.post(recover_url, form_data(page)).status_code == 302
        recovered = Article.objects.get(pk=article.pk)
        assert recovered.body == "precious **words**"
        assert sorted(recovered.tags.names()) == ["a", "b"]
        assert "<strong>words</strong>" in recovered.body_html

    def test_bulk_delete_is_recoverable(self, editor_client):
        one, two = ArticleFactory(tags=["t1"]), ArticleFactory(tags=["t2"])
        editor_client.post(
            CHANGELIST_URL,
            {"action": "delete_selected", "_selected_action": [one.pk, two.pk], "post": "yes"},
        )
        assert not Article.objects.exists()
        for version in Version.objects.get_deleted(Article):
            version.revision.revert(delete=True)
        assert sorted(Article.objects.values_list("tags__name", flat=True)) == ["t1", "t2"]

    def test_authors_recover_only_their_own_drafts(self, author_client, author, other_author):
        mine = draft(author=author, title="My lost draft")
        theirs = draft(author=other_author, title="Their lost draft")
        history.record_deletion([mine, theirs])
        mine.delete()
        theirs.delete()
        listing = author_client.get(reverse("admin:articles_article_recoverlist")).content.decode()
        assert "My lost draft" in listing
        assert "Their lost draft" not in listing
        their_version = next(
            v for v in Version.objects.get_deleted(Article) if v.object_repr == "Their lost draft"
        )
        url = reverse("admin:articles_article_recover", args=[their_version.pk])
        assert author_client.post(url, {"title": "x", "body": "y"}).status_code == 403
        assert not Article.objects.filter(title="Their lost draft").exists()


class TestRestoreKeepsTheBodyExactly:
    def test_restoring_keeps_the_trailing_newline(self, editor_client, editor):
        body = "first body\n\n```\ncode\n```\n"
        article = ArticleFactory(title="Original", body=body)
        edit(editor_client, article, title="Original")
        edit(editor_client, article, title="Changed", body="second body\n")
        _newest, oldest = versions(article)
        assert history.snapshot(oldest)["body"] == body
        page = editor_client.get(restore_url(article, oldest))
        response = editor_client.post(restore_url(article, oldest), form_data(page))
        assert response.status_code == 302
        article.refresh_from_db()
        assert article.body == body

    def test_an_edit_keeps_leading_and_trailing_whitespace(self, editor_client, editor):
        article = ArticleFactory(title="Original", body="x")
        edit(editor_client, article, body="    indented code\n\ntext\n")
        article.refresh_from_db()
        assert article.body == "    indented code\n\ntext\n"

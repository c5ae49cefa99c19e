"""What a co-author may do on the desk: edit, autosave, preview, upload, submit; not delete."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from articles.models import Article, ArticleAutosave, PreviewLink, ReviewEvent
from tests.admin_forms import form_data
from tests.factories import ArticleFactory, UserFactory, draft

pytestmark = pytest.mark.django_db

CHANGELIST_URL = reverse("admin:articles_article_changelist")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


@pytest.fixture
def owner(db):
    return UserFactory(username="lin", role="Authors", email="lin@example.org")


@pytest.fixture
def coauthor(db):
    return UserFactory(username="maya", role="Authors", email="maya@example.org")


@pytest.fixture
def outsider(db):
    return UserFactory(username="kai", role="Authors")


@pytest.fixture
def shared(owner, coauthor):
    return draft(author=owner, coauthors=[coauthor], title="Written by two", body="First.")


def png():
    buffer = BytesIO()
    Image.new("RGB", (30, 20), (40, 90, 200)).save(buffer, "PNG")
    return SimpleUploadedFile("figure.png", buffer.getvalue(), content_type="image/png")


class TestCoauthor:
    def test_sees_and_edits_the_shared_draft(self, client, coauthor, shared):
        client.force_login(coauthor)
        assert "Written by two" in client.get(CHANGELIST_URL).content.decode()
        response = client.post(
            change_url(shared), form_data(client.get(change_url(shared)), body="Second.")
        )
        assert response.status_code == 302
        shared.refresh_from_db()
        assert shared.body == "Second."
        # Editing changes nothing about who wrote it.
        assert shared.author.username == "lin"
        assert [person.username for person in shared.byline] == ["lin", "maya"]

    def test_autosaves_their_own_copy(self, client, coauthor, owner, shared):
        client.force_login(coauthor)
        url = reverse("admin:articles_article_autosave", args=[shared.pk])
        assert client.post(url, {"title": "T", "body": "Unsaved."}).status_code == 200
        assert ArticleAutosave.objects.get(article=shared, user=coauthor).body == "Unsaved."
        assert not ArticleAutosave.objects.filter(user=owner).exists()
        discard = reverse("admin:articles_article_discard_autosave", args=[shared.pk])
        assert client.post(discard).status_code == 200

    def test_previews_and_makes_secret_links(self, client, coauthor, shared):
        client.force_login(coauthor)
        assert client.get(shared.get_absolute_url()).status_code == 200
        url = reverse("admin:articles_article_create_link", args=[shared.pk])
        assert client.post(url).status_code == 302
        assert PreviewLink.objects.get().article == shared

    def test_uploads_images(self, client, coauthor, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        client.force_login(coauthor)
        response = client.post(
            reverse("markdownx_upload"),
            {"image": png()},
            headers={"x-requested-with": "XMLHttpRequest"},
        )
        assert response.status_code == 200
        assert response.json()["image_code"].startswith("![](")

    def test_submits_for_review(self, client, coauthor, shared):
        client.force_login(coauthor)
        data = form_data(client.get(change_url(shared)), _review="submit", review_text="Ready.")
        assert client.post(change_url(shared), data).status_code == 302
        event = ReviewEvent.objects.get()
        assert (event.user, event.kind) == (coauthor, ReviewEvent.Kind.SUBMITTED)

    def test_cannot_delete_the_draft(self, client, coauthor, shared):
        client.force_login(coauthor)
        delete_url = reverse("admin:articles_article_delete", args=[shared.pk])
        assert client.post(delete_url, {"post": "yes"}).status_code == 403
        # Nor through the list's bulk action.
        client.post(
            CHANGELIST_URL,
            {"action": "delete_selected", "_selected_action": [shared.pk], "post": "yes"},
        )
        assert Article.objects.filter(pk=shared.pk).exists()

    def test_the_author_can_delete_it(self, client, owner, shared):
        client.force_login(owner)
        delete_url = reverse("admin:articles_article_delete", args=[shared.pk])
        assert client.post(delete_url, {"post": "yes"}).status_code == 302
        assert not Article.objects.filter(pk=shared.pk).exists()

    def test_cannot_edit_it_once_published(self, client, coauthor, owner):
        live = ArticleFactory(author=owner, coauthors=[coauthor], title="Live")
        client.force_login(coauthor)
        response = client.post(change_url(live), {"title": "Changed", "body": "x"})
        assert response.status_code == 403
        live.refresh_from_db()
        assert live.title == "Live"


class TestAuthorWhoIsNotACoauthor:
    def test_cannot_see_edit_or_preview_it(self, client, outsider, shared):
        client.force_login(outsider)
        assert "Written by two" not in client.get(CHANGELIST_URL).content.decode()
        response = client.post(change_url(shared), {"title": "Hijacked", "body": "x"})
        assert response.status_code in (302, 403, 404)
        shared.refresh_from_db()
        assert shared.title == "Written by two"
        assert client.get(shared.get_absolute_url()).status_code == 404

    def test_cannot_autosave_or_make_links(self, client, outsider, shared):
        client.force_login(outsider)
        autosave = reverse("admin:articles_article_autosave", args=[shared.pk])
        assert client.post(autosave, {"title": "T", "body": "x"}).status_code == 403
        link = reverse("admin:articles_article_create_link", args=[shared.pk])
        assert client.post(link).status_code == 403
        assert not ArticleAutosave.objects.exists()
        assert not PreviewLink.objects.exists()

    def test_an_anonymous_visitor_cannot_upload(self, client, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        response = client.post(reverse("markdownx_upload"), {"image": png()})
        assert response.status_code == 302
        assert not any(tmp_path.iterdir())

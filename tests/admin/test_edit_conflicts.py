import pytest
from django.test import Client
from django.urls import reverse

from articles.admin import revisions as history
from articles.models import Article
from tests.admin_forms import form_data
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


@pytest.fixture
def two_editors(db):
    """Two editors, each logged in with their own session."""
    clients = []
    for username, last_name in (("ada", "Lovelace"), ("grace", "Hopper")):
        user = UserFactory(username=username, first_name=username.title(), last_name=last_name)
        user.is_staff = True
        user.save()
        user.groups.add(*UserFactory(username="editor", role="Editors").groups.all())
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


def test_the_form_carries_the_version_it_was_opened_with(editor_client):
    article = ArticleFactory()
    page = editor_client.get(change_url(article))
    html = page.content.decode()
    assert 'type="hidden" name="loaded_version"' in html
    assert form_data(page)["loaded_version"] == article.updated_at.isoformat()


def test_second_save_is_refused_and_keeps_the_text(two_editors):
    ada, grace = two_editors
    article = ArticleFactory(title="Shared", body="The original text.")
    ada_page = ada.get(change_url(article))
    grace_page = grace.get(change_url(article))

    assert grace.post(change_url(article), form_data(grace_page, body="Grace's text.")).status_code
    article.refresh_from_db()
    assert article.body == "Grace's text."

    response = ada.post(change_url(article), form_data(ada_page, body="Ada's careful edit."))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Grace Hopper saved this article at" in html
    assert "Nothing was saved" in html
    # Ada's text is still in the form, so nothing she typed is lost.
    assert "Ada&#x27;s careful edit." in html
    article.refresh_from_db()
    assert article.body == "Grace's text."
    assert [v.revision.user.username for v in history.versions_of(article.pk)] == ["grace"]


def test_saving_again_after_the_conflict_is_a_deliberate_overwrite(two_editors):
    ada, grace = two_editors
    article = ArticleFactory(body="v1")
    ada_page = ada.get(change_url(article))
    grace.post(change_url(article), form_data(grace.get(change_url(article)), body="v2"))
    refused = ada.post(change_url(article), form_data(ada_page, body="v1 + Ada"))
    assert refused.status_code == 200
    # The refused form now carries Grace's version, so Ada's merged save goes through.
    merged = form_data(refused, body="v2 + Ada")
    assert ada.post(change_url(article), merged).status_code == 302
    article.refresh_from_db()
    assert article.body == "v2 + Ada"


def test_a_publish_action_after_opening_also_conflicts(two_editors):
    ada, grace = two_editors
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    ada_page = ada.get(change_url(article))
    grace.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_now", "_selected_action": [article.pk]},
    )
    response = ada.post(change_url(article), form_data(ada_page, title="Ada's title"))
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.title != "Ada's title"


def test_unchanged_version_saves_normally(editor_client):
    article = ArticleFactory(title="Solo")
    page = editor_client.get(change_url(article))
    assert (
        editor_client.post(change_url(article), form_data(page, title="Solo 2")).status_code == 302
    )
    page = editor_client.get(change_url(article))
    assert (
        editor_client.post(change_url(article), form_data(page, title="Solo 3")).status_code == 302
    )
    article.refresh_from_db()
    assert article.title == "Solo 3"

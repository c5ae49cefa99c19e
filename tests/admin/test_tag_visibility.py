"""Authors see only tags on published articles and their own; editors see every tag."""

import pytest
from django.conf import settings
from taggit.models import Tag

from tests.factories import ArticleFactory, draft

pytestmark = pytest.mark.django_db

TAGS_URL = f"/{settings.ADMIN_PATH}taggit/tag/"


@pytest.fixture
def tagged(author, other_author):
    ArticleFactory(author=other_author, tags=["public-topic"])
    draft(author=other_author, tags=["secret-plan"])
    draft(author=author, tags=["my-draft-topic"])


def test_an_author_sees_published_and_own_tags_only(author_client, tagged):
    page = author_client.get(TAGS_URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert "public-topic" in html
    assert "my-draft-topic" in html
    assert "secret-plan" not in html


def test_an_author_cannot_open_a_hidden_tag(author_client, tagged):
    secret = Tag.objects.get(name="secret-plan")
    response = author_client.get(f"{TAGS_URL}{secret.pk}/change/", follow=True)
    assert "secret-plan" not in response.content.decode()


def test_an_editor_sees_every_tag(editor_client, tagged):
    html = editor_client.get(TAGS_URL).content.decode()
    for name in ("public-topic", "secret-plan", "my-draft-topic"):
        assert name in html

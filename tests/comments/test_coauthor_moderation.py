"""Co-authors moderate their article's comments and hear about held ones, as its author does."""

import pytest
from django.urls import reverse

from articles.comments.moderation import may_moderate, moderatable_by
from articles.comments.notifications import moderators_of
from articles.models import Comment, CommentStatus
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    return {
        "lin": UserFactory(username="lin", role="Authors", email="lin@example.org"),
        "maya": UserFactory(username="maya", role="Authors", email="maya@example.org"),
        "kai": UserFactory(username="kai", role="Authors", email="kai@example.org"),
    }


@pytest.fixture
def shared(people):
    return ArticleFactory(author=people["lin"], coauthors=[people["maya"]])


def test_who_may_moderate(people, shared):
    assert may_moderate(people["lin"], shared)
    assert may_moderate(people["maya"], shared)
    assert not may_moderate(people["kai"], shared)
    on_shared = Comment.objects.create(article=shared, name="A", body="1")
    Comment.objects.create(article=ArticleFactory(author=people["kai"]), name="B", body="2")
    assert list(moderatable_by(people["maya"])) == [on_shared]


def test_held_comments_are_announced_to_every_author(people, shared):
    people["maya"].is_active = True
    assert moderators_of(shared) == ["lin@example.org", "maya@example.org"]
    people["maya"].is_active = False
    people["maya"].save()
    assert moderators_of(shared) == ["lin@example.org"]


def test_a_coauthor_approves_in_the_admin(client, people, shared):
    held = Comment.objects.create(article=shared, name="Reader", body="Nice.")
    changelist = reverse("admin:articles_comment_changelist")
    client.force_login(people["maya"])
    assert "Nice." in client.get(changelist).content.decode()
    client.post(changelist, {"action": "mark_approve", "_selected_action": [held.pk]})
    assert Comment.objects.get(pk=held.pk).status == CommentStatus.APPROVED

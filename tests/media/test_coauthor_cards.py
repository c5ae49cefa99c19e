"""A co-written article's sharing card names every author, in the article's language."""

import pytest

from articles.models import ArticleCard
from articles.models.cards import card_text
from tests.factories import ArticleFactory, UserFactory, writers

pytestmark = pytest.mark.django_db


def test_card_names_every_author():
    lin, maya, kai = writers()
    english = ArticleFactory(author=lin, coauthors=[maya, kai])
    assert card_text(english).author == "Lin Wei, Maya Fischer and kai"
    chinese = ArticleFactory(author=lin, coauthors=[maya], language="zh-hans")
    assert card_text(chinese).author == "Lin Wei、Maya Fischer"
    assert card_text(ArticleFactory(author=maya)).author == "Maya Fischer"


def test_the_card_is_redrawn_when_a_coauthor_joins(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory(author=UserFactory(username="lin"))
    before = ArticleCard.objects.get(article=article).inputs
    with django_capture_on_commit_callbacks(execute=True):
        article.set_coauthors([UserFactory(username="maya")])
    assert ArticleCard.objects.get(article=article).inputs != before
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        article.set_coauthors([UserFactory(username="maya")])
    assert callbacks == []  # nothing changed, nothing to draw

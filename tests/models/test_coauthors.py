"""Co-authors in the model: byline order, the by_author() vocabulary, set_coauthors()."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError
from django.utils import translation

from articles.models import Article, ArticleAuthor, join_names
from tests.factories import ArticleFactory, draft, scheduled, writers

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return writers()


def test_byline_names_the_author_first_then_coauthors_in_their_order(people):
    lin, maya, kai = people
    article = ArticleFactory(author=lin, coauthors=[kai, maya])
    fresh = Article.objects.get(pk=article.pk)
    assert [person.username for person in fresh.byline] == ["lin", "kai", "maya"]
    # A person without a full name is shown by username, as everywhere else.
    assert [person.name for person in fresh.byline] == ["Lin Wei", "kai", "Maya Fischer"]
    assert fresh.byline[0].url == "/authors/lin/"


def test_positions_decide_the_order_not_the_order_rows_were_added(people):
    lin, maya, kai = people
    article = ArticleFactory(author=lin)
    ArticleAuthor.objects.create(article=article, user=maya, position=5)
    ArticleAuthor.objects.create(article=article, user=kai, position=2)
    listed = Article.objects.with_byline().get(pk=article.pk)
    assert [person.username for person in listed.byline] == ["lin", "kai", "maya"]
    plain = Article.objects.get(pk=article.pk)
    assert plain.byline == listed.byline


def test_with_byline_loads_every_author_in_the_row_query(people, django_assert_num_queries):
    lin, maya, kai = people
    ArticleFactory(author=lin, coauthors=[maya, kai])
    ArticleFactory(author=maya)
    with django_assert_num_queries(1):
        bylines = [
            [person.name for person in article.byline]
            for article in Article.objects.with_byline().order_by("pk")
        ]
    assert bylines == [["Lin Wei", "Maya Fischer", "kai"], ["Maya Fischer"]]


def test_by_author_matches_the_author_or_a_coauthor_once(people):
    lin, maya, kai = people
    own = ArticleFactory(author=lin)
    shared = ArticleFactory(author=maya, coauthors=[lin, kai])
    other = ArticleFactory(author=maya)
    assert set(Article.objects.by_author(lin)) == {own, shared}
    assert set(Article.objects.by_author(maya)) == {shared, other}
    assert list(Article.objects.by_author(kai)) == [shared]
    # No join: an article with several co-authors is still one row.
    assert Article.objects.by_author(maya).count() == 2
    assert set(Article.objects.by_author(kai.pk)) == {shared}


def test_by_author_keeps_the_publishing_rules(people):
    lin, maya, _kai = people
    public = ArticleFactory(author=maya, coauthors=[lin])
    draft(author=maya, coauthors=[lin])
    scheduled(author=maya, coauthors=[lin])
    assert list(Article.objects.published().by_author(lin)) == [public]


def test_staff_preview_includes_drafts_they_coauthor(people):
    lin, maya, kai = people
    for person in (lin, kai):
        person.is_staff = True
        person.save()
    shared = draft(author=maya, coauthors=[lin])
    assert shared in Article.objects.previewable_by(lin)
    assert shared not in Article.objects.previewable_by(kai)
    assert shared not in Article.objects.previewable_by(AnonymousUser())


def test_has_author_and_credited_people(people):
    lin, maya, kai = people
    article = ArticleFactory(author=lin, coauthors=[maya])
    assert article.has_author(lin) and article.has_author(maya)
    assert not article.has_author(kai)
    assert not article.has_author(AnonymousUser())
    assert set(article.credited_people()) == {lin, maya}
    assert article.author_ids == [lin.pk, maya.pk]


def test_set_coauthors_skips_the_author_and_repeats_and_reorders(people):
    lin, maya, kai = people
    article = ArticleFactory(author=lin)
    article.set_coauthors([maya, lin, kai, maya])
    assert [person.username for person in article.byline] == ["lin", "maya", "kai"]
    article.set_coauthors([kai])
    assert [person.username for person in article.byline] == ["lin", "kai"]
    assert list(ArticleAuthor.objects.values_list("user__username", "position")) == [("kai", 1)]
    article.set_coauthors([])
    assert not ArticleAuthor.objects.exists()


def test_a_person_is_a_coauthor_of_an_article_only_once(people):
    lin, maya, _kai = people
    article = ArticleFactory(author=lin, coauthors=[maya])
    with pytest.raises(IntegrityError):
        ArticleAuthor.objects.create(article=article, user=maya, position=2)


def test_deleting_an_article_removes_its_coauthor_rows_not_the_people(people):
    lin, maya, _kai = people
    article = ArticleFactory(author=lin, coauthors=[maya])
    article.delete()
    assert not ArticleAuthor.objects.exists()
    assert maya.__class__.objects.filter(pk=maya.pk).exists()


def test_join_names_in_english_and_chinese():
    assert join_names([]) == ""
    assert join_names(["A"]) == "A"
    assert join_names(["A", "B"]) == "A and B"
    assert join_names(["A", "B", "C"]) == "A, B and C"
    with translation.override("zh-hans"):
        assert join_names(["林伟", "玛雅", "凯"]) == "林伟、玛雅、凯"

"""Co-authors and the cache: adding one, reordering, or renaming one reaches every page."""

import pytest

from articles.caching.token import content_token
from articles.models import ArticleAuthor
from tests.factories import ArticleFactory, draft, writers

pytestmark = pytest.mark.django_db


def page(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


@pytest.fixture
def people():
    return writers()


def test_adding_and_removing_a_coauthor_reaches_cached_pages(client, people):
    lin, maya, _kai = people
    article = ArticleFactory(author=lin, title="Together")
    paths = ["/", "/feed/", article.get_absolute_url()]
    assert all("Maya Fischer" not in page(client, path) for path in paths)
    article.set_coauthors([maya])
    assert all("Maya Fischer" in page(client, path) for path in paths)
    assert "Together" in page(client, "/authors/maya/")
    article.set_coauthors([])
    assert all("Maya Fischer" not in page(client, path) for path in paths)


def test_a_coauthors_new_name_reaches_every_article_they_share(client, people):
    lin, maya, kai = people
    first = ArticleFactory(author=lin, coauthors=[maya])
    second = ArticleFactory(author=kai, coauthors=[maya])
    for article in (first, second):
        assert "Maya Fischer" in page(client, article.get_absolute_url())
    maya.last_name = "Weber"
    maya.save()
    for article in (first, second):
        assert "Maya Weber" in page(client, article.get_absolute_url())
    assert "Maya Weber" in page(client, "/feed/")


def test_a_drafts_coauthors_move_nothing(people):
    lin, maya, _kai = people
    article = draft(author=lin)
    before = str(content_token())
    article.set_coauthors([maya])
    ArticleAuthor.objects.update(position=4)
    assert str(content_token()) == before

"""The co-author box: who may change it, its order and checks, the person search, the list."""

import pytest
from django.core import mail
from django.urls import reverse

from articles.admin import revisions
from articles.models import ArticleAuthor
from tests.admin_forms import form_data
from tests.factories import ArticleFactory, UserFactory, draft

pytestmark = pytest.mark.django_db

PREFIX = "coauthor_links"
SEARCH_URL = reverse("admin:articles_article_coauthor_search")
CHANGELIST_URL = reverse("admin:articles_article_changelist")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def usernames(article):
    return [person.username for person in article.byline]


def with_coauthors(data, new=(), existing=()):
    """Add the co-author box to a change form's data: existing rows, then new (user, position)."""
    rows = [*existing, *((None, user, position) for user, position in new)]
    data |= {
        f"{PREFIX}-TOTAL_FORMS": str(len(rows)),
        f"{PREFIX}-INITIAL_FORMS": str(len(existing)),
    }
    for index, (link, user, position) in enumerate(rows):
        data[f"{PREFIX}-{index}-id"] = str(link.pk) if link else ""
        data[f"{PREFIX}-{index}-user"] = str(user.pk)
        data[f"{PREFIX}-{index}-position"] = "" if position is None else str(position)
    return data


@pytest.fixture
def team(db):
    return {
        "lin": UserFactory(username="lin", role="Authors", first_name="Lin", last_name="Wei"),
        "maya": UserFactory(username="maya", role="Authors", first_name="Maya", last_name="F"),
        "kai": UserFactory(username="kai", role="Authors", first_name="Kai", last_name="Ren"),
        "ed": UserFactory(username="ed", role="Editors", email="ed@example.org"),
    }


def save(client, article, **rows):
    data = with_coauthors(form_data(client.get(change_url(article))), **rows)
    return client.post(change_url(article), data)


class TestChoosingCoauthors:
    def test_an_editor_adds_them_in_order(self, client, team):
        article = draft(author=team["lin"])
        client.force_login(team["ed"])
        response = save(client, article, new=[(team["kai"], 2), (team["maya"], 1)])
        assert response.status_code == 302
        assert usernames(article) == ["lin", "maya", "kai"]

    def test_left_blank_a_position_goes_last(self, client, team):
        article = draft(author=team["lin"], coauthors=[team["maya"]])
        client.force_login(team["lin"])
        link = ArticleAuthor.objects.get()
        response = save(
            client, article, existing=[(link, team["maya"], 1)], new=[(team["kai"], None)]
        )
        assert response.status_code == 302
        assert list(ArticleAuthor.objects.values_list("user__username", "position")) == [
            ("maya", 1),
            ("kai", 2),
        ]

    def test_the_author_reorders_and_removes(self, client, team):
        article = draft(author=team["lin"], coauthors=[team["maya"], team["kai"]])
        maya, kai = ArticleAuthor.objects.order_by("position")
        client.force_login(team["lin"])
        data = with_coauthors(
            form_data(client.get(change_url(article))),
            existing=[(maya, team["maya"], 3), (kai, team["kai"], 1)],
        )
        assert client.post(change_url(article), data).status_code == 302
        assert usernames(article) == ["lin", "kai", "maya"]
        data = with_coauthors(
            form_data(client.get(change_url(article))),
            existing=[(maya, team["maya"], 3), (kai, team["kai"], 1)],
        )
        data[f"{PREFIX}-0-DELETE"] = "on"
        assert client.post(change_url(article), data).status_code == 302
        assert usernames(article) == ["lin", "kai"]

    def test_a_coauthor_cannot_change_the_list(self, client, team):
        article = draft(author=team["lin"], coauthors=[team["maya"]])
        client.force_login(team["maya"])
        page = client.get(change_url(article)).content.decode()
        assert f'name="{PREFIX}-0-user"' not in page  # shown, not editable
        assert "Maya F" in page
        response = save(client, article, new=[(team["kai"], 2)])
        assert response.status_code == 302  # the article saves; the crafted row is ignored
        assert usernames(article) == ["lin", "maya"]

    def test_the_author_is_not_also_a_coauthor(self, client, team):
        article = draft(author=team["lin"])
        client.force_login(team["ed"])
        response = save(client, article, new=[(team["lin"], 1)])
        assert response.status_code == 200
        assert "already the article" in response.content.decode()
        assert not ArticleAuthor.objects.exists()

    def test_a_person_is_listed_once(self, client, team):
        article = draft(author=team["lin"])
        client.force_login(team["ed"])
        response = save(client, article, new=[(team["maya"], 1), (team["maya"], 2)])
        assert response.status_code == 200
        assert not ArticleAuthor.objects.exists()

    def test_a_new_article_gets_its_coauthors_in_the_same_save(self, client, team):
        client.force_login(team["lin"])
        data = with_coauthors(
            {"title": "Fresh", "body": "Text.", "language": "en", "tags": ""},
            new=[(team["maya"], 1)],
        )
        response = client.post(reverse("admin:articles_article_add"), data)
        assert response.status_code == 302
        article = ArticleAuthor.objects.get().article
        assert usernames(article) == ["lin", "maya"]


class TestPersonSearch:
    def test_finds_staff_by_name_without_addresses(self, client, team):
        UserFactory(username="reader", first_name="Maya", last_name="Reader")  # not staff
        client.force_login(team["lin"])
        found = client.get(SEARCH_URL, {"term": "maya"}).json()
        assert found["results"] == [{"id": str(team["maya"].pk), "text": "Maya F (maya)"}]
        assert found["pagination"] == {"more": False}
        everyone = client.get(SEARCH_URL, {"term": ""}).json()["results"]
        assert {row["text"] for row in everyone} >= {"Kai Ren (kai)", "Lin Wei (lin)"}
        assert "@" not in str(everyone)

    def test_is_closed_to_readers(self, client):
        assert client.get(SEARCH_URL, {"term": "maya"}).status_code == 302
        client.force_login(UserFactory(username="someone"))
        assert client.get(SEARCH_URL, {"term": "maya"}).status_code == 302

    def test_the_box_asks_it(self, client, team):
        client.force_login(team["lin"])
        page = client.get(reverse("admin:articles_article_add")).content.decode()
        assert f'data-ajax--url="{SEARCH_URL}"' in page


class TestArticleList:
    def test_shows_every_author_and_filters_by_coauthor(self, client, team):
        shared = ArticleFactory(author=team["lin"], coauthors=[team["maya"]], title="Shared")
        ArticleFactory(author=team["kai"], title="Kai's own")
        client.force_login(team["ed"])
        page = client.get(CHANGELIST_URL).content.decode()
        assert "Lin Wei and Maya F" in page
        filtered = client.get(CHANGELIST_URL, {"credited": team["maya"].pk})
        assert list(filtered.context["cl"].result_list) == [shared]

    def test_costs_the_same_with_more_coauthors(self, client, team, django_assert_max_num_queries):
        client.force_login(team["ed"])
        draft(author=team["lin"], coauthors=[team["maya"]])
        client.get(CHANGELIST_URL)
        with django_assert_max_num_queries(30) as few:
            client.get(CHANGELIST_URL)
        extra = [UserFactory(username=f"extra{n}", role="Authors") for n in range(4)]
        for n in range(10):
            draft(author=team["kai"], coauthors=[team["maya"], *extra], title=f"More {n}")
        with django_assert_max_num_queries(len(few.captured_queries)):
            client.get(CHANGELIST_URL)


def test_review_mail_reaches_every_coauthor(client, team, django_capture_on_commit_callbacks):
    team["lin"].email, team["maya"].email = "lin@example.org", "maya@example.org"
    team["lin"].save()
    team["maya"].save()
    article = draft(author=team["lin"], coauthors=[team["maya"]])
    client.force_login(team["ed"])
    data = form_data(client.get(change_url(article)), _review="changes", review_text="Fix it.")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(change_url(article), data)
    [message] = mail.outbox
    assert sorted(message.to) == ["lin@example.org", "maya@example.org"]


def test_restoring_a_revision_brings_back_its_coauthors(client, team):
    article = draft(author=team["lin"])
    client.force_login(team["lin"])
    save(client, article, new=[(team["maya"], 1)])
    link = ArticleAuthor.objects.get()
    data = with_coauthors(
        form_data(client.get(change_url(article))), existing=[(link, team["maya"], 1)]
    )
    data[f"{PREFIX}-0-DELETE"] = "on"
    client.post(change_url(article), data)
    assert usernames(article) == ["lin"]
    older, newest = list(revisions.versions_of(article.pk))[1::-1]
    assert revisions.snapshot(older)["coauthors"] == "maya"
    assert [change.name for change in revisions.compare(older, newest)] == ["coauthors"]
    # A co-author credited on that draft may restore it.
    assert revisions.can_restore(team["maya"], older)
    assert not revisions.can_restore(team["kai"], older)
    url = reverse("admin:articles_article_revision", args=[article.pk, older.pk])
    client.post(url, form_data(client.get(url)))
    assert usernames(article) == ["lin", "maya"]

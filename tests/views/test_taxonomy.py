"""Tag, category, author and archive pages, and their indexes."""

from datetime import datetime
from urllib.parse import unquote

import pytest
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from tests.factories import ArticleFactory, CategoryFactory, UserFactory
from tests.reader_helpers import (
    elements,
    fast_passwords,  # noqa: F401 (autouse fixture)
    hrefs,
    page_text,
)

pytestmark = pytest.mark.django_db


def at(year, month, day=15):
    return timezone.make_aware(datetime(year, month, day, 12))


class TestTags:
    def test_chinese_tag_slug_round_trip(self, client):
        article = ArticleFactory(title="梯度", tags=["机器学习"])
        tag = Tag.objects.get(name="机器学习")
        assert tag.slug == "机器学习"
        home = page_text(client.get(reverse("articles:home")))
        # Linked from the entry and from the tag cloud, percent-encoded both times.
        [link] = {a["href"] for a in elements(home, "a", rel="tag") if "%E6%9C%BA" in a["href"]}
        assert unquote(link) == "/tags/机器学习/"
        response = client.get(link)
        assert response.status_code == 200
        assert article.title in page_text(response)

    def test_chinese_article_and_category_round_trip(self, client):
        category = CategoryFactory(name="数据库")
        article = ArticleFactory(title="索引原理", category=category)
        home = page_text(client.get(reverse("articles:home")))
        for link in (article.get_absolute_url(), category.get_absolute_url()):
            assert link in [a["href"] for a in elements(home, "a")]
            assert client.get(link).status_code == 200
        assert unquote(article.get_absolute_url()) == "/articles/索引原理/"

    def test_tag_page_lists_only_that_tag(self, client):
        ArticleFactory(title="Tagged one", tags=["rust"])
        ArticleFactory(title="Other one", tags=["go"])
        html = page_text(client.get(reverse("articles:tag", kwargs={"slug": "rust"})))
        assert "Tagged one" in html and "Other one" not in html
        assert "1 article" in html

    def test_unknown_or_unused_tag_is_404(self, client):
        Tag.objects.create(name="lonely")
        assert client.get(reverse("articles:tag", kwargs={"slug": "lonely"})).status_code == 404
        assert client.get(reverse("articles:tag", kwargs={"slug": "nope"})).status_code == 404

    def test_tag_index_counts(self, client):
        ArticleFactory(tags=["python", "sql"])
        ArticleFactory(tags=["python"])
        html = page_text(client.get(reverse("articles:tag_index")))
        assert "/tags/python/" in hrefs(html) and "/tags/sql/" in hrefs(html)
        assert "2 articles" in html and "1 article" in html

    def test_tag_without_a_slug_is_shown_but_not_linked(self, client):
        ArticleFactory(title="Symbols", tags=["++"])
        response = client.get(reverse("articles:home"))
        assert response.status_code == 200
        assert "++" in page_text(response)


class TestCategories:
    @pytest.fixture
    def tree(self):
        science = CategoryFactory(name="Science", slug="science", description="All of it.")
        physics = CategoryFactory(name="Physics", slug="physics", parent=science)
        quantum = CategoryFactory(name="Quantum", slug="quantum", parent=physics)
        CategoryFactory(name="Empty", slug="empty", parent=science)
        ArticleFactory(title="Root article", category=science)
        ArticleFactory(title="Physics article", category=physics)
        ArticleFactory(title="Quantum article", category=quantum)
        return science, physics, quantum

    def test_category_page_includes_subcategories(self, client, tree):
        html = page_text(client.get(reverse("articles:category", kwargs={"slug": "science"})))
        for title in ("Root article", "Physics article", "Quantum article"):
            assert title in html
        assert "/categories/physics/" in hrefs(html)
        assert "/categories/empty/" not in hrefs(html)
        assert "All of it." in html

    def test_subcategory_page_has_a_breadcrumb_and_excludes_parents(self, client, tree):
        html = page_text(client.get(reverse("articles:category", kwargs={"slug": "physics"})))
        assert "Root article" not in html
        assert "Physics article" in html and "Quantum article" in html
        assert "/categories/science/" in hrefs(html)

    def test_index_is_a_tree_with_cumulative_counts(self, client, tree):
        html = page_text(client.get(reverse("articles:category_index")))
        links = hrefs(html)
        assert links.index("/categories/science/") < links.index("/categories/physics/")
        assert links.index("/categories/physics/") < links.index("/categories/quantum/")
        assert "/categories/empty/" not in links
        assert "3 articles" in html and "2 articles" in html and "1 article" in html

    def test_unknown_category_is_404(self, client):
        assert client.get(reverse("articles:category", kwargs={"slug": "nope"})).status_code == 404

    def test_empty_category_page_still_answers(self, client, tree):
        response = client.get(reverse("articles:category", kwargs={"slug": "empty"}))
        assert response.status_code == 200
        assert "No articles in this category yet." in page_text(response)


class TestAuthors:
    def test_author_page(self, client):
        ada = UserFactory(username="ada", first_name="Ada", last_name="Lovelace")
        ArticleFactory(title="Notes on the engine", author=ada)
        ArticleFactory(title="Someone else's")
        response = client.get(reverse("articles:author", kwargs={"username": "ada"}))
        html = page_text(response)
        assert "Ada Lovelace" in html and "Notes on the engine" in html
        assert "Someone else" not in html

    def test_unknown_author_or_one_without_articles_is_404(self, client):
        UserFactory(username="quiet")
        for username in ("quiet", "nobody"):
            url = reverse("articles:author", kwargs={"username": username})
            assert client.get(url).status_code == 404


class TestArchives:
    def test_year_and_month(self, client):
        author = UserFactory()
        ArticleFactory(title="March piece", author=author, published_at=at(2023, 3))
        ArticleFactory(title="June piece", author=author, published_at=at(2023, 6))
        ArticleFactory(title="Other year", author=author, published_at=at(2022, 3))
        year = page_text(client.get(reverse("articles:archive_year", kwargs={"year": 2023})))
        assert "March piece" in year and "June piece" in year and "Other year" not in year
        month = page_text(
            client.get(reverse("articles:archive_month", kwargs={"year": 2023, "month": 3}))
        )
        assert "March piece" in month and "June piece" not in month
        assert "March 2023" in month

    def test_month_boundaries_follow_the_site_time_zone(self, client, settings):
        settings.TIME_ZONE = "Asia/Shanghai"
        # 1 March 00:30 in Shanghai is still February in UTC.
        with timezone.override("Asia/Shanghai"):
            when = timezone.make_aware(datetime(2023, 3, 1, 0, 30))
        ArticleFactory(title="Early March", published_at=when)
        march = reverse("articles:archive_month", kwargs={"year": 2023, "month": 3})
        assert "Early March" in page_text(client.get(march))
        february = reverse("articles:archive_month", kwargs={"year": 2023, "month": 2})
        assert client.get(february).status_code == 404

    def test_sidebar_lists_months_with_articles(self, client):
        ArticleFactory(published_at=at(2023, 3))
        ArticleFactory(published_at=at(2023, 3, 20))
        html = page_text(client.get(reverse("articles:home")))
        assert "/archive/2023/3/" in hrefs(html)
        assert "/archive/2023/" in hrefs(html)
        assert "/archive/2023/4/" not in hrefs(html)
        # The year heads its own list under a name that is not the toggle's again.
        assert '<a href="/archive/2023/">All of 2023</a>' in html

    def test_sidebar_names_the_year_link_in_chinese(self, client):
        ArticleFactory(published_at=at(2023, 3))
        html = page_text(client.get(reverse("articles:home"), HTTP_ACCEPT_LANGUAGE="zh-hans"))
        assert '<a href="/archive/2023/">2023年全部文章</a>' in html

    @pytest.mark.parametrize(
        "path",
        [
            "/archive/2023/13/",
            "/archive/2023/0/",
            "/archive/0/",
            "/archive/99999/",
            "/archive/2023/3/?page=2",
            "/archive/abc/",
            "/archive/1990/",
        ],
    )
    def test_empty_or_impossible_dates_are_404(self, client, path):
        ArticleFactory(published_at=at(2023, 3))
        assert client.get(path).status_code == 404

    def test_december_rolls_into_the_next_year(self, client):
        ArticleFactory(title="Late December", published_at=at(2023, 12, 31))
        ArticleFactory(title="New Year", published_at=at(2024, 1, 1))
        html = page_text(client.get("/archive/2023/12/"))
        assert "Late December" in html and "New Year" not in html


def test_category_breadcrumb_on_article_uses_one_query(client, django_assert_num_queries):
    from articles.views.queries import category_ancestors

    top = CategoryFactory(name="Top")
    middle = CategoryFactory(name="Middle", parent=top)
    leaf = CategoryFactory(name="Leaf", parent=middle)
    leaf = type(leaf).objects.get(pk=leaf.pk)
    with django_assert_num_queries(1):
        chain = category_ancestors(leaf)
    assert [node.name for node in chain] == ["Top", "Middle", "Leaf"]
    with django_assert_num_queries(0):
        assert category_ancestors(top) == [top]

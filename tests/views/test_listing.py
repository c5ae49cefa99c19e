"""Listing pages: entries, numbered pagination, strict ?page=, canonical links, query budgets."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from articles.caching import store
from articles.views.listings import StrictPaginationMixin
from tests.factories import (
    ArticleFactory,
    CategoryFactory,
    UserFactory,
    draft,
    scheduled,
)
from tests.reader_helpers import (
    body_columns_in,
    elements,
    fast_passwords,  # noqa: F401 (autouse fixture)
    hrefs,
    page_text,
)

pytestmark = pytest.mark.django_db


def cold_cache():
    cache.clear()
    store.forget_local()


# Counted with a cold cache: the content token, the subject (tag, category or
# author) with its count, the page, its tags, and the two sidebars.
LISTING_BUDGET = 6


@pytest.fixture
def many(db):
    """Twenty-five published articles, one per day, sharing an author, category and tag."""
    author = UserFactory(username="prolific", first_name="Pro", last_name="Lific")
    parent = CategoryFactory(name="Parent", slug="parent")
    child = CategoryFactory(name="Child", slug="child", parent=parent)
    now = timezone.now()
    return [
        ArticleFactory(
            title=f"Entry {n:02d}",
            author=author,
            category=child if n % 2 else parent,
            published_at=now - timedelta(days=n + 1),
            tags=["shared", f"tag{n}"],
        )
        for n in range(25)
    ]


class TestHome:
    def test_latest_updates_shape(self, client, many):
        html = page_text(client.get(reverse("articles:home")))
        assert 'class="banner"' in html
        assert "Latest updates" in html
        assert html.count('class="entry"') == 10
        assert html.index("Entry 00") < html.index("Entry 09")
        assert "Entry 10" not in html

    def test_entry_shows_everything_a_reader_scans_for(self, client):
        category = CategoryFactory(name="Maths")
        article = ArticleFactory(
            title="A clear title",
            author=UserFactory(username="ada", first_name="Ada", last_name="Lovelace"),
            category=category,
            tags=["algebra"],
            body="A preview sentence for the list.\n\n## Part\n\nMore.",
        )
        html = page_text(client.get(reverse("articles:home")))
        assert article.get_absolute_url() in hrefs(html)
        [time] = elements(html, "time")
        assert time["datetime"] == timezone.localtime(article.published_at).isoformat()
        assert "Ada Lovelace" in html
        assert reverse("articles:author", kwargs={"username": "ada"}) in hrefs(html)
        assert category.get_absolute_url() in hrefs(html)
        assert reverse("articles:tag", kwargs={"slug": "algebra"}) in hrefs(html)
        assert "1 min read" in html
        assert article.preview and article.preview in html

    def test_empty_site_has_a_friendly_home(self, client):
        response = client.get(reverse("articles:home"))
        assert response.status_code == 200
        assert "Nothing has been published yet." in page_text(response)


class TestPagination:
    def test_bad_or_missing_pages_are_404(self, client):
        ArticleFactory()
        bad = ["0", "-1", "abc", "", "2", "99999999999999999999", "1.5", "last", "２", " 1", "1e1"]
        for value in bad:
            response = client.get(reverse("articles:home"), {"page": value})
            assert response.status_code == 404, value

    def test_existing_pages_answer(self, client, many):
        for number in ("1", "2", "02"):
            assert client.get(reverse("articles:home"), {"page": number}).status_code == 200

    def test_page_one_of_an_empty_site_is_fine_but_page_two_is_not(self, client):
        assert client.get(reverse("articles:home"), {"page": "1"}).status_code == 200
        assert client.get(reverse("articles:home"), {"page": "2"}).status_code == 404

    def test_rel_prev_and_next(self, client, many):
        html = page_text(client.get(reverse("articles:home"), {"page": "2"}))
        [prev] = elements(html, "a", rel="prev")
        [nxt] = elements(html, "a", rel="next")
        # Page 1 has no ?page=1: one URL per page.
        assert prev["href"] == reverse("articles:home")
        assert nxt["href"] == "?page=3"
        assert elements(html, "link", rel="prev") and elements(html, "link", rel="next")

    def test_first_and_last_pages_link_one_way(self, client, many):
        first = page_text(client.get(reverse("articles:home")))
        assert not elements(first, "a", rel="prev") and elements(first, "a", rel="next")
        last = page_text(client.get(reverse("articles:home"), {"page": "3"}))
        assert elements(last, "a", rel="prev") and not elements(last, "a", rel="next")

    def test_elided_range(self, client, many, monkeypatch):
        monkeypatch.setattr(StrictPaginationMixin, "paginate_by", 2)
        html = page_text(client.get(reverse("articles:home"), {"page": "7"}))
        start = html.index('class="pagination"')
        pagination = html[start : html.index("</nav>", start)]
        links = [a["href"] for a in elements(pagination, "a") if "rel" not in a]
        assert links == ["/", "?page=5", "?page=6", "?page=8", "?page=9", "?page=13"]
        assert pagination.count("…") == 2
        assert 'aria-current="page"' in pagination

    def test_canonical_leaves_out_page_one(self, client, many, settings):
        settings.SITE_URL = "https://blog.example"
        [canonical] = elements(page_text(client.get("/?page=1")), "link", rel="canonical")
        assert canonical["href"] == "https://blog.example/"
        [canonical] = elements(page_text(client.get("/?page=2&utm=x")), "link", rel="canonical")
        assert canonical["href"] == "https://blog.example/?page=2"

    def test_page_links_drop_parameters_the_page_does_not_read(self, client, many):
        # A listing reads only ?page=; anything else is dropped before the view
        # (and the page cache) sees it, so links never carry tracking tags.
        html = page_text(client.get(reverse("articles:home"), {"page": "2", "ref": "x"}))
        [nxt] = elements(html, "a", rel="next")
        assert nxt["href"] == "?page=3"


def listing_urls(newest):
    when = timezone.localtime(newest.published_at)
    return [
        reverse("articles:home"),
        reverse("articles:home") + "?page=2",
        reverse("articles:tag", kwargs={"slug": "shared"}),
        reverse("articles:category", kwargs={"slug": "parent"}),
        reverse("articles:category", kwargs={"slug": "child"}),
        reverse("articles:author", kwargs={"username": "prolific"}),
        reverse("articles:archive_year", kwargs={"year": when.year}),
        reverse("articles:archive_month", kwargs={"year": when.year, "month": when.month}),
        reverse("articles:tag_index"),
        reverse("articles:category_index"),
    ]


class TestQueryBudget:
    def test_listing_pages_stay_within_budget_and_never_load_bodies(
        self, client, many, django_assert_max_num_queries
    ):
        for url in listing_urls(many[0]):
            cold_cache()
            with django_assert_max_num_queries(LISTING_BUDGET) as captured:
                response = client.get(url)
            assert response.status_code == 200, url
            assert body_columns_in(captured.captured_queries) == [], url

    @pytest.mark.parametrize("page_size", [2, 12])
    def test_budget_does_not_grow_with_page_size(
        self, client, many, monkeypatch, page_size, django_assert_max_num_queries
    ):
        monkeypatch.setattr(StrictPaginationMixin, "paginate_by", page_size)
        for url in listing_urls(many[0]):
            cold_cache()
            with django_assert_max_num_queries(LISTING_BUDGET):
                assert client.get(url).status_code == 200, url


class TestCountsFromTheSubjectQuery:
    """Tag, category and author pages count their articles in the query that finds them."""

    @pytest.fixture
    def hidden(self, many):
        author, child = many[1].author, many[1].category
        draft(author=author, category=child, tags=["shared"])
        scheduled(author=author, category=child, tags=["shared"])

    @pytest.mark.parametrize(
        "name, kwargs",
        [
            ("articles:tag", {"slug": "shared"}),
            ("articles:category", {"slug": "parent"}),
            ("articles:author", {"username": "prolific"}),
        ],
    )
    def test_pages_end_where_the_published_articles_end(self, client, hidden, name, kwargs):
        url = reverse(name, kwargs=kwargs)
        for warm in (False, True):
            if not warm:
                cold_cache()
            # 25 published articles: page 3 holds the last five, page 4 does not exist.
            assert client.get(url + "?page=4").status_code == 404, (url, warm)
            last = page_text(client.get(url + "?page=3"))
            assert last.count('class="entry"') == 5, (url, warm)

    def test_child_category_counts_only_its_own_branch(self, client, hidden):
        cold_cache()
        url = reverse("articles:category", kwargs={"slug": "child"})
        # Odd-numbered entries (12 of 25) are in the child: two pages.
        assert page_text(client.get(url + "?page=2")).count('class="entry"') == 2
        assert client.get(url + "?page=3").status_code == 404

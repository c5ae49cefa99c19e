"""Search results: exact counts, deep pages, tier order and bad input."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import CharField, Func, Value
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.search.query import MAX_QUERY_CHARS, search_articles
from articles.search.results import SearchResults, _fetch_guarded
from tests.factories import ArticleFactory, CategoryFactory, UserFactory, draft, scheduled
from tests.search.helpers import SEARCH_URL, days_ago, found

pytestmark = pytest.mark.django_db


# Exact counts and deep pages -------------------------------------------------

TITLE_MATCHES, KEYWORD_MATCHES, BODY_MATCHES = 120, 5, 120
PUBLISHED_MATCHES = TITLE_MATCHES + KEYWORD_MATCHES + BODY_MATCHES


def bulk_articles(prefix, count, *, title, first_minute=0, body="Plain words.", **fields):
    """Insert articles without saving each one; rebuild_index() must follow."""
    author = UserFactory()
    fields.setdefault("status", Article.Status.PUBLISHED)
    fields.setdefault("published_at", None)
    Article.objects.bulk_create(
        Article(
            title=title.format(i),
            slug=f"{prefix}-{i}",
            author=author,
            body=body,
            body_html=f"<p>{body}</p>",
            **{
                **fields,
                "published_at": fields["published_at"]
                or timezone.now() - timedelta(minutes=first_minute + i + 1),
            },
        )
        for i in range(count)
    )


def rebuild_index():
    call_command("rebuild_search_index")


@pytest.fixture
def many_matches():
    """245 published matches in all three tiers, interleaved in time, plus hidden ones."""
    category = CategoryFactory(name="Kernel methods")
    bulk_articles("title", TITLE_MATCHES, title="Kernel {}", first_minute=0)
    bulk_articles("keyword", KEYWORD_MATCHES, title="Keyword {}", category=category)
    bulk_articles("body", BODY_MATCHES, title="Body {}", body="A kernel.", first_minute=60)
    bulk_articles("draft", 10, title="Kernel draft {}", status=Article.Status.DRAFT)
    bulk_articles(
        "scheduled", 10, title="Kernel scheduled {}", published_at=timezone.now() + timedelta(1)
    )
    bulk_articles("other", 30, title="Other {}")
    rebuild_index()


def newest_first(prefix, count):
    return [prefix.format(i) for i in range(count)]


EXPECTED_ORDER = (
    newest_first("Kernel {}", TITLE_MATCHES)
    + newest_first("Keyword {}", KEYWORD_MATCHES)
    + newest_first("Body {}", BODY_MATCHES)
)


def test_the_count_is_exact_beyond_two_hundred(client, many_matches):
    response = client.get(SEARCH_URL, {"q": "kernel"})
    assert f"{PUBLISHED_MATCHES} articles found" in response.text
    assert "More than" not in response.text
    assert response.context["paginator"].num_pages == 25
    assert SearchResults("kernel").count() == PUBLISHED_MATCHES == len(EXPECTED_ORDER)


def test_the_last_page_is_reachable_and_the_next_one_is_not(client, many_matches):
    last = client.get(SEARCH_URL, {"q": "kernel", "page": "25"})
    assert last.status_code == 200
    assert [a.title for a in last.context["articles"]] == EXPECTED_ORDER[240:]
    assert "?q=kernel&amp;page=24" in last.text
    for page in ("26", "1000"):
        assert client.get(SEARCH_URL, {"q": "kernel", "page": page}).status_code == 404


@pytest.mark.parametrize(
    ("tier_limit", "walk_cost"),
    [(200, 25), (50, 25), (50, 0), (3, 0)],
    ids=["tiers-ranked", "large-tiers-bitmap", "large-tiers-walked", "tiny-limit"],
)
def test_every_page_follows_the_tier_order(monkeypatch, many_matches, tier_limit, walk_cost):
    # Whatever each tier's size and however it is read (whole and ranked, newest
    # first from the probe, by offset with a walk or a bitmap scan), the pages
    # join up into one order. Ranks tie within each tier here, so it is also
    # the order of search_articles().
    monkeypatch.setattr("articles.search.results.RANKED_TIER_LIMIT", tier_limit)
    monkeypatch.setattr("articles.search.results.WALK_ROW_COST", walk_cost)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_searchentry")
    assert [
        a.title for a in search_articles(Article.objects.published(), "kernel")
    ] == EXPECTED_ORDER
    pages = []
    for start in range(0, PUBLISHED_MATCHES, 10):
        results = SearchResults("kernel")  # a fresh request for each page
        pages += [a.title for a in results[start : start + 10]]
    assert pages == EXPECTED_ORDER
    # Pages that straddle a tier boundary or the end of a tier's probe.
    results = SearchResults("kernel")
    for start, stop in [(115, 130), (45, 56), (120, 126), (124, 131), (0, PUBLISHED_MATCHES)]:
        assert [a.title for a in results[start:stop]] == EXPECTED_ORDER[start:stop]


def test_drafts_and_scheduled_articles_are_never_counted(client):
    public = ArticleFactory(title="Kernel public")
    hidden = ArticleFactory(title="Kernel soon public")
    draft(title="Kernel draft")
    scheduled(title="Kernel scheduled")
    assert SearchResults("kernel").count() == 2
    hidden.status = Article.Status.DRAFT
    hidden.save()
    assert SearchResults("kernel").count() == 1
    hidden.status = Article.Status.PUBLISHED
    hidden.published_at = timezone.now() + timedelta(hours=1)
    hidden.save()
    response = client.get(SEARCH_URL, {"q": "kernel"})
    assert "1 article found" in response.text
    assert [a.title for a in response.context["articles"]] == [public.title]
    hidden.published_at = timezone.now() - timedelta(minutes=1)
    hidden.save()
    assert SearchResults("kernel").count() == 2
    hidden.delete()
    assert SearchResults("kernel").count() == 1


def test_the_count_is_grouped_and_translated(client, monkeypatch):
    ArticleFactory(title="Kernel")
    monkeypatch.setattr(SearchResults, "total", 12345)
    english = client.get(SEARCH_URL, {"q": "kernel"})
    assert "12,345 articles found" in english.text
    chinese = client.get(SEARCH_URL, {"q": "kernel"}, headers={"accept-language": "zh-hans"})
    assert "找到 12345 篇文章" in chinese.text


def test_later_pages_of_a_search_reuse_its_count(client, many_matches):
    client.get(SEARCH_URL, {"q": "kernel"})
    with CaptureQueriesContext(connection) as queries:
        # The same query, normalised: the count cached for this content generation holds.
        response = client.get(SEARCH_URL, {"q": " kernel ", "page": "2"})
    assert response.status_code == 200
    assert f"{PUBLISHED_MATCHES} articles found" in response.text
    assert not [q for q in queries if "COUNT(" in q["sql"].upper()]


def test_a_deep_search_page_runs_a_fixed_number_of_queries(
    client, many_matches, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr("articles.search.results.RANKED_TIER_LIMIT", 50)
    # The content token; the count (between two set_config calls, in a
    # savepoint); the title tier's probe and count; the keyword tier's probe;
    # the body tier's ids (the table size estimate, then a bitmap scan between
    # set_config calls); the page's rows.
    with django_assert_max_num_queries(16):
        response = client.get(SEARCH_URL, {"q": "kernel", "page": "20"})
    assert [a.title for a in response.context["articles"]] == EXPECTED_ORDER[190:200]


def test_every_page_has_a_search_box_that_targets_the_search_page(client):
    response = client.get(reverse("articles:home"))
    assert 'role="search"' in response.text
    assert f'action="{SEARCH_URL}"' in response.text


# Bad input -------------------------------------------------------------------

BAD_QUERY_STRINGS = [
    "q=" + "x" * 10_240,
    "q=" + "模型" * 5_000,
    "q=" + "%2C.%3B%21%3F%E3%80%82%EF%BC%8C",  # punctuation only
    "q=OR",
    "q=-",
    "q=%22%22",
    "q=%26%7C%21%28%29%3A%2A",  # &|!():*
    "q=a+%26+b+%7C+%21c+%3C-%3E+d",  # tsquery syntax as words
    "q=%27%3B+DROP+TABLE+articles_article%3B+--",
    "q=%5C",
    "q=%5C%27%5C%22",
    "q=%ff%fe",
    "q=%C3%28",
    "q=%00",
    "q=kernel%00drop",
    "q=%ED%A0%80",  # an encoded UTF-16 surrogate
    "q=%EE%80%80kernel%EE%80%81",  # our own headline markers
    "q=kernel&q=other",
    "q=" + "-" * 300,
    "q=" + "%22" * 301,
    "q=" + "a+OR+" * 100,
]


@pytest.mark.parametrize("query_string", BAD_QUERY_STRINGS, ids=range(len(BAD_QUERY_STRINGS)))
def test_bad_input_gets_a_normal_answer(client, query_string):
    ArticleFactory(title="Kernel", body="Kernel drop table.")
    response = client.get(f"{SEARCH_URL}?{query_string}")
    # The site answers 400 to any NUL in a query string (site_config.security).
    assert response.status_code == (400 if "%00" in query_string else 200)
    assert "\x00" not in response.text


def test_search_itself_ignores_nul_characters():
    ArticleFactory(title="Kernel")
    assert found("\x00kernel\x00") == ["Kernel"]
    assert found("\x00") == []


def test_long_queries_are_cut():
    ArticleFactory(title="Kernel")
    assert found("kernel " + "x" * 10_000) == []
    assert found("kernel" + " " * (MAX_QUERY_CHARS - 6) + "zzz") == ["Kernel"]


def test_a_large_tier_is_paged_newest_first(monkeypatch):
    ArticleFactory(title="Kernel kernel kernel methods", published_at=days_ago(9))
    ArticleFactory(title="Kernel methods", published_at=days_ago(1))
    ArticleFactory(title="Methods and a kernel", published_at=days_ago(5))
    assert found("kernel")[0] == "Kernel kernel kernel methods"
    monkeypatch.setattr("articles.search.results.RANKED_TIER_LIMIT", 2)
    assert [a.title for a in SearchResults("kernel")[0:10]] == [
        "Kernel methods",
        "Methods and a kernel",
        "Kernel kernel kernel methods",
    ]


def test_a_runaway_tier_query_is_retried_without_index_walks(monkeypatch):
    ArticleFactory(title="Kernel")
    monkeypatch.setattr("articles.search.results.WALK_TIMEOUT_MS", 50)
    # pg_sleep stands in for a walk that reads every article's vector.
    slow = Article.objects.annotate(
        nap=Func(Value(0.2), function="pg_sleep", output_field=CharField())
    ).values_list("title", flat=True)
    assert _fetch_guarded(slow) == ["Kernel"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('statement_timeout'), current_setting('enable_indexscan')"
        )
        assert cursor.fetchone() == ("0", "on")


def test_only_the_articles_own_words_carry_its_language(client, db):
    # The date and category are the interface's words and keep its font.
    ArticleFactory(title="梯度下降", body="梯度下降的更新规则。", language="zh-hans")
    html = client.get(SEARCH_URL, {"q": "梯度"}).content.decode()
    assert '<article class="entry search-result">' in html
    assert '<h2 class="entry-title" lang="zh-hans">' in html
    assert '<p class="search-snippet" lang="zh-hans">' in html

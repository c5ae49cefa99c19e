"""Lists show each story once, in the reader's language when they can (docs/bilingual.md).

Listings, their counts and pages, the "also in" marker, the recent, previous/next
and related links around an article, the sidebars' counts and the feeds.
"""

import re
from datetime import datetime

import feedparser
import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.caching import store
from articles.models import Translation
from articles.views.listings import StrictPaginationMixin
from articles.views.queries import archive_months
from tests.factories import ArticleFactory, CategoryFactory
from tests.reader_helpers import (
    elements,
    fast_passwords,  # noqa: F401 (autouse fixture)
    page_text,
)
from tests.story_helpers import build_stories
from tests.views.test_article_page import ARTICLE_BUDGET
from tests.views.test_listing import LISTING_BUDGET

pytestmark = pytest.mark.django_db

ENGLISH = ["Notes", "Floating point", "只有中文", "Attention"]
CHINESE = ["Notes", "浮点数", "只有中文", "注意力"]


@pytest.fixture
def stories():
    return build_stories()


def listed(client, url, language="en", **params):
    response = client.get(url, params, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, url
    return [article.title for article in response.context["articles"]], response


def sidebar_links(html, block_id):
    """Return the link texts of the sidebar block headed by `block_id`."""
    block = html.split(f'id="{block_id}"', 1)[1].split("</section>", 1)[0]
    return re.findall(r"<a [^>]*>([^<]*)</a>", block)


class TestListings:
    def test_home_shows_each_story_once_in_the_interface_language(self, client, stories):
        assert listed(client, "/")[0] == ENGLISH
        assert listed(client, "/", "zh-hans")[0] == CHINESE

    def test_every_listing_collapses_after_narrowing(self, client, stories):
        pages = {
            reverse("articles:tag", kwargs={"slug": "shared"}): ENGLISH,
            reverse("articles:author", kwargs={"username": "translator"}): ["Floating point"],
            reverse("articles:language", kwargs={"language": "zh-hans"}): [
                "浮点数",
                "只有中文",
                "注意力",
            ],
        }
        for url, expected in pages.items():
            assert listed(client, url)[0] == expected, url
        # A language listing shows its own language's versions whatever the interface.
        url = reverse("articles:language", kwargs={"language": "en"})
        assert listed(client, url, "zh-hans")[0] == ["Notes", "Floating point", "Attention"]

    def test_cards_mark_the_other_languages(self, client, stories):
        html = page_text(listed(client, "/")[1])
        marker = elements(html, "a", rel="alternate", hreflang="zh-Hans")
        assert [a["href"] for a in marker] == [
            stories.float_zh.get_absolute_url(),
            stories.attention_zh.get_absolute_url(),
        ]
        assert "Also in" in html and ">简体中文</a>" in html
        chinese = page_text(listed(client, "/", "zh-hans")[1])
        assert "另有" in chinese
        assert [a["href"] for a in elements(chinese, "a", rel="alternate", hreflang="en")] == [
            stories.float_en.get_absolute_url(),
            stories.attention_en.get_absolute_url(),
        ]

    def test_pages_are_full_and_counts_are_stories(self, client, stories, monkeypatch):
        monkeypatch.setattr(StrictPaginationMixin, "paginate_by", 3)
        for language, expected in (("en", ENGLISH), ("zh-hans", CHINESE)):
            first, response = listed(client, "/", language)
            second, _ = listed(client, "/", language, page=2)
            assert response.context["paginator"].count == 4
            assert (first, second) == (expected[:3], expected[3:])
        assert client.get("/", {"page": 3}).status_code == 404

    def test_cached_page_ids_are_kept_per_language(self, stories, settings):
        # The ids of a page are cached per content generation (the whole page
        # cache is off here): English ids must not be served to a Chinese reader.
        settings.PAGE_CACHE = False
        client = Client()
        assert listed(client, "/")[0] == ENGLISH
        assert listed(client, "/", "zh-hans")[0] == CHINESE
        assert listed(client, "/")[0] == ENGLISH

    def test_linking_a_translation_refreshes_cached_lists(self, client):
        english = ArticleFactory(title="Queues", language="en")
        chinese = ArticleFactory(title="队列", language="zh-hans")
        assert sorted(listed(client, "/")[0]) == ["Queues", "队列"]
        Translation.objects.create(article=chinese, source=english)
        titles, response = listed(client, "/")
        assert titles == ["Queues"] and "简体中文</a>" in page_text(response)

    def test_listing_budgets_hold_with_translations(
        self, client, stories, django_assert_max_num_queries
    ):
        urls = [
            "/",
            reverse("articles:tag", kwargs={"slug": "shared"}),
            reverse("articles:author", kwargs={"username": "translator"}),
            reverse("articles:language", kwargs={"language": "zh-hans"}),
        ]
        for url in urls:
            cache.clear()
            store.forget_local()
            with django_assert_max_num_queries(LISTING_BUDGET):
                assert client.get(url).status_code == 200, url


class TestCounts:
    def test_tag_counts_are_stories(self, client, stories):
        html = page_text(client.get(reverse("articles:tag_index")))
        assert "4 articles" in html
        cloud = page_text(client.get("/"))
        assert '<span class="count">4</span>' in cloud.split('id="sidebar-tags"', 1)[1]

    def test_archive_months_count_stories(self, stories):
        story_of = {
            stories.attention_en.pk: "attention",
            stories.attention_zh.pk: "attention",
            stories.only_zh.pk: "only",
            stories.float_zh.pk: "float",
            stories.float_en.pk: "float",
            stories.notes_en.pk: "notes",
        }
        expected = {}
        for article in stories.published():
            month = (article.published_at.year, article.published_at.month)
            expected.setdefault(month, set()).add(story_of[article.pk])
        counted = {
            (row["month"].year, row["month"].month): row["count"] for row in archive_months()
        }
        assert counted == {month: len(keys) for month, keys in expected.items()}

    def test_a_year_counts_a_story_once_across_its_months(self, client):
        def on(month):
            return timezone.make_aware(datetime(2025, month, 10))

        english = ArticleFactory(title="Queues", language="en", published_at=on(1))
        chinese = ArticleFactory(title="队列", language="zh-hans", published_at=on(2))
        ArticleFactory(title="Stacks", language="en", published_at=on(3))
        Translation.objects.create(article=chinese, source=english)
        titles, response = listed(client, reverse("articles:archive_year", kwargs={"year": 2025}))
        assert titles == ["Stacks", "Queues"]
        sidebar = page_text(response).split('id="sidebar-archive"', 1)[1]
        assert re.findall(r'class="count">\((\d+)\)', sidebar) == ["2", "1", "1", "1"]

    def test_a_category_counts_a_story_once_across_its_subcategories(self, client):
        parent = CategoryFactory(name="Parent", slug="parent")
        left = CategoryFactory(name="Left", slug="left", parent=parent)
        right = CategoryFactory(name="Right", slug="right", parent=parent)
        stories = build_stories(tags=())
        for article, category in (
            (stories.attention_en, left),
            (stories.attention_zh, right),
            (stories.only_zh, right),
        ):
            article.category = category
            article.save()
        titles, response = listed(client, reverse("articles:category", kwargs={"slug": "parent"}))
        assert titles == ["Attention", "只有中文"] or titles == ["只有中文", "Attention"]
        assert response.context["paginator"].count == 2
        children = {node.slug: node.total for node in response.context["subcategories"]}
        assert children == {"left": 1, "right": 2}
        index = page_text(client.get(reverse("articles:category_index")))
        assert "2 articles" in index


class TestAroundAnArticle:
    def test_recent_articles_leave_out_the_article_and_its_translations(self, client, stories):
        for article in (stories.attention_en, stories.attention_zh):
            html = page_text(client.get(article.get_absolute_url()))
            recent = sidebar_links(html, "sidebar-recent")
            assert "Attention" not in recent and "注意力" not in recent
            # The page speaks the article's language; each story appears once.
            expected = ["Notes", "Floating point", "只有中文"]
            if article.language == "zh-hans":
                expected = ["Notes", "浮点数", "只有中文"]
            assert recent == expected

    def test_previous_and_next_skip_the_article_own_translations(self, client, stories):
        html = page_text(client.get(stories.attention_en.get_absolute_url()))
        (after,) = elements(html, "a", rel="next")
        # Not 注意力, the translation published a day later: the next story.
        assert after["href"] == stories.only_zh.get_absolute_url()
        assert not elements(html, "a", rel="prev")
        html = page_text(client.get(stories.only_zh.get_absolute_url()))
        (before,) = elements(html, "a", rel="prev")
        (after,) = elements(html, "a", rel="next")
        # A Chinese page: each neighbouring story in Chinese.
        assert before["href"] == stories.attention_zh.get_absolute_url()
        assert after["href"] == stories.float_zh.get_absolute_url()

    def test_related_articles_are_other_stories_once_each(self, client, stories):
        html = page_text(client.get(stories.attention_zh.get_absolute_url()))
        related = html.split('id="related-title"', 1)[1].split("</section>", 1)[0]
        assert "Attention" not in related and "注意力" not in related
        assert related.count("浮点数") == 1 and "Floating point" not in related

    def test_article_budget_holds_for_a_translation(
        self, client, stories, django_assert_max_num_queries
    ):
        with django_assert_max_num_queries(ARTICLE_BUDGET):
            assert client.get(stories.attention_zh.get_absolute_url()).status_code == 200


class TestFeeds:
    def entries(self, client, name, **kwargs):
        feed = feedparser.parse(client.get(reverse(name, kwargs=kwargs)).content)
        return [entry.title for entry in feed.entries]

    def test_site_and_tag_feeds_carry_originals_only(self, client, stories):
        originals = ["Notes", "浮点数", "只有中文", "Attention"]
        assert self.entries(client, "articles:feed_rss") == originals
        assert self.entries(client, "articles:feed_atom") == originals
        assert self.entries(client, "articles:tag_feed_rss", slug="shared") == originals

    def test_language_feeds_carry_every_version_in_their_language(self, client, stories):
        assert self.entries(client, "articles:language_feed_rss", language="zh-hans") == [
            "浮点数",
            "只有中文",
            "注意力",
        ]
        assert self.entries(client, "articles:language_feed_atom", language="en") == [
            "Notes",
            "Floating point",
            "Attention",
        ]

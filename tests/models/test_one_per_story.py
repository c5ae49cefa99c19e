"""ArticleQuerySet.one_per_story(): one version of each story, chosen in SQL."""

import pytest

from articles.models import Article, Translation
from tests.factories import ArticleFactory
from tests.story_helpers import build_stories

pytestmark = pytest.mark.django_db


@pytest.fixture
def stories():
    return build_stories()


def titles(queryset):
    return [article.title for article in queryset.newest_first()]


@pytest.mark.parametrize(
    "language, expected",
    [
        # The reader's language when the story has it, else the original.
        ("en", ["Notes", "Floating point", "只有中文", "Attention"]),
        ("zh-hans", ["Notes", "浮点数", "只有中文", "注意力"]),
        # No preference: the originals (a draft translation never competes).
        (None, ["Notes", "浮点数", "只有中文", "Attention"]),
    ],
)
def test_one_version_per_story(stories, language, expected):
    assert titles(Article.objects.published().one_per_story(language)) == expected


def test_filters_narrow_before_the_versions_compete(stories):
    # The translator's page keeps the translation although the original is preferred.
    by_translator = Article.objects.published().filter(author=stories.translator)
    assert titles(by_translator.one_per_story("zh-hans")) == ["Floating point"]
    chinese = Article.objects.published().filter(language="zh-hans")
    assert titles(chinese.one_per_story("en")) == ["浮点数", "只有中文", "注意力"]


def test_without_the_language_or_the_original_the_lowest_id_wins(stories):
    source = ArticleFactory(title="Source", language="en", status=Article.Status.DRAFT)
    first = ArticleFactory(title="第一", language="zh-hans")
    second = ArticleFactory(title="Zweite", language="de")
    for version in (first, second):
        Translation.objects.create(article=version, source=source)
    story = Article.objects.filter(pk__in=[first.pk, second.pk]).published()
    assert titles(story.one_per_story("en")) == ["第一"]
    assert titles(story.one_per_story("de")) == ["Zweite"]


def test_one_query_and_the_count_counts_stories(stories, django_assert_num_queries):
    listed = Article.objects.published().one_per_story("en").newest_first()
    with django_assert_num_queries(1) as captured:
        rows = list(listed.all())
    # Chosen by PostgreSQL: a window ranks the versions, the listing skips the losers.
    assert "ROW_NUMBER() OVER" in captured.captured_queries[0]["sql"]
    with django_assert_num_queries(1):
        assert listed.count() == len(rows) == 4
    with django_assert_num_queries(1):
        assert list(listed.values_list("pk", flat=True)[1:3]) == [row.pk for row in rows[1:3]]


def test_other_stories_leaves_out_every_version(stories):
    for article in (stories.attention_en, stories.attention_zh):
        left = Article.objects.published().other_stories(article)
        assert {a.title for a in left} == {"只有中文", "浮点数", "Floating point", "Notes"}
    single = Article.objects.published().other_stories(stories.only_zh)
    assert "只有中文" not in {a.title for a in single} and single.count() == 5


def test_listing_rows_name_the_other_published_versions(stories):
    rows = {a.title: a.other_versions for a in Article.objects.published().for_listing()}
    assert rows["Attention"] == [{"language": "zh-hans", "slug": stories.attention_zh.slug}]
    assert rows["注意力"] == [{"language": "en", "slug": stories.attention_en.slug}]
    assert rows["Floating point"] == [{"language": "zh-hans", "slug": stories.float_zh.slug}]
    # A draft translation is not offered; a story told once has nothing to offer.
    assert rows["Notes"] == [] and rows["只有中文"] == []

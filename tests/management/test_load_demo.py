import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from taggit.models import Tag

from articles.models import Article, Category, Comment, Series, SeriesPart, Translation

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)


def snapshot():
    return [
        sorted(
            Article.objects.values_list("slug", "updated_at", "content_updated_at", "body_html")
        ),
        sorted(SeriesPart.objects.values_list("series__slug", "article__slug", "position")),
        sorted(Translation.objects.values_list("article__slug", "source__slug")),
        sorted(Comment.objects.values_list("source_key", "body", "parent__source_key")),
    ]


def test_demo_covers_what_a_visitor_should_see(demo):
    assert Article.objects.count() >= 14
    assert Article.objects.published().count() > 10  # two pages of the home feed
    assert Article.objects.drafts().count() == 1
    assert Article.objects.scheduled().count() == 1
    assert set(Article.objects.values_list("language", flat=True)) == {"en", "zh-hans"}
    assert Category.objects.count() >= 4
    assert Category.objects.filter(parent__isnull=False).exists()
    assert Tag.objects.count() >= 10
    # One article is co-written, so bylines, feeds and author pages show the case.
    shared = Article.objects.get(slug="django-orm-habits-for-fast-queries")
    assert [person.username for person in shared.byline] == ["lin", "maya"]


def test_demo_bodies_use_the_features_authors_rely_on(demo):
    bodies = "\n".join(Article.objects.values_list("body", flat=True))
    for feature in ("$$", "```python", "```rust", "|---", "[^1]", "![", "\\begin{"):
        assert feature in bodies, feature


def test_running_twice_changes_nothing(demo):
    before = snapshot()
    users = get_user_model().objects.count()
    call_command("load_demo", verbosity=0)
    assert snapshot() == before
    assert get_user_model().objects.count() == users


def test_logins_have_their_roles(demo):
    User = get_user_model()
    editor = User.objects.get(username="editor")
    author = User.objects.get(username="lin")
    assert editor.has_perm("articles.publish_article")
    assert author.is_staff
    assert not author.has_perm("articles.publish_article")
    assert author.check_password("inkstone-demo")


def test_demo_shows_a_series_with_a_part_still_scheduled(demo):
    series = Series.objects.get(slug="数值计算入门")
    assert series.parts.count() == 3
    published = list(series.published_parts().values_list("slug", flat=True))
    assert len(published) == 2  # the part about Newton's method is scheduled
    assert Series.objects.with_published_parts().count() == 2


def test_demo_has_a_story_in_two_languages(demo):
    link = Translation.objects.get()
    assert {link.article.language, link.source.language} == {"en", "zh-hans"}
    assert link.article.is_public and link.source.is_public


def test_demo_discussions_have_math_code_replies_and_a_marked_author_reply(demo):
    comments = Comment.objects.filter(status="approved")
    assert comments.count() >= 6
    assert comments.filter(parent__isnull=False).exists()
    staff = comments.get(is_staff_reply=True, article__slug="the-log-sum-exp-trick")
    assert staff.user == staff.article.author
    html = "".join(comments.values_list("body_html", flat=True))
    assert "<math" in html and 'class="highlight' in html

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from taggit.models import Tag

from articles.models import Article, Category, SeriesPart, Translation

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)


def snapshot():
    return sorted(
        Article.objects.values_list("slug", "updated_at", "content_updated_at", "body_html")
    )


def test_demo_covers_what_a_visitor_should_see(demo):
    assert Article.objects.count() >= 14
    assert Article.objects.published().count() > 10  # two pages of the home feed
    assert Article.objects.drafts().count() == 1
    assert Article.objects.scheduled().count() == 1
    assert set(Article.objects.values_list("language", flat=True)) == {"en", "zh-hans"}
    assert Category.objects.count() >= 4
    assert Category.objects.filter(parent__isnull=False).exists()
    assert Tag.objects.count() >= 10
    # A story told in two languages and a series, so the demo shows both.
    link = Translation.objects.get()
    assert (link.source.language, link.article.language) == ("zh-hans", "en")
    assert list(SeriesPart.objects.values_list("series__title", "position")) == [
        ("Rust in practice", 1),
        ("Rust in practice", 2),
    ]


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
    assert (Translation.objects.count(), SeriesPart.objects.count()) == (1, 2)


def test_logins_have_their_roles(demo):
    User = get_user_model()
    editor = User.objects.get(username="editor")
    author = User.objects.get(username="lin")
    assert editor.has_perm("articles.publish_article")
    assert author.is_staff
    assert not author.has_perm("articles.publish_article")
    assert author.check_password("inkstone-demo")

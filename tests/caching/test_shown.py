"""An edit of one article's body leaves cached the listings and feeds that do not show it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.caching.shown import is_outdated
from articles.caching.token import content_token, move_token
from articles.comments.moderation import moderate
from articles.models import ArticleCard, Comment
from tests.caching.helpers import page
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(settings):
    """Twelve articles, newest first: ten on the home page, two on page 2, five in the feed."""
    settings.ARTICLES_PER_PAGE = 10
    settings.FEED_ITEMS = 5
    now = timezone.now()
    return [
        ArticleFactory(
            title=f"Article {n}",
            summary=f"First summary {n}.",
            published_at=now - timedelta(days=n + 1),
        )
        for n in range(12)
    ]


LISTINGS = ("/", "/?page=2", "/feed/", "/feed/atom/", "/feed/json/")


def test_an_edit_outside_a_listing_leaves_it_a_hit(client, archive, django_assert_num_queries):
    for path in LISTINGS:
        page(client, path)
    oldest = archive[-1]
    oldest.summary = "Rewritten long after."
    oldest.save()
    for path in ("/", "/feed/", "/feed/atom/", "/feed/json/"):
        with django_assert_num_queries(1):  # a hit: the token's query only
            assert "Rewritten long after" not in page(client, path), path
    assert "Rewritten long after" in page(client, "/?page=2")


def test_an_edit_inside_a_listing_renders_it_again(client, archive):
    for path in LISTINGS:
        page(client, path)
    newest = archive[0]
    newest.summary = "Rewritten at the top."
    newest.save()
    for path in ("/", "/feed/", "/feed/atom/", "/feed/json/"):
        assert "Rewritten at the top" in page(client, path), path
    assert "Rewritten at the top" not in page(client, "/?page=2")


def test_a_later_comment_or_card_keeps_the_edit_in_view(client, archive):
    # Both move the article's mark but not its edit: the home page must still see it.
    page(client, "/")
    newest = archive[0]
    newest.summary = "Edited, then discussed."
    newest.save()
    moderate(Comment.objects.create(article=newest, name="Lin", body="x"), "approve")
    card, _created = ArticleCard.objects.get_or_create(article=newest)
    card.generated = "cards/edited-then-discussed.png"
    card.save()
    assert "Edited, then discussed" in page(client, "/")


def test_search_results_are_not_kept_past_an_edit(client, archive):
    # A body edit can change what a query matches: search keeps the whole token.
    oldest = archive[-1]
    page(client, "/search/?q=quaternion")
    oldest.body = "Quaternions, at last."
    oldest.save()
    assert oldest.title in page(client, "/search/?q=quaternion")


def test_a_page_that_noted_nothing_counts_as_showing_everything(archive, rf):
    request = rf.get("/")
    before = content_token(request).value
    move_token(reach="own_page", article="anything", article_pk=archive[0].pk)
    later = rf.get("/")
    assert is_outdated(later, (before, None))
    assert not is_outdated(later, (before, (archive[1].pk,)))
    assert is_outdated(later, (before, (archive[0].pk,)))

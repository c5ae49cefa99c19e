"""Approved comments are part of the cached page: they appear at once, and only they move it."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.caching.token import content_token
from articles.comments.moderation import moderate
from articles.models import ClosedDiscussion, Comment, CommentPolicy, CommentStatus
from tests.comments.helpers import post_comment
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db
STAMP = re.compile(r'name="stamp" value="[^"]*"')


def get(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return response


def test_a_new_approved_comment_appears_at_once(client, article, django_assert_num_queries):
    url = article.get_absolute_url()
    feed = reverse("articles:article_comments_feed", kwargs={"slug": article.slug})
    get(client, url), get(client, feed)
    with django_assert_num_queries(1):  # a cache hit: the content token only
        get(client, url)
    post_comment(client, article, body="Fresh insight on $\\lambda$")
    comment = Comment.objects.get()
    moderate(comment, "approve")
    assert "Fresh insight" in get(client, url).content.decode()
    assert "Fresh insight" in get(client, feed).content.decode()
    assert "Fresh insight" in get(client, reverse("articles:comments_feed")).content.decode()


def test_held_and_spam_comments_leave_the_cache_alone(client, article, django_assert_num_queries):
    get(client, article.get_absolute_url())
    before = str(content_token())
    post_comment(client, article, body="Held back")
    comment = Comment.objects.get()
    moderate(comment, "spam")
    moderate(comment, "reject")
    assert str(content_token()) == before
    with django_assert_num_queries(1):
        assert "Held back" not in get(client, article.get_absolute_url()).content.decode()


def test_rejecting_or_deleting_a_visible_comment_removes_it_at_once(client, article):
    comment = Comment.objects.create(
        article=article, name="Lin", body="Soon gone", status=CommentStatus.APPROVED
    )
    assert "Soon gone" in get(client, article.get_absolute_url()).content.decode()
    moderate(comment, "reject")
    assert "Soon gone" not in get(client, article.get_absolute_url()).content.decode()
    moderate(comment, "approve")
    assert "Soon gone" in get(client, article.get_absolute_url()).content.decode()
    moderate(comment, "delete")
    assert "Soon gone" not in get(client, article.get_absolute_url()).content.decode()


def without_stamp(response):
    # The form stamp records when the page was rendered; the rest must not change.
    return STAMP.sub("", response.content.decode())


def test_an_unrelated_article_page_is_unchanged(client, article):
    other = ArticleFactory(title="Unrelated")
    first = get(client, other.get_absolute_url())
    comment = Comment.objects.create(article=article, name="Lin", body="Elsewhere")
    moderate(comment, "approve")
    assert "Elsewhere" in get(client, article.get_absolute_url()).content.decode()
    assert without_stamp(get(client, other.get_absolute_url())) == without_stamp(first)


def test_an_unrelated_article_page_stays_a_cache_hit(client, article, django_assert_num_queries):
    other = ArticleFactory(title="Unrelated")
    get(client, other.get_absolute_url())
    moderate(Comment.objects.create(article=article, name="Lin", body="x"), "approve")
    with django_assert_num_queries(1):
        get(client, other.get_absolute_url())


def test_a_comment_moves_its_article_and_the_comment_feeds_only(
    client, article, django_assert_num_queries
):
    other = ArticleFactory(title="Unrelated")
    article_feed = reverse("articles:article_comments_feed", kwargs={"slug": article.slug})
    recent_feed = reverse("articles:comments_feed")
    untouched = [
        reverse("articles:home"),
        reverse("articles:feed_rss"),
        other.get_absolute_url(),
        reverse("articles:article_comments_feed", kwargs={"slug": other.slug}),
    ]
    for path in [*untouched, article.get_absolute_url(), article_feed, recent_feed]:
        get(client, path)
    moderate(Comment.objects.create(article=article, name="Lin", body="Only here"), "approve")
    for path in untouched:
        with django_assert_num_queries(1):  # still a hit: the token's query only
            assert "Only here" not in get(client, path).content.decode()
    for path in (article.get_absolute_url(), article_feed, recent_feed):
        assert "Only here" in get(client, path).content.decode(), path


def test_closing_one_discussion_moves_only_its_page(client, article, django_assert_num_queries):
    other = ArticleFactory(title="Unrelated")
    closed = "Comments are closed on this article."
    for path in (article.get_absolute_url(), other.get_absolute_url(), "/"):
        get(client, path)
    switch = ClosedDiscussion.objects.create(article=article)
    assert closed in get(client, article.get_absolute_url()).content.decode()
    for path in (other.get_absolute_url(), "/"):
        with django_assert_num_queries(1):
            get(client, path)
    switch.delete()
    assert closed not in get(client, article.get_absolute_url()).content.decode()


def test_closing_comments_site_wide_reaches_every_article_page(client, article):
    other = ArticleFactory(title="Unrelated")
    for each in (article, other):
        assert "comment-form" in get(client, each.get_absolute_url()).content.decode()
    CommentPolicy.objects.create(pk=1, is_open=False)
    for each in (article, other):
        html = get(client, each.get_absolute_url()).content.decode()
        assert "Comments are closed on this site for now." in html


def test_a_discussion_closing_by_the_clock_takes_the_form_off_cached_pages(
    client, settings, monkeypatch
):
    # Comments close a day after publication, a minute from now: nothing is saved
    # when that minute passes, so the cached page must expire by itself.
    settings.PAGE_S_MAXAGE = 3600
    CommentPolicy.objects.create(pk=1, close_after_days=1)
    started = timezone.now()
    article = ArticleFactory(published_at=started - timedelta(days=1, seconds=-60))
    first = get(client, article.get_absolute_url())
    assert "comment-form" in first.content.decode()
    assert 0 < max_age(first, "s-maxage") <= 60  # Varnish or a CDN keeps it no longer
    assert "comment-form" in get(client, article.get_absolute_url()).content.decode()

    monkeypatch.setattr(timezone, "now", lambda: started + timedelta(seconds=61))
    html = get(client, article.get_absolute_url()).content.decode()
    assert "comment-form" not in html
    assert "Comments close 1 day after publication." in html


def test_an_open_ended_discussion_keeps_its_page_cached(client, article, settings):
    settings.PAGE_S_MAXAGE = 3600
    assert max_age(get(client, article.get_absolute_url()), "s-maxage") == 3600


def max_age(response, directive):
    found = re.search(rf"{directive}=(\d+)", response["Cache-Control"])
    return int(found.group(1))


def test_comments_cost_the_same_queries_however_many(client, article, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PAGE_CACHE = False

    def queries():
        with CaptureQueriesContext(connection) as captured:
            get(client, article.get_absolute_url())
        return len(captured)

    Comment.objects.create(article=article, name="A", body="a", status=CommentStatus.APPROVED)
    queries()  # fills the fragment caches
    one = queries()
    top = Comment.objects.create(article=article, name="B", body="b", status="approved")
    for n in range(20):
        Comment.objects.create(
            article=article, parent=top, name=f"R{n}", body="r", status="approved"
        )
    assert queries() == one

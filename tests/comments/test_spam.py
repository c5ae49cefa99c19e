"""Every spam defence, through real requests to the posting view."""

import time

import pytest
from django.urls import reverse

from articles.comments.spam import make_stamp
from articles.models import BlockedTerm, Comment, CommentStatus
from tests.comments.helpers import comment_data, post_comment
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_the_honeypot_refuses_and_keeps_the_text(client, article):
    response = post_comment(client, article, homepage="http://spam.example", body="Buy now")
    assert response.status_code == 400
    assert "Buy now" in response.content.decode()
    assert not Comment.objects.exists()


def test_a_post_right_after_loading_the_page_is_refused(client, article):
    response = post_comment(client, article, stamp=make_stamp(article.pk))
    assert response.status_code == 400
    assert response["Retry-After"]
    assert "wait" in response.content.decode()
    assert not Comment.objects.exists()


def test_the_stamp_of_the_served_form_works_after_the_minimum_time(client, article, settings):
    settings.COMMENTS_MIN_SECONDS = 1
    page = client.get(reverse("comments:stamp", kwargs={"article_pk": article.pk}))
    stamp = page.json()["stamp"]
    assert post_comment(client, article, stamp=stamp).status_code == 400
    time.sleep(1.1)
    assert post_comment(client, article, stamp=stamp).status_code == 200


@pytest.mark.parametrize(
    "stamp",
    ["", "forged", None],
    ids=["empty", "forged", "missing"],
)
def test_a_missing_or_forged_stamp_is_refused_with_a_fresh_one(client, article, stamp):
    response = post_comment(client, article, stamp=stamp)
    assert response.status_code == 400
    assert 'name="stamp" value="' in response.content.decode()
    assert not Comment.objects.exists()


def test_a_stamp_for_another_article_or_too_old_is_refused(client, article, settings):
    other = ArticleFactory()
    assert post_comment(client, article, stamp=make_stamp(other.pk, now=0)).status_code == 400
    settings.COMMENTS_MAX_FORM_AGE = 30
    old = make_stamp(article.pk, now=time.time() - 31)
    assert post_comment(client, article, stamp=old).status_code == 400
    assert not Comment.objects.exists()


def test_rate_limit_per_ip(client, article):
    answers = [
        post_comment(client, article, body=f"Comment {n}", ip="198.51.100.1").status_code
        for n in range(8)
    ]
    assert answers == [200] * 5 + [429] * 3
    # Another address is not held back.
    assert post_comment(client, article, body="Other", ip="198.51.100.2").status_code == 200


def test_rate_limit_per_email_across_addresses(client, article):
    answers = [
        post_comment(
            client, article, body=f"C {n}", email="bot@example.com", ip=f"192.0.2.{n}"
        ).status_code
        for n in range(7)
    ]
    assert answers == [200] * 5 + [429] * 2
    response = post_comment(client, article, body="late", email="bot@example.com")
    assert int(response["Retry-After"]) > 0


def test_link_limit(client, article):
    body = " ".join(f"https://site{n}.example/" for n in range(4))
    response = post_comment(client, article, body=body)
    assert response.status_code == 400
    assert "at most 3 links" in response.content.decode()
    assert post_comment(client, article, body=body.rsplit(" ", 1)[0]).status_code == 200


def test_duplicates_are_refused_on_the_same_article(client, article):
    assert post_comment(client, article, body="Same words").status_code == 200
    response = post_comment(client, article, body="  same   WORDS ")
    assert response.status_code == 400
    assert "already posted" in response.content.decode()


def test_the_same_text_on_another_article_scores(client, article):
    other = ArticleFactory()
    post_comment(client, article, body="Great post, visit my site")
    post_comment(client, other, body="Great post, visit my site", ip="192.0.2.99")
    comment = Comment.objects.get(article=other)
    assert comment.spam_score == 3
    assert any("another article" in reason for reason in comment.spam_reasons)


def test_blocked_words_and_hosts_file_as_spam_with_reasons(client, article):
    BlockedTerm.objects.create(kind="word", value="Casino")
    BlockedTerm.objects.create(kind="host", value="pills.example")
    post_comment(client, article, body="Best CASINO bonus", ip="192.0.2.1")
    post_comment(client, article, body="see https://shop.pills.example/x", ip="192.0.2.2")
    post_comment(
        client, article, body="fine words", website="https://pills.example", ip="192.0.2.3"
    )
    spam = Comment.objects.filter(status=CommentStatus.SPAM).order_by("pk")
    assert spam.count() == 3
    reasons = [" ".join(comment.spam_reasons) for comment in spam]
    assert "casino" in reasons[0]
    assert "pills.example" in reasons[1] and "pills.example" in reasons[2]
    # Spam never reaches the moderation queue's emails or the page.
    assert "casino" not in client.get(article.get_absolute_url()).content.decode().lower()


def test_a_full_moderation_queue_refuses_new_commenters(client, article, settings):
    settings.COMMENTS_MAX_PENDING_PER_ARTICLE = 2
    settings.COMMENTS_RATE_PER_IP = 100
    answers = [post_comment(client, article, body=f"n{n}").status_code for n in range(3)]
    assert answers == [200, 200, 429]


def test_comment_data_is_what_a_form_sends(article):
    data = comment_data(article)
    assert set(data) == {"name", "email", "website", "body", "stamp", "homepage"}


def test_a_refusal_is_cheap(client, article, settings, django_assert_max_num_queries):
    settings.COMMENTS_RATE_PER_IP = 1
    post_comment(client, article, body="first", ip="192.0.2.50")
    # The article (with its switches) and the poster's history; nothing is written.
    with django_assert_max_num_queries(2):
        response = post_comment(client, article, body="second", ip="192.0.2.50")
    assert response.status_code == 429


def test_a_held_post_costs_eight_queries(client, article, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        assert post_comment(client, article, email="new@example.com").status_code == 200

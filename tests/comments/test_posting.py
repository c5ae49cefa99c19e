"""Posting without JavaScript: the held, published and refused answers, and what is stored."""

import pytest
from django.urls import reverse

from articles.models import ClosedDiscussion, Comment, CommentPolicy, CommentStatus
from tests.comments.helpers import comment_data, post_comment
from tests.factories import ArticleFactory, draft

pytestmark = pytest.mark.django_db


def test_article_page_shows_the_form_without_a_csrf_cookie(client, article):
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert 'id="comment-form"' in html
    assert 'name="stamp"' in html and 'name="homepage"' in html
    # A CSRF cookie would make every article page uncacheable.
    assert not response.cookies


def test_a_new_commenter_is_held_for_moderation(client, article):
    response = post_comment(client, article, email="lin@example.com")
    assert response.status_code == 200
    assert "awaiting" in response.content.decode() or "approves" in response.content.decode()
    comment = Comment.objects.get()
    assert comment.status == CommentStatus.PENDING
    assert comment.ip_address == "203.0.113.7"
    assert "<math" in comment.body_html
    page = client.get(article.get_absolute_url()).content.decode()
    assert "thoughtful remark" not in page


def test_an_approved_comment_shows_with_math_and_a_permalink(client, article):
    post_comment(client, article, body="Code `x` and $$\\sum_i x_i$$")
    comment = Comment.objects.get()
    comment.status = CommentStatus.APPROVED
    comment.save()
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'id="comment-{comment.pk}"' in page
    assert f'href="#comment-{comment.pk}"' in page
    assert "<math" in page and "<code>x</code>" in page
    assert "1 comment" in page


def test_a_staff_reply_is_published_at_once_and_marked(client, article, author):
    parent = Comment.objects.create(
        article=article, name="Lin", body="Question?", status=CommentStatus.APPROVED
    )
    client.force_login(author)
    page = client.get(article.get_absolute_url())
    token = page.cookies["csrftoken"].value
    response = client.post(
        reverse("comments:post", kwargs={"article_pk": article.pk}),
        comment_data(article, name="The author", body="Answer.", parent=parent.pk, stamp=""),
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 302
    reply = Comment.objects.get(parent=parent)
    assert reply.status == CommentStatus.APPROVED and reply.is_staff_reply
    client.logout()
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'class="comment-badge">Author<' in html
    assert 'class="comment-replies"' in html


def test_a_logged_in_post_without_csrf_token_is_refused(client, article, author):
    client.force_login(author)
    client.handler.enforce_csrf_checks = True
    response = post_comment(client, article)
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_a_reply_to_a_reply_joins_the_top_level_thread(client, article):
    top = Comment.objects.create(article=article, name="A", body="1", status="approved")
    reply = Comment.objects.create(
        article=article, parent=top, name="B", body="2", status="approved"
    )
    post_comment(client, article, parent=reply.pk, body="3")
    assert Comment.objects.get(body="3").parent == top


def test_trusted_after_first_approval(client, article, settings):
    post_comment(client, article, name="Lin", email="lin@example.com", body="First.")
    first = Comment.objects.get()
    assert first.status == CommentStatus.PENDING
    first.status = CommentStatus.APPROVED
    first.save()
    response = post_comment(client, article, name="Lin", email="LIN@example.com", body="Second.")
    assert response.status_code == 302
    assert Comment.objects.get(body="Second.").status == CommentStatus.APPROVED
    # Same email, another name: not the same commenter as far as trust goes.
    post_comment(client, article, name="Mallory", email="lin@example.com", body="Third.")
    assert Comment.objects.get(body="Third.").status == CommentStatus.PENDING
    settings.COMMENTS_TRUST_APPROVED = False
    post_comment(client, article, name="Lin", email="lin@example.com", body="Fourth.")
    assert Comment.objects.get(body="Fourth.").status == CommentStatus.PENDING


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"name": "   "}, "name"),
        ({"body": "  "}, "body"),
        ({"email": "not-an-address"}, "email"),
        ({"website": "javascript:alert(1)"}, "website"),
        ({"wants_replies": "on"}, "email"),
    ],
)
def test_bad_input_gets_the_form_back_with_the_text(client, article, fields, field):
    body = fields.get("body", "My words, kept: 你好")
    response = post_comment(client, article, **{**fields, "body": body})
    assert response.status_code == 400
    html = response.content.decode()
    assert "comment-error" in html
    if body.strip():
        assert "My words, kept: 你好" in html
    assert not Comment.objects.exists()


def test_closed_per_article_site_wide_and_after_days(client, article):
    ClosedDiscussion.objects.create(article=article)
    assert "comment-form" not in client.get(article.get_absolute_url()).content.decode()
    assert post_comment(client, article).status_code == 403
    ClosedDiscussion.objects.all().delete()
    CommentPolicy.objects.create(pk=1, is_open=False)
    assert post_comment(client, article).status_code == 403
    CommentPolicy.objects.filter(pk=1).update(is_open=True, close_after_days=1)
    old = ArticleFactory(slug="old-one")  # published a day ago
    assert post_comment(client, old).status_code == 403
    CommentPolicy.objects.filter(pk=1).update(close_after_days=2)
    assert post_comment(client, old).status_code == 200


def test_control_characters_are_stripped_from_a_posted_comment(client, article):
    post_comment(client, article, name="Mallory\x01", body="Great \x02article\x1f.")
    comment = Comment.objects.get()
    assert (comment.name, comment.body) == ("Mallory", "Great article.")


def test_drafts_take_no_comments(client, author):
    hidden = draft(author=author)
    assert post_comment(client, hidden).status_code == 404


def test_preview_without_javascript_keeps_the_form(client, article):
    data = comment_data(article, body="Preview $x^2$ <script>alert(1)</script>", preview="1")
    response = client.post(reverse("comments:post", kwargs={"article_pk": article.pk}), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<math" in html and "<script>alert" not in html
    assert not Comment.objects.exists()


def test_preview_endpoint_uses_the_comment_allowlist(client):
    response = client.post(
        reverse("comments:preview"),
        {"body": "# Title\n\n<b>raw</b> [x](http://e.example) ![i](https://other.example/i.png)"},
    )
    html = response.json()["html"]
    assert "<h1" not in html and "<b>" not in html and "&lt;b&gt;" in html
    assert 'rel="nofollow ugc noopener"' in html
    assert "other.example" not in html


def test_json_answer_for_scripts(client, article):
    response = client.post(
        reverse("comments:post", kwargs={"article_pk": article.pk}),
        comment_data(article),
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 201
    assert response.json() == {
        "ok": True,
        "approved": False,
        "message": response.json()["message"],
        "url": "",
    }


def test_the_interface_speaks_chinese(client, article, settings):
    # An article page speaks its article's language unless the reader chose one
    # (the footer's language links set Django's language cookie).
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    html = client.get(article.get_absolute_url(), headers={"accept-language": "zh-hans"})
    text = html.content.decode()
    assert "发表评论" in text and "0 条评论" in text and "邮箱（可选）" in text
    response = post_comment(
        client,
        article,
        body="链接 " + "https://a.example " * 4,
        headers={"accept-language": "zh-hans"},
    )
    assert "一条评论最多包含 3 个链接" in response.content.decode("utf-8")

"""Notifications through a real SMTP server: moderation links, replies, unsubscribe, forget."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles.comments import outbox
from articles.models import Comment, CommentMail, CommentStatus
from tests.comments.helpers import post_comment
from tests.comments.smtp import html_of, text_of
from tests.factories import UserFactory

# Real commits: the outbox is sent after commit by a thread with its own connection.
pytestmark = pytest.mark.django_db(transaction=True)
LINK = re.compile(r"http://testserver(/comments/[^\s\"<>]+)")


def links_in(message):
    return dict(
        zip(
            ("approve", "reject", "spam", "delete"),
            LINK.findall(text_of(message)),
            strict=False,
        )
    )


@pytest.fixture
def moderators(author, editor):
    author.email = "author@example.com"
    author.save()
    editor.email = "editor@example.com"
    editor.save()
    UserFactory(username="reader", email="reader@example.com")  # not staff: never told


def test_a_held_comment_is_mailed_to_moderators_after_commit(client, article, smtp, moderators):
    post_comment(client, article, name="Lin", body="Is $A^T A$ symmetric?")
    outbox.join_deliveries(10)
    messages = smtp.mailbox.wait(2)
    assert sorted(m["To"] for m in messages) == ["author@example.com", "editor@example.com"]
    assert "Is $A^T A$ symmetric?" in text_of(messages[0])
    assert not CommentMail.objects.exists()


@pytest.mark.django_db(transaction=False)
def test_nothing_is_sent_while_the_poster_waits(
    client, article, smtp, moderators, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = post_comment(client, article, body="Quick answer please")
        assert response.status_code == 200
    # Queued in the comment's transaction, sent only by an after-commit callback.
    assert CommentMail.objects.count() == 2
    assert smtp.mailbox.messages == []
    assert outbox.start_delivery in callbacks


def test_moderation_links_change_nothing_until_posted(client, article, smtp, moderators):
    post_comment(client, article, body="Approve me")
    outbox.join_deliveries(10)
    message = smtp.mailbox.wait(1)[0]
    approve = links_in(message)["approve"]
    page = client.get(approve)
    assert page.status_code == 200 and "Approve me" in page.content.decode()
    assert Comment.objects.get().status == CommentStatus.PENDING  # a scanner's GET did nothing
    assert client.post(approve).status_code == 200
    assert Comment.objects.get().status == CommentStatus.APPROVED
    assert "Approve me" in client.get(article.get_absolute_url()).content.decode()
    # A tampered link is refused.
    assert client.post(approve[:-4] + "xyz/").status_code == 404


def test_reply_notification_with_text_and_one_click_unsubscribe(client, article, smtp):
    parent = Comment.objects.create(
        article=article,
        name="Lin",
        email="lin@example.com",
        body="How?",
        wants_replies=True,
        status=CommentStatus.APPROVED,
    )
    reply = Comment.objects.create(article=article, parent=parent, name="Wei", body="Like **so**.")
    from articles.comments.moderation import moderate

    moderate(reply, "approve")
    outbox.join_deliveries(10)
    message = smtp.mailbox.wait(1)[0]
    assert message["To"] == "lin@example.com"
    assert "Like **so**." in text_of(message)
    assert "<strong>so</strong>" in html_of(message)
    unsubscribe = "".join(str(message["List-Unsubscribe"]).split()).strip("<>")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert client.post(unsubscribe.removeprefix("http://testserver")).status_code == 200
    parent.refresh_from_db()
    assert not parent.wants_replies
    second = Comment.objects.create(article=article, parent=parent, name="Wei", body="Also.")
    moderate(second, "approve")
    outbox.join_deliveries(10)
    assert len(smtp.mailbox.messages) == 1


def test_delete_own_comment_from_the_reply_email(client, article, smtp):
    parent = Comment.objects.create(
        article=article, name="Lin", email="lin@example.com", body="Mine",
        wants_replies=True, status=CommentStatus.APPROVED,
    )  # fmt: skip
    reply = Comment.objects.create(article=article, parent=parent, name="Wei", body="Yours")
    from articles.comments.moderation import moderate

    moderate(reply, "approve")
    outbox.join_deliveries(10)
    text = text_of(smtp.mailbox.wait(1)[0])
    delete = next(path for path in LINK.findall(text) if path.startswith("/comments/delete/"))
    assert client.get(delete).status_code == 200
    assert Comment.objects.filter(pk=parent.pk).exists()
    client.post(delete)
    assert not Comment.objects.filter(pk=parent.pk).exists()


def test_forget_me_deletes_everything_from_one_address(client, article, smtp):
    for body in ("one", "two"):
        Comment.objects.create(article=article, name="Lin", email="lin@example.com", body=body)
    Comment.objects.create(article=article, name="Kai", email="kai@example.com", body="three")
    response = client.post(reverse("comments:forget"), {"email": "LIN@example.com"})
    assert response.status_code == 200
    outbox.join_deliveries(10)
    text = text_of(smtp.mailbox.wait(1)[0])
    (confirm,) = LINK.findall(text)
    client.post(confirm)
    assert list(Comment.objects.values_list("body", flat=True)) == ["three"]


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, smtp):
    response = client.post(reverse("comments:forget"), {"email": "nobody@example.com"})
    assert response.status_code == 200
    assert not CommentMail.objects.exists()


def test_a_failed_send_is_kept_logged_and_retried(client, article, smtp, moderators, caplog):
    smtp.stop()  # the mail server is down
    post_comment(client, article, body="Keep me")
    outbox.join_deliveries(10)
    mails = list(CommentMail.objects.all())
    assert len(mails) == 2 and all(mail.attempts == 1 for mail in mails)
    assert all(mail.last_error for mail in mails)
    assert "retrying after" in caplog.text
    smtp.start()
    call_command("send_comment_mail", "--all")
    assert len(smtp.mailbox.wait(2)) == 2
    assert not CommentMail.objects.exists()

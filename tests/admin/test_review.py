"""Review before publishing: the workflow, its queue, notifications by real SMTP, secret links."""

import socket
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from articles.models import Article, PreviewLink, ReviewEvent
from tests.admin_forms import form_data
from tests.factories import UserFactory, draft


class Inbox:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content)
        self.messages.append((envelope.rcpt_tos, message))
        return "250 Message accepted for delivery"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(settings):
    """A real SMTP server on localhost, with Django's SMTP backend pointed at it."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield inbox
    controller.stop()


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def body_of(message):
    return message.get_payload(decode=True).decode()


@pytest.fixture
def people(db):
    author = UserFactory(username="wen", role="Authors", email="wen@example.org")
    editor = UserFactory(username="ed", role="Editors", email="ed@example.org")
    return author, editor


def step(client, article, action, text="", **overrides):
    data = form_data(client.get(change_url(article)), _review=action, review_text=text)
    data.update(overrides)
    return client.post(change_url(article), data)


def test_submit_comment_request_changes_approve(
    client, people, smtp, django_capture_on_commit_callbacks
):
    author, editor = people
    article = draft(author=author, title="Softmax, gently")

    client.force_login(author)
    with django_capture_on_commit_callbacks(execute=True):
        response = step(client, article, "submit", "Ready for a look.")
    assert response.status_code == 302 and response["Location"] == change_url(article)
    (recipients, message) = smtp.messages[-1]
    assert recipients == ["ed@example.org"]
    assert "Softmax, gently" in message["Subject"]
    assert "Ready for a look." in body_of(message)

    # The editor sees it in the queue: the admin index and the list filter.
    client.force_login(editor)
    index = client.get(reverse("admin:index")).content.decode()
    assert "Review queue: 1 article waiting" in index
    waiting = client.get(reverse("admin:articles_article_changelist") + "?review=waiting")
    assert list(waiting.context["cl"].result_list) == [article]

    with django_capture_on_commit_callbacks(execute=True):
        step(client, article, "changes", "Define the notation first.")
    (recipients, message) = smtp.messages[-1]
    assert recipients == ["wen@example.org"]
    assert "Define the notation first." in body_of(message)

    # The author sees the comment on the article's page, and it leaves the queue.
    client.force_login(author)
    page = client.get(change_url(article)).content.decode()
    assert "Define the notation first." in page
    assert "Changes requested" in page
    client.force_login(editor)
    assert "Review queue: 0 articles waiting" in client.get(reverse("admin:index")).content.decode()

    # Approve and schedule in one step.
    when = timezone.localtime() + timezone.timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        step(
            client,
            article,
            "approve",
            "Lovely.",
            status="published",
            published_at_0=when.strftime("%Y-%m-%d"),
            published_at_1=when.strftime("%H:%M:%S"),
        )
    article.refresh_from_db()
    assert article.is_scheduled
    assert [e.kind for e in article.review_events.all()] == [
        ReviewEvent.Kind.SUBMITTED,
        ReviewEvent.Kind.CHANGES_REQUESTED,
        ReviewEvent.Kind.APPROVED,
    ]
    assert smtp.messages[-1][0] == ["wen@example.org"]


def test_authors_cannot_approve(client, people):
    author, _ = people
    article = draft(author=author)
    client.force_login(author)
    assert step(client, article, "approve").status_code == 403
    assert not ReviewEvent.objects.exists()


def test_a_failing_mail_server_does_not_lose_the_step(
    client, people, settings, django_capture_on_commit_callbacks
):
    author, _ = people
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    article = draft(author=author)
    client.force_login(author)
    with django_capture_on_commit_callbacks(execute=True):
        response = step(client, article, "submit")
    assert response.status_code == 302
    assert ReviewEvent.objects.get().kind == ReviewEvent.Kind.SUBMITTED


class TestSecretPreviewLink:
    def create(self, client, article):
        response = client.post(
            reverse("admin:articles_article_create_link", args=[article.pk]), follow=True
        )
        (message,) = [str(m) for m in response.context["messages"]]
        return message.split(": ")[-1]

    def test_works_logged_out_with_banner_no_cache_no_index_until_revoked(self, client, people):
        author, _ = people
        article = draft(author=author, title="Not out yet", body="Secret *draft* text.")
        client.force_login(author)
        url = self.create(client, article)
        client.logout()
        response = client.get(url)
        assert response.status_code == 200
        page = response.content.decode()
        assert "Secret <em>draft</em> text." in page
        assert "draft-banner" in page
        assert '<meta name="robots" content="noindex, nofollow">' in page
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]
        # The draft itself stays hidden at its normal address.
        assert client.get(article.get_absolute_url()).status_code == 404

        client.force_login(author)
        link = PreviewLink.objects.get()
        client.post(reverse("admin:articles_article_revoke_link", args=[article.pk, link.pk]))
        client.logout()
        assert client.get(url).status_code == 404

    def test_the_change_form_says_when_a_link_was_made_and_until_when_it_works(
        self, client, people
    ):
        author, _ = people
        article = draft(author=author)
        link, _token = PreviewLink.create_for(article, user=author, days=1)
        client.force_login(author)
        page = client.get(reverse("admin:articles_article_change", args=[article.pk]))
        made = date_format(timezone.localtime(link.created_at), "DATE_FORMAT")
        assert f"Link made {made}, works until " in page.content.decode()

    def test_expires(self, client, people):
        author, _ = people
        article = draft(author=author)
        _link, token = PreviewLink.create_for(article, user=author, days=1)
        assert client.get(reverse("draft_preview", args=[token])).status_code == 200
        PreviewLink.objects.update(expires_at=timezone.now())
        assert client.get(reverse("draft_preview", args=[token])).status_code == 404

    def test_only_the_hash_is_stored_and_guesses_fail(self, client, people):
        author, _ = people
        _link, token = PreviewLink.create_for(draft(author=author), user=author, days=1)
        assert not PreviewLink.objects.filter(token_hash=token).exists()
        assert client.get(reverse("draft_preview", args=[token[:-1] + "x"])).status_code == 404

    def test_other_authors_cannot_make_links(self, client, people, other_author):
        author, _ = people
        article = draft(author=author)
        client.force_login(other_author)
        url = reverse("admin:articles_article_create_link", args=[article.pk])
        assert client.post(url).status_code in (403, 404)
        assert not PreviewLink.objects.exists()
        assert Article.objects.count() == 1

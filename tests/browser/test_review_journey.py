"""Review before publishing in a real browser: submit, request changes, approve; secret links."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Article, ReviewEvent
from tests.browser import tools
from tests.factories import UserFactory, draft

DESKTOP = {"width": 1280, "height": 900}


def session(browser, live_server, user=None):
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP, locale="en-US")
    context.set_default_timeout(8_000)
    if user is not None:
        tools.log_in(context, live_server, user)
    return context, context.new_page()


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def review_step(page, button, note=""):
    page.fill("#id_review_text", note)
    page.click(f"button[name=_review][value={button}]")
    expect(page.locator(".messagelist .success")).to_be_visible()


def test_submit_request_changes_and_approve(browser, live_server):
    author = UserFactory(username="wen", role="Authors", email="wen@example.org")
    editor = UserFactory(username="ed", role="Editors", email="ed@example.org")
    article = draft(author=author, title="Softmax, gently", body="A first try.")
    author_context, author_page = session(browser, live_server, author)
    editor_context, editor_page = session(browser, live_server, editor)

    author_page.goto(change_url(article))
    review_step(author_page, "submit", "Ready for a look.")
    expect(author_page.locator(".desk-review-badge")).to_have_text("waiting for review")

    editor_page.goto(reverse("admin:index"))
    queue = editor_page.locator("#review-queue")
    expect(queue).to_contain_text("1 article waiting")
    queue.get_by_role("link", name="Softmax, gently").click()
    expect(editor_page.locator(".desk-review-thread")).to_contain_text("Ready for a look.")
    review_step(editor_page, "changes", "Define the notation first.")

    author_page.goto(change_url(article))
    thread = author_page.locator(".desk-review-thread")
    expect(thread.locator("li").last).to_contain_text("Changes requested")
    expect(thread.locator("li").last).to_contain_text("Define the notation first.")
    # The thread sits beside the editor's top, where the author looks.
    thread_box = thread.bounding_box()
    editor_box = author_page.locator(".desk").bounding_box()
    assert thread_box["y"] < editor_box["y"]
    tools.shoot(author_page, "desk-review-changes-requested")
    author_page.fill("#id_body", "Let $x$ be a vector. A second try.")
    review_step(author_page, "submit", "Notation defined.")

    editor_page.goto(change_url(article))
    editor_page.select_option("#id_status", "published")
    review_step(editor_page, "approve", "Lovely.")
    article.refresh_from_db()
    assert article.is_public
    assert article.body == "Let $x$ be a vector. A second try."
    assert list(article.review_events.values_list("kind", flat=True)) == [
        ReviewEvent.Kind.SUBMITTED,
        ReviewEvent.Kind.CHANGES_REQUESTED,
        ReviewEvent.Kind.SUBMITTED,
        ReviewEvent.Kind.APPROVED,
    ]
    author_context.close()
    editor_context.close()


def test_secret_link_works_logged_out_until_revoked(browser, live_server):
    author = UserFactory(username="wen", role="Authors")
    article = draft(author=author, title="Not out yet", body="Secret *draft* text.")
    author_context, page = session(browser, live_server, author)
    page.goto(change_url(article))
    page.get_by_role("button", name="Create a secret preview link").click()
    message = page.locator(".messagelist .success").inner_text()
    url = re.search(r"https?://\S+/preview/\S+/", message).group(0)

    reader_context, reader = session(browser, live_server)
    response = reader.goto(url)
    assert response.status == 200
    assert "no-store" in response.headers["cache-control"]
    assert response.headers["x-robots-tag"] == "noindex, nofollow"
    expect(reader.locator(".draft-banner")).to_be_visible()
    expect(reader.locator(".article-body em")).to_have_text("draft")
    tools.shoot(reader, "desk-secret-preview")

    page.goto(change_url(article))
    page.get_by_role("button", name="Revoke").click()
    expect(page.locator(".messagelist .success")).to_contain_text("revoked")
    assert reader.goto(url).status == 404
    assert Article.objects.get().status == Article.Status.DRAFT
    author_context.close()
    reader_context.close()

"""Reader comments in Chromium: posting with and without JavaScript, preview, reply, looks."""

import time

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Comment, CommentStatus
from tests.browser import tools
from tests.browser.conftest import DESKTOP
from tests.factories import ArticleFactory, UserFactory

DISCUSSION = [
    ("Lin", "lin@example.com",
     "Why is $\\operatorname{softmax}(x + c) = \\operatorname{softmax}(x)$?"),
    ("Wei", "", "Shift invariance:\n\n$$\n\\frac{e^{x_i + c}}{\\sum_j e^{x_j + c}}"
     " = \\frac{e^{x_i}}{\\sum_j e^{x_j}}\n$$"),
    ("张三", "zhang@example.com", "代码里这样写更稳定：\n\n```python\nimport numpy as np\n\n"
     "def softmax(x):\n    z = x - np.max(x)\n    return np.exp(z) / np.exp(z).sum()\n```"),
]  # fmt: skip


@pytest.fixture(autouse=True)
def quick_forms(settings):
    settings.COMMENTS_MIN_SECONDS = 1
    settings.SITE_URL = "http://127.0.0.1"


@pytest.fixture
def article(db):
    author = UserFactory(username="writer", first_name="Ada", last_name="Writer", role="Authors")
    return ArticleFactory(
        author=author, title="The log-sum-exp trick", slug="log-sum-exp",
        body="Softmax without overflow: $\\log \\sum_i e^{x_i}$.",
    )  # fmt: skip


def discussion(article):
    comments = [
        Comment.objects.create(
            article=article, name=name, email=email, body=body, status=CommentStatus.APPROVED
        )
        for name, email, body in DISCUSSION
    ]
    Comment.objects.create(
        article=article,
        parent=comments[0],
        user=article.author,
        name="Ada Writer",
        body="Exactly: the $e^{c}$ factors cancel. See `np.logaddexp` too.",
        status=CommentStatus.APPROVED,
        is_staff_reply=True,
    )
    return comments


def fill(page, *, name, body, email=""):
    page.fill("#id_name", name)
    if email:
        page.fill("#id_email", email)
    page.fill("#id_body", body)


def test_posting_without_javascript(browser, live_server, article):
    context = browser.new_context(
        base_url=live_server.url, viewport=DESKTOP, java_script_enabled=False
    )
    page = context.new_page()
    try:
        page.goto(article.get_absolute_url())
        fill(page, name="No Script", body="Plain $x^2$ post")
        # Replies by email need an address: the server says so and keeps the text.
        page.check("#id_wants_replies")
        page.click("text=Post comment")
        expect(page.locator(".comment-error")).to_be_visible()
        expect(page.locator("#id_body")).to_have_value("Plain $x^2$ post")
        page.fill("#id_email", "ns@example.com")
        page.click("text=Post comment")
        expect(page.locator("h1")).to_contain_text("moderator")
        tools.assert_math_has_size(page.locator(".comment-held"))
        # The preview button works without a script too.
        page.goto(article.get_absolute_url())
        fill(page, name="No Script", body="Preview of $\\sqrt{2}$")
        page.click(".comment-preview-button")
        tools.assert_math_has_size(page.locator(".comment-preview"))
        expect(page.locator("#id_body")).to_have_value("Preview of $\\sqrt{2}$")
    finally:
        context.close()
    comment = Comment.objects.get()
    assert comment.status == CommentStatus.PENDING and comment.body == "Plain $x^2$ post"


def test_posting_with_javascript_live_preview_and_reply(page, article):
    parent = discussion(article)[0]
    page.goto(article.get_absolute_url())
    expect(page.locator(".comment-preview-button")).to_be_hidden()  # the live preview took over
    page.locator(f"#comment-{parent.pk} .comment-reply").click()
    expect(page.locator(".comment-replying")).to_contain_text("Lin")
    # The form moved under the comment it answers.
    assert (
        page.evaluate(
            "id => document.getElementById(id).nextElementSibling.id", f"comment-{parent.pk}"
        )
        == "comment-form"
    )
    page.fill("#id_name", "Script Reader")
    page.locator("#id_body").press_sequentially("Also $\\log(1+x) \\approx x$ `code`", delay=5)
    preview = page.locator(".comment-preview")
    expect(preview).to_be_visible()
    expect(preview.locator("math")).to_have_count(1)
    expect(preview.locator("code")).to_have_text("code")
    time.sleep(1.1)
    page.click("text=Post comment")
    expect(page.locator("h1")).to_contain_text("moderator")
    reply = Comment.objects.get(name="Script Reader")
    assert reply.parent == parent and reply.status == CommentStatus.PENDING
    assert not page.js_errors


def test_an_author_reply_is_published_and_marked(page, context, live_server, article):
    parent = discussion(article)[0]
    tools.log_in(context, live_server, article.author)
    page.goto(article.get_absolute_url())
    expect(page.locator("#id_name")).to_have_value("Ada Writer")
    page.locator(f"#comment-{parent.pk} .comment-reply").click()
    page.fill("#id_body", "Thanks for asking.")
    page.click("text=Post comment")
    reply = Comment.objects.get(body="Thanks for asking.")
    page.wait_for_url(f"**{reverse('articles:detail', kwargs={'slug': article.slug})}*")
    target = page.locator(f"#comment-{reply.pk}")
    expect(target).to_be_visible()
    expect(target.locator(".comment-badge")).to_have_text("Author")
    assert reply.status == CommentStatus.APPROVED and reply.parent == parent


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_discussion_with_math_and_code_looks_right(page, article, scheme):
    discussion(article)
    page.emulate_media(color_scheme=scheme)
    page.goto(article.get_absolute_url())
    section = page.locator("#comments")
    expect(section.locator(".comment")).to_have_count(4)
    tools.assert_math_has_size(section)
    tools.assert_code_is_coloured(section)
    tools.assert_no_horizontal_scroll(page)
    # Replies are indented under their comment; identicons are drawn.
    reply = section.locator(".comment-replies .comment").first.bounding_box()
    top = section.locator(".comment-thread > .comment").first.bounding_box()
    assert reply["x"] > top["x"] + 10
    assert all(w > 20 and h > 20 for w, h in tools.boxes(section.locator(".identicon")))
    # The honeypot is out of sight.
    trap = page.locator(".comment-trap").bounding_box()
    assert trap["x"] + trap["width"] < 0
    section.scroll_into_view_if_needed()
    section.screenshot(path=shot(f"comments-{scheme}"))
    page.set_viewport_size(tools.MOBILE)
    tools.assert_no_horizontal_scroll(page)
    section.screenshot(path=shot(f"comments-{scheme}-mobile"))


def shot(name):
    tools.SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return tools.SCREENSHOTS / f"{name}.png"


def test_unrelated_article_is_untouched_by_discussion(page, article):
    other = ArticleFactory(title="Unrelated")
    discussion(article)
    page.goto(other.get_absolute_url())
    expect(page.locator("#comments h2")).to_contain_text("0 comments")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_discussion_is_accessible(browser, live_server, article, scheme):
    from tests.browser.test_accessibility import AXE, serious_violations

    if not AXE.is_file():
        pytest.skip(f"axe-core is not installed ({AXE} is missing): run `npm ci`.")
    discussion(article)
    # bypass_csp only so that axe itself can be injected.
    context = browser.new_context(base_url=live_server.url, bypass_csp=True, viewport=DESKTOP)
    page = context.new_page()
    try:
        page.emulate_media(color_scheme=scheme)
        page.goto(article.get_absolute_url())
        page.locator("#id_body").fill("Preview $x$ and `code`")
        page.locator(".comment-preview:not([hidden])").wait_for()
        violations = serious_violations(page)
    finally:
        context.close()
    assert not violations, violations

"""Hostile comments run nowhere: article page, comment feeds, admin, email links, preview, email.

Names, emails, websites and bodies (payloads inside every Markdown construct,
math and code included) come from the shared XSS list (tests/browser/hostile.py);
the classics run without the corpus. Stored straight through the ORM, so the
escaping is tested even for values the form would have refused.
"""

from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

from articles.comments import links, outbox
from articles.comments.notifications import notify_reply
from articles.models import Comment, CommentMail, CommentStatus
from tests.browser import tools
from tests.browser.hostile import CLASSICS, in_constructs, load_payloads, spread
from tests.browser.test_xss import (
    ADMIN_SCRIPTS,
    PUBLIC_SCRIPTS,
    script_capable,
    watched,
)
from tests.browser.watch import report
from tests.factories import ArticleFactory, UserFactory

BODY_BATCH = 120
PEOPLE = 60


def hostile_comments(payloads):
    """Write an article whose approved and held comments carry payloads; return it."""
    article = ArticleFactory(title="Hostile discussion", slug="hostile-discussion")
    short = [payload for payload in payloads if payload.strip()]
    people = spread(short, PEOPLE, 2)[:PEOPLE] or short
    batches = [payloads[i : i + BODY_BATCH] for i in range(0, len(payloads), BODY_BATCH)]
    parents = []
    for number, batch in enumerate(batches):
        person = people[number % len(people)]
        parents.append(
            Comment.objects.create(
                article=article,
                name=person[:80],
                email=person[:254],
                website=person[:200],
                body="\n\n".join(batch) + "\n\n" + in_constructs(batch, number * BODY_BATCH),
                status=CommentStatus.APPROVED,
                wants_replies=True,
            )
        )
    for number, person in enumerate(people):
        Comment.objects.create(
            article=article,
            parent=parents[number % len(parents)],
            name=person[:80],
            email=f"{number}{person}"[:254],
            website=person[:200],
            body=f"Reply `{person}` with $ {person} $",
            status=CommentStatus.APPROVED if number % 2 else CommentStatus.PENDING,
            spam_reasons=[person],
        )
    return article


def surfaces(article):
    comment = article.comments.filter(status=CommentStatus.PENDING).first()
    public = [
        article.get_absolute_url(),
        f"{article.get_absolute_url()}?reply={article.comments.filter(parent=None).first().pk}",
        reverse("articles:article_comments_feed", kwargs={"slug": article.slug}),
        reverse("articles:comments_feed"),
        links.moderation_url(comment, "approve").removeprefix("http://127.0.0.1"),
    ]
    changelist = reverse("admin:articles_comment_changelist")
    admin = [
        changelist,
        f"{changelist}?{urlencode({'q': 'alert'})}",
        reverse("admin:articles_comment_change", args=[comment.pk]),
    ]
    return public, admin


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "http://127.0.0.1"
    settings.FEED_ITEMS = 500


def run_everywhere(browser, live_server, article, *, bypass_csp):
    context, watch, page = watched(browser, live_server, bypass_csp=bypass_csp)
    public, admin = surfaces(article)
    try:
        for url in public:
            watch.visit(page, url, script_paths=PUBLIC_SCRIPTS)
        staff = UserFactory(username="xss-editor", role="Editors")
        tools.log_in(context, live_server, staff)
        for url in admin:
            watch.visit(page, url, script_paths=ADMIN_SCRIPTS)
        # The live preview puts server-rendered HTML into the page.
        hostile = Comment.objects.filter(article=article).order_by("pk").first().body
        page.goto(article.get_absolute_url())
        page.locator("#id_body").fill(hostile[:9000])
        page.locator(".comment-preview:not([hidden])").wait_for()
        page.wait_for_timeout(200)
        watch.check(page, "live preview", script_paths=PUBLIC_SCRIPTS)
    finally:
        context.close()
    return watch


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["csp", "csp-bypassed"])
def test_hostile_comments_run_nowhere(browser, live_server, bypass_csp):
    article = hostile_comments(load_payloads())
    watch = run_everywhere(browser, live_server, article, bypass_csp=bypass_csp)
    problems = watch.problems()
    assert not problems, report(problems)
    assert watch.pages_seen == 9


def test_classic_payloads_in_comments_run_nowhere(browser, live_server):
    article = hostile_comments(CLASSICS * 10)
    watch = run_everywhere(browser, live_server, article, bypass_csp=True)
    problems = watch.problems()
    assert not problems, report(problems)


def test_hostile_names_read_back_as_text(page, live_server):
    article = hostile_comments(CLASSICS)
    page.goto(article.get_absolute_url())
    for comment in article.comments.filter(status=CommentStatus.APPROVED)[:6]:
        shown = page.locator(f"#comment-{comment.pk} .comment-author").inner_text()
        assert " ".join(shown.split()) == " ".join(comment.name.split())


def test_comment_feeds_carry_no_script():
    from tests.browser.test_xss import feed_documents  # noqa: F401 (same parsing rules)

    article = hostile_comments(load_payloads())
    client = Client()
    problems = []
    for url in (
        reverse("articles:article_comments_feed", kwargs={"slug": article.slug}),
        reverse("articles:comments_feed"),
    ):
        content = client.get(url).content.decode()
        problems += [f"{url}: {item}" for item in script_capable(content)]
    assert not problems, report(problems)


def test_notification_emails_carry_no_script(browser, live_server, mailoutbox):
    article = hostile_comments(CLASSICS * 4)
    replies = Comment.objects.filter(article=article, status=CommentStatus.APPROVED).exclude(
        parent=None
    )
    for reply in replies:
        notify_reply(reply)  # queued and, in autocommit, sent at once by the outbox thread
    outbox.join_deliveries(10)
    assert not CommentMail.objects.exists()
    assert len(mailoutbox) == replies.count() > 0
    context, watch, page = watched(browser, live_server, bypass_csp=True)
    try:
        for message in mailoutbox:
            html = message.alternatives[0][0]
            assert not script_capable(html), html
            page.set_content(html)
            page.wait_for_timeout(20)
            watch.check(page, f"email to {message.to[0][:40]}")
    finally:
        context.close()
    problems = watch.problems()
    assert not problems, report(problems)

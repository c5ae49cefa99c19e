"""Comment feeds, the moderation admin, the IP retention command and the rendering rules."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import feedparser
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles.comments.rendering import render_comment
from articles.models import Comment, CommentStatus
from tests.factories import ArticleFactory, UserFactory, draft

pytestmark = pytest.mark.django_db


def test_feeds_hold_approved_comments_of_public_articles_only(client, article, author):
    Comment.objects.create(article=article, name="Yes", body="shown", status="approved")
    Comment.objects.create(article=article, name="No", body="held")
    hidden = draft(author=author)
    Comment.objects.create(article=hidden, name="Draft", body="secret", status="approved")
    feed = feedparser.parse(
        client.get(reverse("articles:article_comments_feed", kwargs={"slug": article.slug})).content
    )
    assert [entry.author for entry in feed.entries] == ["Yes"]
    site = feedparser.parse(client.get(reverse("articles:comments_feed")).content)
    assert [entry.author for entry in site.entries] == ["Yes"]
    assert site.entries[0].link.endswith(f"#comment-{Comment.objects.get(name='Yes').pk}")
    missing = reverse("articles:article_comments_feed", kwargs={"slug": hidden.slug})
    assert client.get(missing).status_code == 404


def test_control_characters_cannot_break_the_comment_feeds(client, author, settings):
    # Older rows, imports and the shell can hold what the form now strips.
    article = ArticleFactory(author=author, title="Ctrl \x01 title")
    Comment.objects.create(
        article=article, name="Mallory\x01", body="Great \x02 indeed", status="approved"
    )
    urls = [
        reverse("articles:comments_feed"),
        reverse("articles:article_comments_feed", kwargs={"slug": article.slug}),
    ]
    for url in urls:
        response = client.get(url, HTTP_HOST="localhost")
        assert response.status_code == 200
        ET.fromstring(response.content)
        (entry,) = feedparser.parse(response.content).entries
        assert entry.author == "Mallory"
        assert "Great  indeed" in entry.summary
        # Links come from SITE_URL, as in the article feeds, not from the request's Host.
        assert entry.link.startswith(f"{settings.SITE_URL}/")
        assert feedparser.parse(response.content).feed.link.startswith(settings.SITE_URL)


def test_comment_math_reaches_readers_as_mathml(client, article):
    Comment.objects.create(
        article=article, name="Ada", body="Take $\\overline{z}$ here.", status="approved"
    )
    body = client.get(reverse("articles:comments_feed")).content.decode()
    assert 'xmlns="http://www.w3.org/1998/Math/MathML"' in body
    assert '&lt;mover accent="true"&gt;' in body  # escaped inside the summary
    assert "tex-overline" not in body


def test_editors_moderate_everything_authors_their_own_articles(client, article, editor):
    mine = Comment.objects.create(article=article, name="On mine", body="1")
    other_author = UserFactory(username="someone", role="Authors")
    theirs = Comment.objects.create(article=ArticleFactory(), name="On theirs", body="2")
    changelist = reverse("admin:articles_comment_changelist")

    client.force_login(other_author)
    html = client.get(changelist).content.decode()
    assert "On theirs" not in html and "On mine" not in html
    client.force_login(article.author)
    html = client.get(changelist).content.decode()
    assert "On mine" in html and "On theirs" not in html
    client.post(changelist, {"action": "mark_approve", "_selected_action": [mine.pk, theirs.pk]})
    assert Comment.objects.get(pk=mine.pk).status == CommentStatus.APPROVED
    assert Comment.objects.get(pk=theirs.pk).status == CommentStatus.PENDING

    client.force_login(editor)
    client.post(changelist, {"action": "mark_spam", "_selected_action": [theirs.pk]})
    assert Comment.objects.get(pk=theirs.pk).status == CommentStatus.SPAM


def test_the_admin_list_shows_spam_reasons(editor_client, article):
    Comment.objects.create(
        article=article, name="Bot", body="x", spam_score=6, spam_reasons=["+5 blocked word"]
    )
    html = editor_client.get(reverse("admin:articles_comment_changelist")).content.decode()
    assert "+5 blocked word" in html


def test_editors_export_and_delete_by_email(editor_client, article):
    one = Comment.objects.create(article=article, name="Lin", email="lin@example.com", body="a")
    Comment.objects.create(article=ArticleFactory(), name="Lin", email="lin@example.com", body="b")
    Comment.objects.create(article=article, name="Kai", email="kai@example.com", body="c")
    changelist = reverse("admin:articles_comment_changelist")
    export = editor_client.post(
        changelist, {"action": "export_by_email", "_selected_action": [one.pk]}
    )
    rows = export.json()
    assert sorted(row["body"] for row in rows) == ["a", "b"]
    editor_client.post(changelist, {"action": "forget_by_email", "_selected_action": [one.pk]})
    assert list(Comment.objects.values_list("body", flat=True)) == ["c"]


def test_ip_addresses_are_cleared_after_the_retention_period(article, settings):
    settings.COMMENTS_IP_RETENTION_DAYS = 30
    old = Comment.objects.create(
        article=article, name="Old", body="1", ip_address="192.0.2.1",
        created_at=timezone.now() - timedelta(days=31),
    )  # fmt: skip
    new = Comment.objects.create(article=article, name="New", body="2", ip_address="192.0.2.2")
    call_command("clear_comment_ips")
    old.refresh_from_db(), new.refresh_from_db()
    assert old.ip_address is None and new.ip_address == "192.0.2.2"


@pytest.mark.parametrize(
    "markdown, present, absent",
    [
        ("# Big\n\ntext", "<p># Big</p>", "<h1"),
        ("<script>alert(1)</script>", "&lt;script&gt;", "<script"),
        ("[x](javascript:alert(1))", "", 'href="javascript'),
        ("[x](https://e.example)", 'rel="nofollow ugc noopener"', "noreferrer"),
        ("![tiny](https://tracker.example/p.gif)", "<p>tiny</p>", "tracker.example"),
        ("![t](data:image/png;base64,AAAA)", "t", "data:"),
        ("![ok](/media/a.png)", 'src="/media/a.png"', "<h"),
        ("$x^2$ and $$\\int f$$", "<math", "$x^2$"),
        ("```python\nprint(1)\n```", '<pre class="highlight">', "id="),
        # Styled as in articles: the code block's figure and math's layout classes.
        ("```python\nprint(1)\n```", '<figure class="code-block">', "<figure>"),
        ("$\\overline{z} + \\boxed{a}$", '<mrow class="tex-overline">', "<mrow><mi>z"),
        ("$$\\begin{aligned} a &= b \\\\ c &= d \\end{aligned}$$", 'class="tex-r', "<mtd>"),
        ("note[^1]\n\n[^1]: a", "", 'id="fn'),
    ],
)
def test_comment_rendering_allowlist(markdown, present, absent):
    html = render_comment(markdown)
    assert present in html
    assert absent not in html


def test_approving_in_the_change_form_publishes_and_tells_the_parent(editor_client, article):
    from articles.models import CommentMail

    parent = Comment.objects.create(
        article=article, name="Lin", email="lin@example.com", body="Q", status="approved",
        wants_replies=True,
    )  # fmt: skip
    reply = Comment.objects.create(article=article, parent=parent, name="Wei", body="A")
    url = reverse("admin:articles_comment_change", args=[reply.pk])
    response = editor_client.post(
        url,
        {"name": "Wei", "email": "", "website": "", "body": "A, edited", "status": "approved"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "A, edited" in editor_client.get(article.get_absolute_url()).content.decode()
    assert CommentMail.objects.get().to == "lin@example.com"

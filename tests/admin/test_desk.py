"""The author's desk on the server: size limits in characters, autosave, preview, problems."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from articles.admin.problems import find_problems
from articles.models import Article, ArticleAutosave
from site_config.settings import request_limit_for
from tests.admin_forms import form_data
from tests.factories import ArticleFactory, draft

CHINESE = "注意力机制的核心是加权平均，权重来自查询与键的相似度。"


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def post_like_a_browser(client, url, data):
    # Browsers send the admin form URL-encoded: about 9 bytes per Chinese character.
    return client.post(url, urlencode(data), content_type="application/x-www-form-urlencoded")


def chinese_body(length):
    return (CHINESE * (length // len(CHINESE) + 1))[:length]


def test_request_limits_follow_the_body_limit_in_characters(settings):
    # 12 bytes is the most a URL-encoded character can cost (4 UTF-8 bytes as %XX).
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE >= 12 * settings.MAX_BODY_CHARS
    assert request_limit_for(460_000) > len(urlencode({"body": "注" * 460_000}))


def test_a_460000_character_chinese_body_saves(editor_client, editor, settings):
    # A site that accepts long CJK bodies says so in characters; the bytes follow.
    settings.MAX_BODY_CHARS = 500_000
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = request_limit_for(settings.MAX_BODY_CHARS)
    article = draft(author=editor, language="zh-hans")
    body = chinese_body(460_000)
    data = form_data(editor_client.get(change_url(article)), body=body)
    response = post_like_a_browser(editor_client, change_url(article), data)
    assert response.status_code == 302, response.content[:500]
    article.refresh_from_db()
    assert article.body == body


def test_a_too_long_body_gets_a_form_error_and_keeps_its_text(editor_client, editor, settings):
    article = draft(author=editor, language="zh-hans")
    body = chinese_body(settings.MAX_BODY_CHARS + 1)
    data = form_data(editor_client.get(change_url(article)), body=body)
    response = post_like_a_browser(editor_client, change_url(article), data)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "body" in form.errors
    assert form["body"].value() == body
    article.refresh_from_db()
    assert article.body != body


def test_the_body_help_text_shows_the_more_marker(author_client):
    page = author_client.get(reverse("admin:articles_article_add")).content.decode()
    assert "&lt;!-- more --&gt;" in page


class TestAutosave:
    def autosave(self, client, article, body, title="Title"):
        url = reverse("admin:articles_article_autosave", args=[article.pk])
        return client.post(url, {"body": body, "title": title})

    def test_keeps_a_copy_and_leaves_a_published_article_alone(self, editor_client, editor):
        article = ArticleFactory(author=editor, body="Live text.")
        response = self.autosave(editor_client, article, "Unsaved text.")
        assert response.status_code == 200
        assert response.json()["body"] == "Unsaved text."
        article.refresh_from_db()
        assert article.body == "Live text."
        assert ArticleAutosave.objects.get(article=article, user=editor).body == "Unsaved text."

    def test_one_copy_per_person_replaced_each_time(self, author_client, author):
        article = draft(author=author)
        self.autosave(author_client, article, "one")
        self.autosave(author_client, article, "two")
        assert list(ArticleAutosave.objects.values_list("body", flat=True)) == ["two"]

    def test_is_offered_on_reopening_and_cleared_by_saving(self, author_client, author):
        article = draft(author=author, body="Saved text.")
        self.autosave(author_client, article, "Newer text.")
        page = author_client.get(change_url(article))
        assert page.context["desk_config"]["serverAutosave"]["body"] == "Newer text."
        data = form_data(page, body="Saved again.")
        assert author_client.post(change_url(article), data).status_code == 302
        assert not ArticleAutosave.objects.exists()
        page = author_client.get(change_url(article))
        assert page.context["desk_config"]["serverAutosave"] is None

    def test_refused_for_an_article_the_author_cannot_edit(self, author_client, other_author):
        article = draft(author=other_author)
        assert self.autosave(author_client, article, "x").status_code in (403, 404)
        assert not ArticleAutosave.objects.exists()

    def test_a_too_long_body_is_refused_with_a_reason(self, author_client, author, settings):
        settings.MAX_BODY_CHARS = 10
        response = self.autosave(author_client, draft(author=author), "x" * 11)
        assert response.status_code == 413
        assert "limit" in response.json()["error"]

    def test_with_an_expired_session_answers_the_login_page(self, client, author):
        article = draft(author=author)
        response = self.autosave(client, article, "text")
        assert response.status_code == 302
        assert not ArticleAutosave.objects.exists()


def test_session_check_answers_json_either_way(client, author):
    url = reverse("admin:articles_article_session")
    assert client.get(url).json() == {"active": False}
    client.force_login(author)
    assert client.get(url).json() == {"active": True}


class TestDeskPreview:
    URL = reverse("markdownx_markdownify")

    def test_answers_html_problems_card_and_counts(self, author_client):
        text = "# Hi\n\nSome $x^$ math.\n\n![](a.png)"
        response = author_client.post(
            self.URL, {"content": text, "format": "desk", "title": "T", "language": "en"}
        )
        answer = response.json()
        assert "<h1" in answer["html"]
        assert [p["kind"] for p in answer["problems"]] == ["math", "alt"]
        assert answer["card"]["title"] == "T"
        assert answer["blocks"] == [0, 2, 4]
        assert answer["words"] > 0

    def test_plain_markdownx_requests_still_get_html(self, author_client):
        response = author_client.post(self.URL, {"content": "*hi*"})
        assert response.content.decode().strip() == "<p><em>hi</em></p>"


class TestProblems:
    def test_broken_formula_has_a_line_and_a_reason(self):
        (problem,) = find_problems("Intro.\n\nBroken $\\frac{1}{$ here.")
        assert problem["line"] == 3
        assert problem["kind"] == "math"
        assert "unclosed" in problem["message"]

    def test_unclosed_fence(self):
        problems = find_problems("Text.\n\n```python\nprint(1)\n\nMore prose.")
        assert problems == [{"line": 3, "kind": "fence", "message": problems[0]["message"]}]

    def test_closed_fence_is_fine(self):
        assert find_problems("```\ncode\n```\n") == []

    def test_raw_html_that_will_be_removed(self):
        (problem,) = find_problems("<script>alert(1)</script>\n\n<!-- more -->\n\n<kbd>K</kbd>")
        assert "<script>" in problem["message"]

    def test_image_without_alt(self):
        assert [p["kind"] for p in find_problems("![](a.png) ![A cat](b.png)")] == ["alt"]

    @pytest.mark.django_db
    def test_links_to_drafts(self):
        from articles.admin.desk import draft_slugs

        hidden = draft(slug="not-yet")
        ArticleFactory(slug="out-already")
        text = f"[a](/articles/{hidden.slug}/) and [b](/articles/out-already/)"
        (problem,) = find_problems(text, draft_slugs=draft_slugs)
        assert problem["kind"] == "draft-link"
        assert Article.objects.count() == 2

"""English and Simplified Chinese: chosen by Accept-Language or LANGUAGE_CODE, dates localized."""

from datetime import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from articles.models import Article
from tests.factories import ArticleFactory, draft
from tests.reader_helpers import (
    elements,
    fast_passwords,  # noqa: F401 (autouse fixture)
    meta,
    page_text,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return ArticleFactory(
        title="双语", tags=["t"], published_at=timezone.make_aware(datetime(2024, 3, 5, 12))
    )


def test_english_by_default(client, article):
    html = page_text(client.get(reverse("articles:home")))
    assert elements(html, "html")[0]["lang"] == "en"
    assert "Latest updates" in html
    assert "March 5, 2024" in html


def test_accept_language_gives_chinese_interface_and_dates(client, article):
    response = client.get(reverse("articles:home"), headers={"accept-language": "zh-CN,zh;q=0.9"})
    html = page_text(response)
    assert response["Content-Language"] == "zh-hans"
    assert elements(html, "html")[0]["lang"] == "zh-hans"
    assert "最近更新" in html and "Latest updates" not in html
    assert "跳到正文" in html
    assert "2024年3月5日" in html
    assert "阅读约 1 分钟" in html


def test_chinese_article_page(client, article):
    # An article page speaks the article's language unless the reader chose one
    # (docs/bilingual.md): this English article, for a reader who chose Chinese.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    html = page_text(client.get(article.get_absolute_url(), headers={"accept-language": "en"}))
    assert "发布于" in html and "标签" in html


def test_sharing_locale_follows_the_article_language(client):
    chinese = ArticleFactory(title="中文", language="zh-hans")
    assert meta(page_text(client.get(chinese.get_absolute_url())), "og:locale") == "zh_CN"
    assert meta(page_text(client.get(reverse("articles:home"))), "og:locale") == "en_US"


def test_language_code_setting_is_the_fallback(client, article, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    html = page_text(client.get(reverse("articles:tag_index")))
    assert "标签" in html and "1 篇文章" in html


def test_responses_vary_on_accept_language(client, article):
    assert "Accept-Language" in client.get(reverse("articles:home"))["Vary"]


def test_model_and_admin_strings_are_translated():
    with translation.override("zh-hans"):
        assert str(Article._meta.verbose_name) == "文章"
        assert str(Article._meta.get_field("published_at").verbose_name) == "发布时间"
        assert str(Article.Status.DRAFT.label) == "草稿"


def test_chinese_article_shows_the_comment_form_in_chinese(client):
    # The comment form's strings came from a catalogue of their own until it joined this one.
    chinese = ArticleFactory(title="注意力", language="zh-hans")
    html = page_text(client.get(chinese.get_absolute_url()))
    assert "名字" in html and "有人回复时发邮件通知我" in html and "支持 Markdown" in html
    assert "Email me replies" not in html


def test_the_desk_speaks_chinese_to_a_chinese_editor(editor_client, editor, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    article = draft(author=editor, language="zh-hans")
    url = reverse("admin:articles_article_change", args=[article.pk])
    html = page_text(editor_client.get(url, headers={"accept-language": "zh-hans"}))
    assert "行内公式" in html and "粗体" in html and "保存并提交审核" in html
    assert "Inline math" not in html and "Save and submit for review" not in html

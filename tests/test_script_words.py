"""The words our scripts insert come from the catalogue, in the page's language.

Each script reads them from the data-* attributes of a <template> its page renders
(no inline script: the CSP is script-src 'self'), and keeps its English for a page
without one. These tests hold the three together: template, script and catalogue.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import ArticleFactory, draft
from tests.reader_helpers import elements, page_text

pytestmark = pytest.mark.django_db

SCRIPTS = Path(settings.BASE_DIR) / "static" / "js"
# text("key", "English" …) in code.js, desk.text("key", "English" …) in the desk's scripts.
CALL = re.compile(r'\btext\(\s*"(\w+)",\s*"((?:[^"\\]|\\.)*)"', re.DOTALL)


def script_words(*names):
    """Return {key: English} for every word the named scripts ask for."""
    found = {}
    for name in names:
        for key, english in CALL.findall((SCRIPTS / name).read_text(encoding="utf-8")):
            assert found.setdefault(key, english) == english, f"{key} has two English texts"
    return found


def page_words(html, element_id):
    """Return the words a page gives its script, keyed as the script's dataset sees them."""
    (template,) = elements(html, "template", id=element_id)
    camel = lambda name: re.sub(r"-(\w)", lambda m: m[1].upper(), name[len("data-") :])  # noqa: E731
    return {camel(name): value for name, value in template.items() if name.startswith("data-")}


def article_page(client, language):
    article = ArticleFactory(language=language, body="```python\nprint(1)\n```\n")
    return page_text(client.get(article.get_absolute_url()))


def desk_page(client, article, language):
    url = reverse("admin:articles_article_change", args=[article.pk])
    return page_text(client.get(url, headers={"accept-language": language}))


def test_a_chinese_article_gives_the_copy_button_chinese_words(client):
    words = page_words(article_page(client, "zh-hans"), "code-strings")
    assert words["copy"] == "复制"
    assert words["copied"] == "已复制"
    assert words["copyLabel"] == "将代码复制到剪贴板"


def test_an_english_article_gives_the_copy_button_english_words(client):
    words = page_words(article_page(client, "en"), "code-strings")
    assert words["copy"] == "Copy"
    assert words["copied"] == "Copied"


def test_the_desk_gets_its_words_in_chinese(editor_client, editor):
    words = page_words(desk_page(editor_client, draft(author=editor), "zh-hans"), "desk-strings")
    assert words["autosaved"] == "已于 %(time)s 自动保存"
    assert words["problemLine"] == "第 %(line)s 行：%(message)s"
    assert words["problemsOne"] == words["problems"] == "%(count)s 个问题"
    assert words["keptHere"] == "保存在这个浏览器中"
    assert words["imageAdded"] == "图片已添加。"


def test_every_word_a_script_uses_comes_from_its_page_in_english_as_written(
    client, editor_client, editor
):
    # A key the template lacks would leave that message in English forever; English
    # that differs would make the two wordings drift apart.
    code = page_words(article_page(client, "en"), "code-strings")
    assert code == script_words("code.js")
    desk = page_words(desk_page(editor_client, draft(author=editor), "en"), "desk-strings")
    assert desk == script_words("editor.js", "desk-preview.js", "desk-save.js")


def test_the_scripts_insert_no_english_of_their_own():
    # What the desk and the copy button show goes through text(); the inserted
    # Markdown syntax ("**", "| --- |") and markers ("+", "-") are not words.
    shown = re.compile(
        r'(?:textContent\s*=|status\(\s*root,|setAttribute\("aria-label",)\s*"[A-Za-z]'
    )
    for name in ("code.js", "comments.js", "editor.js", "desk-preview.js", "desk-save.js"):
        source = (SCRIPTS / name).read_text(encoding="utf-8")
        assert shown.findall(source) == [], name

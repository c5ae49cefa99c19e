"""What readers see of raw HTML in prose and of emphasis in Chinese articles."""

from playwright.sync_api import expect

from tests.browser import tools
from tests.factories import ArticleFactory


def test_a_tag_name_in_prose_hides_nothing(page, db):
    article = ArticleFactory(
        title="Forms",
        body="Use the <textarea> element.\n\nThis paragraph must be visible.",
        language="en",
    )
    page.goto(article.get_absolute_url())
    body = page.locator(".article-body, article").first
    expect(body).to_contain_text("Use the <textarea> element.")
    last = page.locator("p", has_text="This paragraph must be visible.")
    expect(last).to_be_visible()
    assert last.bounding_box()["height"] > 0
    assert page.locator("textarea").count() == 0
    tools.shoot(page, "words-textarea")


def test_chinese_emphasis_dots_only_under_chinese(page, db):
    article = ArticleFactory(
        title="强调",
        body="这是 *Deep Learning* 与 *深度学习* 的对比。",
        language="zh-hans",
    )
    page.goto(article.get_absolute_url())
    styles = page.evaluate(
        """() => [...document.querySelectorAll('em, em .latin')].map(el => [
            el.tagName, el.className, getComputedStyle(el).textEmphasisStyle,
            getComputedStyle(el).fontStyle])"""
    )
    assert ["SPAN", "latin", "none", "italic"] in styles
    chinese = [style for style in styles if style[0] == "EM"]
    assert all(style[2] not in ("", "none") for style in chinese)
    tools.shoot(page, "words-emphasis")

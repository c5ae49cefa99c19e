"""Code blocks in Chromium: tabs with and without JavaScript, the copy button, diagrams."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser import tools
from tests.browser.test_html_validity import validate
from tests.code_samples import SHOWCASE
from tests.factories import ArticleFactory

FIRST_TAB_CODE = "import torch\nx = torch.ones(3)\n"


@pytest.fixture
def showcase(db):
    # Whole seconds: a <time datetime> allows at most three fractional digits.
    published = timezone.now().replace(microsecond=0) - timedelta(days=1)
    article = ArticleFactory(title="Code showcase", body=SHOWCASE, published_at=published)
    return reverse("articles:detail", kwargs={"slug": article.slug})


def tab(page, group, label):
    return page.locator(".code-tabs").nth(group).locator("summary", has_text=label)


def visible_code(page, group):
    """Return the text of the code visible in one tab group."""
    return page.locator(".code-tabs").nth(group).locator("figure:visible code").inner_text()


def test_tabs_work_without_javascript(browser, live_server, showcase):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto(showcase)
    assert page.locator(".code-copy").count() == 0  # no script, no button
    assert "torch" in visible_code(page, 0)
    tab(page, 0, "JAX").click()
    assert "jnp" in visible_code(page, 0)
    assert "torch" not in visible_code(page, 0)
    # Labels sit in one row above the open panel.
    summaries = page.locator(".code-tabs").first.locator("summary")
    tops = {round(summaries.nth(i).bounding_box()["y"]) for i in range(summaries.count())}
    assert len(tops) == 1
    context.close()


def test_tab_choice_is_remembered_with_javascript(page, showcase):
    page.goto(showcase)
    tab(page, 0, "TensorFlow").click()
    # The other group follows (the script runs just after the click's own toggle).
    page.wait_for_function(
        "() => document.querySelectorAll('.code-tabs')[1]"
        ".querySelector('details[open] > summary').textContent === 'TensorFlow'"
    )
    assert "tensorflow" in visible_code(page, 1)
    page.reload()
    assert "tf.ones" in visible_code(page, 0)
    assert "tensorflow" in visible_code(page, 1)
    assert page.js_errors == []


def test_copy_button_copies_code_without_numbers_or_diff_signs(context, page, showcase):
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(showcase)
    first = page.locator("figure.code-block").first
    first.locator(".code-copy").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("import torch\nmodel = torch.nn.Linear(4, 2)")
    assert not any(line[:1].isdigit() for line in copied.splitlines())
    page.locator("figure.code-diff .code-copy").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == "def step(x):\n    return x + 1\n    return x + 2\n"
    status = page.locator(".code-copy-status")
    assert status.get_attribute("role") == "status"
    page.wait_for_function("() => document.querySelector('.code-copy-status').textContent !== ''")
    assert "copied" in status.inner_text().lower()


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("zh-hans", ("复制", "将代码复制到剪贴板", "已复制", "代码已复制到剪贴板")),
        ("en", ("Copy", "Copy code to clipboard", "Copied", "Code copied to clipboard")),
    ],
)
def test_copy_button_speaks_the_article_language(context, page, language, words):
    # An English browser: a Chinese article's page speaks Chinese all the same.
    copy, label, copied, announced = words
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    article = ArticleFactory(language=language, body="```python\nprint(1)\n```\n")
    page.goto(article.get_absolute_url())
    button = page.locator("figure.code-block .code-copy")
    expect(button).to_have_text(copy)
    expect(button).to_have_attribute("aria-label", label)
    button.click()
    expect(button).to_have_text(copied)
    expect(page.locator(".code-copy-status")).to_have_text(announced)
    assert page.evaluate("navigator.clipboard.readText()") == "print(1)\n"
    assert page.js_errors == []


def test_long_lines_scroll_inside_the_block_on_a_phone(context, page, showcase):
    page.set_viewport_size(tools.MOBILE)
    page.goto(showcase)
    widths = page.evaluate(
        """() => ({page: document.documentElement.scrollWidth, view: window.innerWidth,
                  pre: document.querySelector('figure.code-block pre').scrollWidth,
                  box: document.querySelector('figure.code-block pre').clientWidth})"""
    )
    assert widths["page"] <= widths["view"]
    assert widths["pre"] > widths["box"]  # the block scrolls, the page does not


# The copy button's box and, for each block it sits on, the first code line's box.
BUTTON_AND_LINE = """() => [...document.querySelectorAll("figure.code-block")]
  .filter(figure => figure.querySelector(":scope > .code-copy")
                    && !figure.querySelector(":scope > .code-title"))
  .map(figure => [figure.querySelector(".code-copy").getBoundingClientRect().toJSON(),
                  figure.querySelector("pre code").getClientRects()[0].toJSON()])"""


def test_on_a_phone_the_copy_button_covers_no_code(browser, live_server, showcase):
    phone = browser.new_context(
        base_url=live_server.url, viewport=tools.MOBILE, has_touch=True, is_mobile=True
    )
    page = phone.new_page()
    page.goto(showcase)
    assert page.evaluate("matchMedia('(hover: none)').matches")
    pairs = page.evaluate(BUTTON_AND_LINE)
    assert pairs
    for button, line in pairs:
        assert button["bottom"] <= line["top"], (button, line)
    phone.close()


def test_a_code_block_is_set_off_from_the_page(page, showcase):
    page.goto(showcase)
    style = page.locator("figure.code-block pre.highlight").first.evaluate(
        """pre => { const s = getComputedStyle(pre);
                   return [parseFloat(s.borderTopWidth), s.borderTopColor, s.backgroundColor,
                           getComputedStyle(document.body).backgroundColor]; }"""
    )
    width, border, background, page_background = style
    # The light theme's white is 1.02:1 against the page, so a rule draws the edge.
    assert width >= 1 and border not in (background, page_background)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_showcase_screenshots(page, showcase, scheme):
    page.emulate_media(color_scheme=scheme)
    page.goto(showcase)
    assert page.locator("figure.diagram-mermaid svg").count() == 2
    assert page.locator("figure.diagram-dot svg").count() == 1
    tools.shoot(page, f"code-showcase-{scheme}")
    page.set_viewport_size(tools.MOBILE)
    tools.shoot(page, f"code-showcase-{scheme}-phone")
    assert page.js_errors == []


def test_showcase_is_valid_html(page, showcase, tmp_path):
    # vnu predates <details name> (HTML Standard, 2023; Chromium 120, Firefox 130,
    # Safari 17.2): that one message is the checker's age, every other one counts.
    validate(page, tmp_path, {"code-showcase": showcase}, ignore=DETAILS_NAME)


DETAILS_NAME = "Attribute “name” not allowed on element “details”"

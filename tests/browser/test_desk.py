"""The author's desk in a real browser: editing, preview, images, never losing work.

See docs/authoring.md. Screenshots land in test-artifacts/screenshots/desk-*.png.
"""

import base64
import re

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Article, ArticleAutosave
from site_config.settings import request_limit_for
from tests.browser import tools
from tests.factories import UserFactory, draft

SAMPLE = """# Attention, in one page

Attention is a weighted average: for a query $q$ and keys $k_i$ the weights are $\\alpha_i$.

$$
\\mathrm{softmax}(x)_i = \\frac{e^{x_i}}{\\sum_j e^{x_j}}
$$

```python
def softmax(xs):
    largest = max(xs)
    exps = [math.exp(x - largest) for x in xs]
    return [e / sum(exps) for e in exps]
```

| Symbol | Meaning |
| --- | --- |
| $Q$ | queries |
| $K$ | keys |

注意力让模型在每一步只看与当前任务最相关的部分，其余信息则被淡化。
"""

PASTE_IMAGE = """([b64, name]) => {
    const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], name, {type: "image/png"}));
    const editor = document.querySelector("#id_body");
    const paste = {clipboardData: transfer, bubbles: true, cancelable: true};
    editor.dispatchEvent(new ClipboardEvent("paste", paste));
}"""


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def long_sample(paragraphs=40):
    parts = [SAMPLE]
    for number in range(paragraphs):
        parts.append(f"## Section {number}\n\n" + ("Words that fill a paragraph. " * 30) + "\n")
    return "\n".join(parts)


def wait_for_preview(page, after=0):
    page.wait_for_function(
        "(after) => Number(document.querySelector('[data-desk]').dataset.previewSequence || 0)"
        " > after",
        arg=after,
    )
    return int(page.locator("[data-desk]").get_attribute("data-preview-sequence"))


def open_editor(page, live_server, article=None, role="Editors"):
    user = UserFactory(username="lin", role=role)
    tools.log_in(page.context, live_server, user)
    page.goto(change_url(article) if article else reverse("admin:articles_article_add"))
    wait_for_preview(page)
    return user


def test_side_by_side_at_1280_with_the_card_and_screenshots(page, live_server):
    article = draft(title="Attention, in one page", body=long_sample(6), language="en")
    open_editor(page, live_server, article)
    source = page.locator("#id_body").bounding_box()
    preview = page.locator(".desk-preview-pane").bounding_box()
    assert preview["x"] >= source["x"] + source["width"] - 1, (source, preview)
    assert abs(source["y"] - preview["y"]) < 2
    assert source["width"] > 500 and preview["width"] > 500
    assert "monospace" in page.locator("#id_body").evaluate("e => getComputedStyle(e).fontFamily")
    expect(page.locator(".desk-card-title")).to_have_text("Attention, in one page")
    expect(page.locator(".desk-card-meta")).to_contain_text("min read")
    tools.assert_math_has_size(page.locator(".markdownx-preview"))
    tools.assert_code_is_coloured(page.locator(".markdownx-preview"))
    page.screenshot(path=tools.SCREENSHOTS / "desk-editor-1280-light.png")
    tools.shoot(page, "desk-editor-1280-light-full")
    page.emulate_media(color_scheme="dark")
    page.screenshot(path=tools.SCREENSHOTS / "desk-editor-1280-dark.png")
    assert not page.js_errors


def test_write_preview_toggle_below_1100px(page, live_server):
    page.set_viewport_size({"width": 900, "height": 900})
    open_editor(page, live_server, draft(body=SAMPLE))
    expect(page.locator(".desk-preview-pane")).to_be_hidden()
    page.click(".desk-tab[data-view=preview]")
    expect(page.locator(".desk-preview-pane")).to_be_visible()
    expect(page.locator("#id_body")).to_be_hidden()
    page.click(".desk-tab[data-view=write]")
    expect(page.locator("#id_body")).to_be_visible()


def test_toolbar_and_shortcuts_write_markdown(page, live_server):
    open_editor(page, live_server)
    body = page.locator("#id_body")
    body.click()
    page.keyboard.type("Hello ")
    page.keyboard.press("Control+b")
    page.keyboard.type("world")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.type(" and ")
    page.keyboard.press("Control+m")  # inline math, placeholder selected
    page.keyboard.type("e^x")
    assert body.input_value() == "Hello **world** and $e^x$"
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.click("[data-action=list]")
    page.keyboard.type("one")
    page.keyboard.press("Enter")
    page.keyboard.type("two")
    page.keyboard.press("Tab")  # indents the list item, does not leave the field
    assert body.evaluate("e => e === document.activeElement")
    assert body.input_value().endswith("- one\n    - two")
    page.keyboard.press("Enter")
    assert body.input_value().endswith("- one\n    - two\n    - ")
    page.keyboard.press("Enter")  # an empty item ends the list
    assert body.input_value().endswith("- one\n    - two\n")
    page.keyboard.press("Enter")
    page.keyboard.type("```python")
    page.keyboard.press("Enter")  # the fence closes itself
    page.keyboard.type("print((1)")
    value = body.input_value()
    assert "- one\n    - two\n" in value
    assert value.endswith("```python\nprint((1))\n```"), value
    # Auto-pairing types over its own closer, and deletes an empty pair together.
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.keyboard.type("See [x]")
    page.keyboard.type("(")
    page.keyboard.press("Backspace")
    assert body.input_value().endswith("See [x]")
    page.keyboard.press("Control+z")  # undo works through the editing commands
    assert body.input_value().endswith("See [x]()")
    seq = wait_for_preview(page)
    preview = page.locator(".markdownx-preview")
    expect(preview.locator("strong")).to_have_text("world")
    expect(preview.locator("ul ul li")).to_have_text("two")
    assert seq > 0
    assert not page.js_errors


def test_keyboard_only_toolbar(page, live_server):
    open_editor(page, live_server)
    page.focus("#id_body")
    page.keyboard.type("word")
    page.keyboard.press("Control+a")
    page.keyboard.press("Shift+Tab")  # from the text into the toolbar: one tab stop
    for _ in range(20):
        if page.evaluate("document.activeElement.closest('.desk-toolbar') !== null"):
            break
        page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.dataset.action") == "bold"
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.dataset.action") == "italic"
    page.keyboard.press("Enter")
    assert page.input_value("#id_body") == "*word*"
    assert page.evaluate("document.activeElement.id") == "id_body"


def test_preview_scrolls_with_the_source(page, live_server):
    open_editor(page, live_server, draft(body=long_sample(40)))
    pane = page.locator(".desk-preview-pane")
    page.locator("#id_body").evaluate("e => { e.scrollTop = e.scrollHeight * 0.6; }")
    page.wait_for_function("() => document.querySelector('.desk-preview-pane').scrollTop > 0")
    heading = page.evaluate(
        """() => {
            const pane = document.querySelector('.desk-preview-pane');
            const top = pane.getBoundingClientRect().top;
            const seen = [...pane.querySelectorAll('h2')]
                .find(h => h.getBoundingClientRect().bottom > top);
            return seen ? seen.textContent.replace('#', '').trim() : null;
        }"""
    )
    # The preview shows the section the source is at, near 60% of 40 sections.
    number = int(heading.split()[-1])
    assert 18 <= number <= 28, heading
    assert pane.evaluate("e => e.scrollTop") > 0


def test_paste_an_image_and_give_it_alt_text(page, live_server):
    open_editor(page, live_server)
    page.fill("#id_body", "Before.\n\nAfter.")
    page.locator("#id_body").evaluate("e => { e.focus(); e.setSelectionRange(9, 9); }")
    payload = base64.b64encode(tools.png_bytes()).decode()
    page.evaluate(PASTE_IMAGE, [payload, "attention-heatmap.png"])
    dialog = page.locator(".desk-alt-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("input")).to_have_value("attention heatmap")
    dialog.locator("input").fill("Attention weights as a heat map")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.querySelector('#id_body').value.includes('/media/uploads/')"
    )
    value = page.input_value("#id_body")
    assert value.startswith("Before.\n\n![Attention weights as a heat map](/media/uploads/")
    assert value.endswith(")After.")
    expect(page.locator(".markdownx-preview img")).to_have_attribute(
        "alt", "Attention weights as a heat map"
    )


def test_problems_panel_informs_without_blocking(page, live_server):
    article = draft(body="Fine.")
    open_editor(page, live_server, article)
    page.fill("#id_body", "Broken $\\frac{1}{$ here.\n\n![](x.png)\n\n```\nnever closed")
    page.wait_for_function(
        "() => document.querySelector('.desk-problems-toggle').textContent.includes('3 problems')"
    )
    page.click(".desk-problems-toggle")
    items = page.locator(".desk-problem").all_inner_texts()
    assert items[0].startswith("Line 1: Formula")
    assert any("never closed" in item for item in items)
    page.locator("#id_body").press("Control+s")  # save and continue, problems and all
    expect(page.locator(".messagelist .success")).to_be_visible()
    article.refresh_from_db()
    assert article.body.startswith("Broken")


def test_close_the_tab_then_reopen_and_restore(context, live_server):
    article = draft(body="Saved text.\n", author=UserFactory(username="lin", role="Authors"))
    page = context.new_page()
    open_editor(page, live_server, article, role="Authors")
    page.locator("#id_body").press("Control+End")
    page.keyboard.type("A new paragraph nobody saved.")
    page.wait_for_function(
        "() => Object.values(localStorage).some(copy => copy.includes('nobody saved'))"
    )
    page.close()  # no Save

    again = context.new_page()
    again.goto(change_url(article))
    banner = again.locator(".desk-restore")
    expect(banner).to_be_visible()
    expect(banner.locator(".desk-diff-add")).to_contain_text("A new paragraph nobody saved.")
    assert again.input_value("#id_body") == "Saved text.\n"
    banner.locator(".desk-restore-apply").click()
    assert again.input_value("#id_body").endswith("A new paragraph nobody saved.")
    again.click("input[name=_continue]")
    expect(again.locator(".messagelist .success")).to_be_visible()
    article.refresh_from_db()
    assert article.body.endswith("nobody saved.")
    expect(again.locator(".desk-restore")).to_be_hidden()


def test_server_autosave_leaves_the_published_text_alone(page, live_server, settings):
    settings.AUTOSAVE_SECONDS = 1
    article = draft(body="Live.")
    article.status = Article.Status.PUBLISHED
    article.save()
    open_editor(page, live_server, article)
    page.fill("#id_body", "Work in progress.")
    page.wait_for_function("() => document.querySelector('[data-desk]').dataset.autosavedAt")
    assert ArticleAutosave.objects.get(article=article).body == "Work in progress."
    article.refresh_from_db()
    assert article.body == "Live."


def test_the_desk_speaks_chinese_to_a_chinese_editor(browser, live_server, settings):
    settings.AUTOSAVE_SECONDS = 1
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    context.set_default_timeout(5_000)
    page = context.new_page()
    open_editor(page, live_server, draft(body="Fine."))
    toggle = page.locator(".desk-problems-toggle")
    expect(toggle).to_have_text("没有问题")
    page.fill("#id_body", "Broken $\\frac{1}{$ here.")
    expect(toggle).to_have_text("1 个问题")
    toggle.click()
    expect(page.locator(".desk-problem")).to_have_text(re.compile(r"^第 1 行："))
    # The status line's words are the script's; the time in it is the browser's.
    expect(page.locator(".desk-save-state")).to_have_text(re.compile(r"^已于 .+ 自动保存$"))
    context.close()


def test_save_a_460000_character_chinese_body(page, live_server, settings):
    settings.MAX_BODY_CHARS = 500_000
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = request_limit_for(settings.MAX_BODY_CHARS)
    article = draft(body="短。", language="zh-hans")
    open_editor(page, live_server, article)
    body = ("注意力机制的核心是加权平均，权重来自查询与键的相似度。" * 17_100)[:460_000]
    page.locator("#id_body").evaluate(
        "(e, text) => { e.value = text; e.dispatchEvent(new Event('input', {bubbles: true})); }",
        body,
    )
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist .success")).to_be_visible(timeout=30_000)
    article.refresh_from_db()
    assert len(article.body) == 460_000


def test_save_after_the_session_expired(page, live_server):
    article = draft(body="Before.")
    user = open_editor(page, live_server, article)
    user.set_password(tools.PASSWORD)
    user.save()
    page.fill("#id_body", "Written while the session expired.")
    Session.objects.all().delete()
    page.click("input[name=_continue]")
    dialog = page.locator(".desk-session-dialog")
    expect(dialog).to_be_visible()
    with page.context.expect_page() as login_tab:
        dialog.locator(".desk-login-link").click()
    login = login_tab.value
    login.fill("#id_username", "lin")
    login.fill("#id_password", tools.PASSWORD)
    login.click("input[type=submit]")
    login.wait_for_url("**/admin/")
    page.bring_to_front()
    expect(page.locator(".messagelist .success")).to_be_visible(timeout=10_000)
    article.refresh_from_db()
    assert article.body == "Written while the session expired."


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_editor_page_is_accessible(scheme, browser, live_server):
    from tests.browser.test_accessibility import AXE, assert_accessible

    if not AXE.is_file():
        pytest.skip(f"axe-core is not installed ({AXE} is missing): run `npm ci`.")
    context = browser.new_context(base_url=live_server.url, bypass_csp=True, locale="en-US")
    context.set_default_timeout(5_000)
    page = context.new_page()
    page.emulate_media(color_scheme=scheme)
    # As an author: the publishing fields are Django's own widgets, checked elsewhere.
    user = open_editor(page, live_server, role="Authors")
    page.goto(change_url(draft(author=user, body=SAMPLE + "\n\n$x^$ and ![](a.png)")))
    wait_for_preview(page)
    page.click(".desk-problems-toggle")
    assert_accessible(page, f"desk-editor-{scheme}")
    context.close()


def test_a_too_long_body_is_held_with_a_reason_and_kept(page, live_server, settings):
    settings.MAX_BODY_CHARS = 1_000
    article = draft(body="Short.")
    open_editor(page, live_server, article)
    page.fill("#id_body", "长" * 1_001)
    page.click("input[name=_continue]")
    expect(page.locator(".desk-save-state")).to_contain_text("the limit is 1,000")
    assert page.input_value("#id_body") == "长" * 1_001
    article.refresh_from_db()
    assert article.body == "Short."

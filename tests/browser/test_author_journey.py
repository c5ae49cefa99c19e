"""The author journey: an editor writes, previews, uploads, drafts, publishes, renames.

Authors, who may not publish, are offered no way to and are refused when they try.
"""

import base64

import feedparser
from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Article
from tests.browser import tools
from tests.factories import ArticleFactory, UserFactory, draft

LONG_PARAGRAPH = "注意力让模型在每一步只看与当前任务最相关的部分，其余信息则被淡化。" * 24

BODY = f"""注意力机制的核心是加权平均：给定查询 $q$ 与键 $k_i$，权重是 $\\alpha_i$。

$$
\\mathrm{{Attention}}(Q, K, V) =
  \\mathrm{{softmax}}\\left(\\frac{{QK^\\top}}{{\\sqrt{{d_k}}}}\\right) V
$$

```python
def softmax(xs):
    largest = max(xs)
    exps = [math.exp(x - largest) for x in xs]
    return [e / sum(exps) for e in exps]
```

| 符号 | 含义 |
| --- | --- |
| $Q$ | 查询矩阵 |
| $K$ | 键矩阵 |

{LONG_PARAGRAPH}
"""

TITLE = "注意力机制的数学"

DROP_IMAGE = """([b64, name]) => {
    const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], name, {type: "image/png"}));
    const editor = document.querySelector("#id_body");
    editor.selectionStart = editor.selectionEnd = editor.value.length;
    const drop = {dataTransfer: transfer, bubbles: true, cancelable: true};
    editor.dispatchEvent(new DragEvent("drop", drop));
}"""

IMAGE_LOADED = """() => {
    const image = document.querySelector(".markdownx-preview img");
    return image !== null && image.complete && image.naturalWidth > 0;
}"""


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def home_titles(page):
    page.goto(reverse("articles:home"))
    return page.locator(".entry-title").all_inner_texts()


def test_editor_writes_previews_drafts_publishes_and_renames(page, live_server):
    UserFactory(username="editor", role="Editors")
    # Someone else's article is on the home page already, so "first" means something.
    UserFactory(username="maya", role="Authors")
    ArticleFactory(title="An older article")

    # 1. Log in.
    tools.log_in_with_form(page, "editor")

    # 2. Write a Chinese article with math, code and a table.
    page.goto(reverse("admin:articles_article_add"))
    page.fill("#id_title", TITLE)
    page.select_option("#id_language", "zh-hans")
    page.fill("#id_tags", "注意力, 深度学习")
    page.fill("#id_body", BODY)

    # 3. The live preview typesets the math and colours the code.
    preview = page.locator(".markdownx-preview")
    expect(preview.locator(".math-display math")).to_have_count(1)
    tools.assert_math_has_size(preview)
    assert len(tools.boxes(preview.locator("math"))) >= 4  # inline, display, two in the table
    tools.assert_code_is_coloured(preview)
    expect(preview.locator("table tr")).to_have_count(3)

    # 4. Drop an image onto the editor: it asks for alt text (prefilled from the file
    # name), uploads, lands in the text and shows in the preview.
    payload = base64.b64encode(tools.png_bytes()).decode()
    page.evaluate(DROP_IMAGE, [payload, "diagram.png"])
    expect(page.locator(".desk-alt-dialog input")).to_have_value("diagram")
    page.click(".desk-alt-dialog [data-close=ok]")
    page.wait_for_function(IMAGE_LOADED)
    assert "![diagram](/media/uploads/" in page.input_value("#id_body")
    tools.shoot(page, "admin-editor-preview")

    # 5. Save as a draft: not on the home page; "View on site" shows it with the banner.
    page.select_option("#id_status", "draft")
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist .success")).to_be_visible()
    article = Article.objects.get(title=TITLE)
    assert article.status == Article.Status.DRAFT
    assert "](/media/uploads/" in article.body
    assert TITLE not in home_titles(page)

    page.goto(change_url(article))
    page.click("a.viewsitelink")
    page.wait_for_url(f"**{article.get_absolute_url()}")
    expect(page.locator(".draft-banner")).to_be_visible()
    expect(page.locator("h1")).to_have_text(TITLE)
    tools.assert_math_has_size(page.locator(".article-body"))
    tools.shoot(page, "article-draft")

    # 6. Publish: first on the home page, with a truncated preview, and first in the feed.
    page.goto(change_url(article))
    page.select_option("#id_status", "published")
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist .success")).to_be_visible()
    article.refresh_from_db()
    assert article.is_public
    assert home_titles(page)[0] == TITLE
    preview_text = page.locator(".entry-preview").first.inner_text()
    assert preview_text.startswith("注意力机制的核心是加权平均")
    assert preview_text.endswith("…")
    assert len(preview_text) < len(LONG_PARAGRAPH)
    tools.shoot(page, "home-after-publish")
    feed = feedparser.parse(page.request.get(reverse("articles:feed_rss")).body())
    assert feed.version.startswith("rss"), feed.version
    assert feed.entries[0].title == TITLE

    # 7. Rename the slug: the old address redirects permanently to the new one.
    old_url = article.get_absolute_url()
    page.goto(change_url(article))
    page.fill("#id_slug", "attention-maths")
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist .success")).to_be_visible()
    response = page.goto(old_url)
    assert response.url.endswith("/articles/attention-maths/")
    assert response.request.redirected_from.response().status == 301
    expect(page.locator("h1")).to_have_text(TITLE)
    assert not page.js_errors


class TestAuthorRole:
    def test_no_publish_control_is_offered(self, page, live_server):
        author = UserFactory(username="lin", role="Authors")
        article = draft(author=author, title="Lin's draft")
        tools.log_in(page.context, live_server, author)

        page.goto(reverse("admin:articles_article_add"))
        expect(page.locator("#id_title")).to_be_visible()
        expect(page.locator("#id_status")).to_have_count(0)
        expect(page.locator("[name^=published_at]")).to_have_count(0)

        page.goto(change_url(article))
        expect(page.locator("#id_status")).to_have_count(0)

        page.goto(reverse("admin:articles_article_changelist"))
        actions = page.locator("select[name=action] option").all()
        values = {option.get_attribute("value") for option in actions}
        assert values, "the changelist offers no actions at all"
        assert not values & {"publish_now", "unpublish"}
        tools.shoot(page, "admin-author-changelist")

    def test_crafted_publish_posts_are_refused(self, page, live_server):
        author = UserFactory(username="lin", role="Authors")
        article = draft(author=author, title="Lin's draft")
        tools.log_in(page.context, live_server, author)

        # The change form, posted from the page with its own CSRF token, plus a status.
        page.goto(change_url(article))
        status = page.evaluate(
            """async () => {
                const form = new FormData(document.querySelector("#article_form"));
                form.set("status", "published");
                form.set("published_at_0", "2024-01-01");
                form.set("published_at_1", "10:00:00");
                form.set("_save", "Save");
                const response = await fetch(location.href, {method: "POST", body: form});
                return response.status;
            }"""
        )
        assert status in (200, 403), status
        article.refresh_from_db()
        assert article.status == Article.Status.DRAFT

        # The changelist's publish action, which the page does not offer.
        page.goto(reverse("admin:articles_article_changelist"))
        page.evaluate(
            """async (pk) => {
                const form = new FormData();
                form.set("csrfmiddlewaretoken",
                         document.querySelector("[name=csrfmiddlewaretoken]").value);
                form.set("action", "publish_now");
                form.set("_selected_action", pk);
                await fetch(location.href, {method: "POST", body: form});
            }""",
            str(article.pk),
        )
        article.refresh_from_db()
        assert article.status == Article.Status.DRAFT
        assert not Article.objects.published().exists()

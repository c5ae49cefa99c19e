"""An author's published article, read-only in the admin, shows its source as written."""

import pytest
from django.urls import reverse

from tests.browser import tools
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.browser

BODY = "Intro.\n\n```python\ndef f(x):\n    if x:\n        return 1\n```\n\n- a\n    - nested\n"


def test_code_indentation_survives_the_read_only_view(page, live_server):
    author = UserFactory(username="ro-author", role="Authors")
    article = ArticleFactory(author=author, body=BODY)  # published: authors may only look
    tools.log_in(page.context, live_server, author)
    page.goto(live_server.url + reverse("admin:articles_article_change", args=[article.pk]))
    source = page.locator(".form-row.field-body .readonly")
    assert "        return 1" in source.inner_text()
    style = source.evaluate("e => [getComputedStyle(e).whiteSpace, getComputedStyle(e).fontFamily]")
    assert style[0] == "pre-wrap" and "monospace" in style[1]
    # The indented line starts to the right of the line that opens its block.
    boxes = page.evaluate(
        """() => {
            const node = document.querySelector('.form-row.field-body .readonly');
            const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
            const starts = {};
            for (let text = walker.nextNode(); text; text = walker.nextNode()) {
                for (const word of ['def', 'return']) {
                    const at = text.data.indexOf(word);
                    if (at < 0 || word in starts) continue;
                    const range = document.createRange();
                    range.setStart(text, at);
                    range.setEnd(text, at + word.length);
                    starts[word] = range.getBoundingClientRect().left;
                }
            }
            return starts;
        }"""
    )
    assert boxes["return"] > boxes["def"] + 20, boxes
    assert not page.js_errors

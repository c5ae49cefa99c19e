"""Aligned Markdown tables render aligned under the site's CSP, with no violation.

Alignment used to be written as style="text-align:…", which `style-src 'self'`
blocks: columns rendered centred and the console showed a CSP error per cell
(articles/rendering/inert.py).
"""

from tests.browser.watch import Watch, report
from tests.factories import ArticleFactory

BODY = """Prices by region.

| Region | Notes | Price |
|:-------|:-----:|------:|
| North  | short |  1.00 |
| South  | a much longer note | 1234.50 |

<table><tr><td style="text-align:right">raw</td><td style="">left over</td></tr></table>
"""


def test_aligned_table_is_aligned_and_raises_no_csp_error(browser, live_server):
    article = ArticleFactory(title="Aligned table", body=BODY)
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    try:
        watch = Watch(origin=live_server.url)
        watch.attach(context)
        page = context.new_page()
        console = []
        page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
        watch.visit(page, article.get_absolute_url())
        alignments = page.evaluate(
            """() => [...document.querySelectorAll('.article-body table:first-of-type tr')]
                .map(row => [...row.children].map(cell => getComputedStyle(cell).textAlign))"""
        )
        header, *rows = alignments
        assert header == ["left", "center", "right"]
        assert rows == [["left", "center", "right"]] * 2
        # The right-aligned column really sits at the right edge of its cells.
        gaps = page.evaluate(
            """() => [...document.querySelectorAll('.article-body td.align-right')].map(cell => {
                const range = document.createRange();
                range.selectNodeContents(cell);
                const text = range.getBoundingClientRect(), box = cell.getBoundingClientRect();
                return [text.left - box.left, box.right - text.right];
            })"""
        )
        # "1.00" is narrower than its column: its free space is all on the left.
        assert gaps[0][0] > gaps[0][1] + 10, gaps
        assert all(left >= right for left, right in gaps), gaps
    finally:
        context.close()
    assert not watch.problems(), report(watch.problems())
    csp_errors = [line for line in console if "Content Security Policy" in line]
    assert csp_errors == []

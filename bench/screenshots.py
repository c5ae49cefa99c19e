"""Take the README's screenshots of the demo site: home, an article, dark mode, a phone,
the math gallery (docs/math-gallery.md, rendered by the real pipeline) light and dark, a
discussion with math and code light and dark, a series page, a bilingual pair, and the
author's editor at 1280 px light and dark.

Run: make screenshots (writes docs/screenshots/*.png). Needs Debian's chromium.
"""

import os
import shutil
import sys
from pathlib import Path
from urllib.parse import quote

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))

from site_server import REPO, demo_server

OUT = REPO / "docs" / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
DESKTOP = {"width": 1280, "height": 860}
PHONE = {"width": 375, "height": 812}
# An article with display math, inline math and highlighted code near its top.
ARTICLE = "/articles/the-log-sum-exp-trick/"
DARK_ARTICLE = "/articles/" + quote("梯度下降与学习率") + "/"
GALLERY = "/articles/math-gallery/"
GALLERY_SOURCE = REPO / "docs" / "math-gallery.md"
GALLERY_VIEW = {"width": 1100, "height": 900}
DISCUSSION = "/articles/the-log-sum-exp-trick/"
SERIES = "/series/" + quote("数值计算入门") + "/"
BILINGUAL = (
    "/articles/why-floating-point-is-inexact/",
    "/articles/" + quote("浮点数为什么-不精确") + "/",
)
# The demo editor (who may change published articles) opens this one in the editor.
EDITED_TITLE = "The log-sum-exp trick, and why your softmax returns NaN"


def show_math_and_code(page):
    """Scroll so the first display formula sits near the top, with code below it if close."""
    page.evaluate(
        """() => {
            const formula = document.querySelector(".article-body .math-display");
            if (formula) window.scrollTo(0, formula.getBoundingClientRect().top + scrollY - 160);
        }"""
    )


def main():
    chromium = os.environ.get("INKSTONE_CHROMIUM") or shutil.which("chromium")
    if chromium is None:
        sys.exit("Chromium not found: apt-get install chromium (or set INKSTONE_CHROMIUM).")
    OUT.mkdir(parents=True, exist_ok=True)
    with (
        demo_server(extra_articles=[GALLERY_SOURCE]) as url,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        desktop = browser.new_page(viewport=DESKTOP, base_url=url)
        desktop.goto("/")
        desktop.screenshot(path=OUT / "home.png")
        desktop.goto(ARTICLE)
        show_math_and_code(desktop)
        desktop.screenshot(path=OUT / "article.png")

        dark = browser.new_page(viewport=DESKTOP, base_url=url, color_scheme="dark")
        dark.goto(DARK_ARTICLE)
        show_math_and_code(dark)
        dark.screenshot(path=OUT / "dark.png")

        phone = browser.new_page(viewport=PHONE, base_url=url, device_scale_factor=2)
        phone.goto(ARTICLE)
        phone.screenshot(path=OUT / "mobile.png")

        for scheme in ("light", "dark"):
            gallery = browser.new_page(viewport=GALLERY_VIEW, base_url=url, color_scheme=scheme)
            gallery.goto(GALLERY)
            gallery.evaluate("document.fonts.ready")
            gallery.locator("article.article").screenshot(path=OUT / f"math-gallery-{scheme}.png")
            discussion = browser.new_page(viewport=DESKTOP, base_url=url, color_scheme=scheme)
            discussion.goto(DISCUSSION)
            discussion.evaluate("document.fonts.ready")
            discussion.locator("#comments .comment-list").screenshot(
                path=OUT / f"comments-{scheme}.png"
            )
            editor(browser, url, scheme)

        desktop.goto(SERIES)
        desktop.screenshot(path=OUT / "series.png")
        for name, path in zip(("bilingual-en", "bilingual-zh"), BILINGUAL, strict=True):
            desktop.goto(path)
            desktop.screenshot(path=OUT / f"{name}.png")
        browser.close()
    for name in NAMES:
        print(OUT / f"{name}.png")


NAMES = (
    "home",
    "article",
    "dark",
    "mobile",
    "math-gallery-light",
    "math-gallery-dark",
    "comments-light",
    "comments-dark",
    "editor-light",
    "editor-dark",
    "series",
    "bilingual-en",
    "bilingual-zh",
)


def editor(browser, url, scheme):
    """Log in as the demo editor and photograph the editor on a published article."""
    context = browser.new_context(viewport=DESKTOP, base_url=url, color_scheme=scheme)
    page = context.new_page()
    page.goto("/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", os.environ.get("DEMO_PASSWORD", "inkstone-demo"))
    page.click("input[type=submit]")
    page.goto(f"/admin/articles/article/?q={EDITED_TITLE}")
    page.get_by_role("link", name=EDITED_TITLE).first.click()
    page.wait_for_url("**/change/**")
    page.wait_for_function(
        "() => Number(document.querySelector('[data-desk]')?.dataset.previewSequence || 0) > 0"
    )
    page.evaluate("document.fonts.ready")
    page.screenshot(path=OUT / f"editor-{scheme}.png")
    context.close()


if __name__ == "__main__":
    main()

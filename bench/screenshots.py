"""Take the README's screenshots of the demo site: home, an article, dark mode, a phone,
and the math gallery (docs/math-gallery.md, rendered by the real pipeline) light and dark.

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
        browser.close()
    for name in ("home", "article", "dark", "mobile", "math-gallery-light", "math-gallery-dark"):
        print(OUT / f"{name}.png")


if __name__ == "__main__":
    main()

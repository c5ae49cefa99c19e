"""Measure the editor's preview latency: a keystroke until the preview shows its result.

Types one character at a time at the end of an article in the admin editor (real
Chromium, the development server) and times, in the page, from the keydown to
the `desk:preview` event that follows the render of that text. The figure
includes the editor's pause before it asks (static/js/desk-preview.js) and the
server's render. Prints p50/p95 for a short article and the corpus's largest.

Run: DATABASE_URL=... .venv/bin/python bench/desk_latency.py [samples]
"""

import os
import shutil
import statistics
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from corpus import corpus_dir, split_front_matter
from site_server import demo_server

SHORT = "# A short note\n\nOne paragraph with $x^2$ and `code`.\n\n- a list\n- of two\n"
# Wrapped in an object: Playwright would otherwise wait for the promise before typing.
TIMED_KEYSTROKE = """() => ({done: new Promise((resolve) => {
    const area = document.querySelector('#id_body');
    const root = document.querySelector('[data-desk]');
    let started = 0;
    area.addEventListener('keydown', () => { started = performance.now(); }, {once: true});
    root.addEventListener('desk:preview', () => resolve(performance.now() - started), {once: true});
})})"""


def largest_corpus_article():
    files = sorted(corpus_dir().rglob("*.md"), key=lambda path: path.stat().st_size)
    files = [path for path in files if path.name != "README.md"]
    _meta, body = split_front_matter(files[-1].read_text(encoding="utf-8"))
    return files[-1].name, body


def setup_articles():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_config.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from articles.models import Article

    user, _ = get_user_model().objects.get_or_create(
        username="desk-bench", defaults={"is_staff": True, "is_superuser": True}
    )
    name, body = largest_corpus_article()
    articles = {}
    for label, text, language in (("short", SHORT, "en"), (name, body, "zh-hans")):
        article, _ = Article.objects.update_or_create(
            slug=f"desk-bench-{len(text)}",
            defaults={"title": label, "body": text, "author": user, "language": language},
        )
        articles[label] = article
    client = Client()
    client.force_login(user)
    return articles, client.cookies["sessionid"].value


def measure(page, url, samples):
    page.goto(url)
    page.wait_for_function("() => document.querySelector('[data-desk]').dataset.previewSequence")
    page.locator("#id_body").press("Control+End")
    timings = []
    for index in range(samples):
        timer = page.evaluate_handle(TIMED_KEYSTROKE)
        page.keyboard.type("abcdefghij"[index % 10])
        timings.append(page.evaluate("(timer) => timer.done", timer))
    return timings


def main():
    samples = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    chromium = os.environ.get("INKSTONE_CHROMIUM") or shutil.which("chromium")
    os.environ.setdefault("DEBUG", "true")
    with demo_server() as base:
        # Django's ORM refuses to run inside Playwright's event loop: set up first.
        articles, session = setup_articles()
        with sync_playwright() as playwright:
            run(playwright, chromium, base, articles, session, samples)


def run(playwright, chromium, base, articles, session, samples):
    browser = playwright.chromium.launch(executable_path=chromium, args=["--headless"])
    context = browser.new_context(base_url=base, viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": "sessionid", "value": session, "url": base}])
    page = context.new_page()
    for label, article in articles.items():
        url = f"/admin/articles/article/{article.pk}/change/"
        timings = sorted(measure(page, url, samples))
        p95 = timings[min(len(timings) - 1, round(0.95 * len(timings)) - 1)]
        print(
            f"{label} ({len(article.body):,} chars): keystroke → preview "
            f"p50 {statistics.median(timings):.0f} ms, p95 {p95:.0f} ms (n={len(timings)})"
        )
    browser.close()


if __name__ == "__main__":
    main()

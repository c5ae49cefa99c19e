"""Numbered equations, figures and references as a reader sees them, measured in Chromium."""

import pytest
from django.urls import reverse

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=True)

BODY = (
    "Go to @fig-plot or @eq-e.\n\n"
    "$$E = mc^2 \\label{eq:e}$$\n\n"
    "$$\\begin{align} a &= b + c \\label{eq:a1} \\\\ d &= e \\end{align}$$\n\n"
    "![A plot](/static/demo/attention-heatmap.png){#fig-plot}\n\n"
    + "Filler paragraph.\n\n" * 40
    + "| a |\n|---|\n| 1 |\n\n: Numbers {#tbl-n}\n"
)


def box(page, selector):
    return page.eval_on_selector(
        selector,
        "e => { const r = e.getBoundingClientRect();"
        " return {left: r.left, right: r.right, top: r.top, bottom: r.bottom,"
        " middle: (r.top + r.bottom) / 2, centre: (r.left + r.right) / 2}; }",
    )


def test_equation_numbers_sit_at_the_right_margin_beside_their_formula(page, live_server):
    article = ArticleFactory(title="Numbers", slug="numbers", body=BODY)
    page.goto(live_server.url + article.get_absolute_url())
    number = box(page, "#eq-e .equation-number")
    formula = box(page, "#eq-e math")
    body = box(page, ".article-body")
    assert number["left"] > formula["right"]
    assert abs(number["middle"] - formula["middle"]) <= 2
    assert abs(number["right"] - body["right"]) <= 2
    assert page.inner_text("#eq-e .equation-number") == "(1)"
    # Rows of a numbered align carry their own numbers, in order.
    assert page.inner_text("#eq-a1").count("(2)") == 1


def test_figure_caption_is_centred_under_its_image_and_links_scroll_to_targets(page, live_server):
    article = ArticleFactory(title="Figures", slug="figures", body=BODY)
    page.goto(live_server.url + article.get_absolute_url())
    image = box(page, "#fig-plot img")
    caption = box(page, "#fig-plot figcaption")
    assert caption["top"] >= image["bottom"]
    assert abs(caption["centre"] - image["centre"]) <= 2
    assert page.inner_text("#fig-plot figcaption").startswith("Figure 1")
    caption_side = page.eval_on_selector("#tbl-n caption", "e => getComputedStyle(e).captionSide")
    assert caption_side == "top"
    page.click("a.xref[href='#fig-plot']")
    page.wait_for_function("location.hash === '#fig-plot'")
    figure = box(page, "#fig-plot")
    assert 0 <= figure["top"] < page.viewport_size["height"]
    assert page.js_errors == []


def test_the_page_raises_no_csp_violation(page, live_server):
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    ArticleFactory(title="Clean", slug="clean", body=BODY)
    page.goto(live_server.url + reverse("articles:detail", kwargs={"slug": "clean"}))
    page.wait_for_load_state("load")
    assert violations == []

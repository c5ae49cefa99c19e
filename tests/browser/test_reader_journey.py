"""The reader journey: pages, tags, categories and search, on desktop and phone, light and dark."""

import feedparser
import pytest
from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Article, Category
from tests.browser import tools
from tests.factories import ArticleFactory

# Demo articles with display math, code blocks and a table, in each language.
MATH_AND_CODE_ZH = "梯度下降与学习率"
MATH_AND_CODE_EN = "the-log-sum-exp-trick"


def article_url(slug):
    return reverse("articles:detail", kwargs={"slug": slug})


def luminance(css_colour):
    """Return the relative luminance (0 dark … 1 light) of an rgb()/rgba() colour."""
    channels = css_colour[css_colour.index("(") + 1 : css_colour.index(")")].split(",")
    red, green, blue = (float(value) / 255 for value in channels[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def page_background(page):
    """Return the colour the page is painted with: the body's, or the root's behind it."""
    return page.evaluate(
        """() => {
            for (const element of [document.body, document.documentElement]) {
                const colour = getComputedStyle(element).backgroundColor;
                if (colour !== "rgba(0, 0, 0, 0)" && colour !== "transparent") return colour;
            }
            return "rgb(255, 255, 255)";
        }"""
    )


def test_home_to_page_two_to_an_article(page, demo_site):
    page.goto(reverse("articles:home"))
    expect(page.locator(".entry")).to_have_count(10)
    tools.shoot(page, "home")

    page.locator("a[rel=next]").first.click()
    page.wait_for_url("**/?page=2")
    entries = page.locator(".entry")
    # One entry per story: the demo's translated article is listed once.
    assert entries.count() == Article.objects.published().one_per_story().count() - 10
    tools.shoot(page, "home-page-2")

    link = entries.first.locator(".entry-title a")
    title = link.inner_text()
    link.click()
    expect(page.locator("h1")).to_have_text(title)
    assert not page.js_errors


def test_article_to_its_tag_to_the_tag_feed(page, demo_site):
    article = Article.objects.get(slug=MATH_AND_CODE_EN)
    page.goto(article.get_absolute_url())
    tag_link = page.locator("article a[href*='/tags/']").first
    # The link's text starts with "Tag:" for screen readers, visually hidden.
    tag_name = tag_link.inner_text().replace("Tag:", "", 1).strip()
    tag_link.click()
    page.wait_for_url("**/tags/**")
    expect(page.locator("h1, h2").first).to_contain_text(tag_name)
    titles = page.locator(".entry-title").all_inner_texts()
    assert article.title in titles
    tools.shoot(page, "tag")

    feed_link = page.locator("main a[href$='/feed/']").first
    response = page.request.get(feed_link.get_attribute("href"))
    assert response.headers["content-type"].startswith("application/rss+xml")
    feed = feedparser.parse(response.body())
    assert tag_name in feed.feed.title
    assert [entry.title for entry in feed.entries] == titles


def test_category_page_includes_its_subcategories(page, demo_site):
    parent = Category.objects.get(name="机器学习", parent=None)
    child_article = Article.objects.get(slug="注意力机制的直观理解")
    assert child_article.category.parent == parent
    page.goto(parent.get_absolute_url())
    expect(page.locator(".entry-title", has_text=child_article.title)).to_have_count(1)
    tools.shoot(page, "category")


def test_category_index_shows_the_tree(page, demo_site):
    page.goto(reverse("articles:category_index"))
    parent = page.locator("main li", has=page.locator("a", has_text="机器学习")).first
    child = parent.locator("ul a", has_text="深度学习")
    expect(child).to_have_count(1)
    tools.shoot(page, "category-index")
    child.click()
    expect(page.locator(".entry-title", has_text="注意力机制的直观理解")).to_have_count(1)


def test_search_finds_a_new_article(page, demo_site):
    ArticleFactory(
        title="Quaternions for rotating cameras",
        body="Quaternions avoid gimbal lock when cameras rotate.",
        tags=["graphics"],
    )
    page.goto(reverse("articles:home"))
    search = page.locator("input[name=q]").first
    search.fill("quaternion")
    search.press("Enter")
    page.wait_for_url("**/search/?q=quaternion**")
    expect(page.locator(".entry-title", has_text="Quaternions for rotating cameras")).to_have_count(
        1
    )
    tools.shoot(page, "search")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_math_and_code_render_in_both_themes(page, demo_site, scheme):
    page.emulate_media(color_scheme=scheme)
    for slug in (MATH_AND_CODE_ZH, MATH_AND_CODE_EN):
        page.goto(article_url(slug))
        body = page.locator(".article-body")
        tools.assert_math_has_size(body)
        tools.assert_code_is_coloured(body)
        code_background = luminance(tools.background(body.locator("pre.highlight").first))
        if scheme == "dark":
            assert code_background < 0.3, "code blocks stay light in dark mode"
        else:
            assert code_background > 0.7
    text = luminance(tools.colour(page.locator("body")))
    ground = luminance(page_background(page))
    if scheme == "dark":
        assert ground < 0.2 and text > 0.6, (ground, text)
    else:
        assert ground > 0.8 and text < 0.4, (ground, text)
    tools.shoot(page, f"article-{scheme}")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_phone_width_never_scrolls_sideways(page, demo_site, scheme):
    page.set_viewport_size(tools.MOBILE)
    page.emulate_media(color_scheme=scheme)
    pages = {
        "home": reverse("articles:home"),
        "article": article_url(MATH_AND_CODE_ZH),
        "article-en": article_url(MATH_AND_CODE_EN),
        "category": Category.objects.get(name="机器学习", parent=None).get_absolute_url(),
    }
    for name, url in pages.items():
        page.goto(url)
        tools.assert_no_horizontal_scroll(page)
        # The search form wraps onto a line of its own, flush with the site's name.
        name_box = page.locator(".site-name").bounding_box()
        form_box = page.locator(".site-header .search-form").bounding_box()
        assert form_box["y"] > name_box["y"] + name_box["height"] / 2
        assert abs(form_box["x"] - name_box["x"]) < 1, (form_box, name_box)
        if name.startswith("article"):
            tools.assert_math_has_size(page.locator(".article-body"))
            tools.assert_code_is_coloured(page.locator(".article-body"))
        tools.shoot(page, f"mobile-{name}-{scheme}")

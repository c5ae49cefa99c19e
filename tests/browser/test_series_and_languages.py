"""A series page, a part's series box, and a bilingual pair, as Chromium draws them.

Screenshots land in test-artifacts/screenshots/ (series-*.png, bilingual-*.png).
"""

from playwright.sync_api import expect

from articles.models import Series, SeriesPart, Translation
from tests.browser.tools import MOBILE, boxes, shoot
from tests.factories import ArticleFactory, CategoryFactory, draft

BODY_EN = (
    "## Why\n\nAttention weighs every token.\n\n## How\n\nSoftmax of scores.\n\n## Then\n\nDone."
)
BODY_ZH = (
    "## 为什么\n\n注意力为每个词加权。\n\n## 怎么做\n\n对分数做 softmax。\n\n## 然后\n\n完成。"
)


# An empty inline-block sits on its line's baseline, so its top is where the text stands.
BASELINES = """selector => [...document.querySelectorAll(selector)].map(element => {
  const marker = document.createElement("span");
  marker.style.cssText = "display:inline-block;width:0;height:0";
  element.append(marker);
  const top = marker.getBoundingClientRect().top;
  marker.remove();
  return top;
})"""
SWITCH_WORDS = ".language-switch .label, .language-switch li > *"


def assert_one_baseline(page):
    """English and 简体中文 stand on one line although their fonts' heights differ."""
    tops = page.evaluate(BASELINES, SWITCH_WORDS)
    assert len(tops) == 3
    assert max(tops) - min(tops) < 0.5, tops


def make_series():
    series = Series.objects.create(
        title="Transformers from scratch",
        description="Five parts, from dot products to a working model.",
    )
    category = CategoryFactory(name="Machine learning")
    titles = ["Dot products", "Softmax", "Attention", "Multi-head attention", "Training"]
    parts = []
    for position, title in enumerate(titles, start=1):
        make = draft if position == 4 else ArticleFactory
        parts.append(make(title=title, body=BODY_EN, category=category))
        SeriesPart.objects.create(series=series, article=parts[-1], position=position)
    return series, parts


def test_series_page_and_box(page):
    series, parts = make_series()
    page.goto(series.get_absolute_url())
    items = page.locator(".series-index > li")
    expect(items).to_have_count(4)  # the draft (part 4) is not there
    expect(page.locator("body")).not_to_contain_text("Multi-head attention")
    shoot(page, "series-page")

    page.goto(parts[2].get_absolute_url())
    box = page.locator(".series-nav")
    expect(box).to_contain_text("Part 3 of 4 in Transformers from scratch")
    current = box.locator("[aria-current=page]")
    expect(current).to_have_text("Attention")
    assert current.evaluate("e => getComputedStyle(e).fontWeight") in ("600", "700")
    prev_box = box.locator(".series-prev").bounding_box()
    next_box = box.locator(".series-next").bounding_box()
    assert prev_box["x"] < next_box["x"]  # previous on the left, next on the right
    expect(box.locator(".series-next")).to_contain_text("Training")
    shoot(page, "series-part")


def test_bilingual_pair(page, context):
    english = ArticleFactory(title="Attention, explained", language="en", body=BODY_EN)
    chinese = ArticleFactory(title="注意力机制详解", language="zh-hans", body=BODY_ZH)
    Translation.objects.create(article=chinese, source=english)

    page.goto(english.get_absolute_url())
    switch = page.locator(".language-switch")
    expect(switch).to_contain_text("English")
    expect(page.locator(".toc h2")).to_have_text("Contents")
    assert_one_baseline(page)
    shoot(page, "bilingual-en")

    switch.get_by_role("link", name="简体中文").click()
    expect(page).to_have_url(
        chinese.get_absolute_url().replace(
            "注意力机制详解", "%E6%B3%A8%E6%84%8F%E5%8A%9B%E6%9C%BA%E5%88%B6%E8%AF%A6%E8%A7%A3"
        )
    )
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator(".toc h2")).to_have_text("目录")
    expect(page.locator(".reading-time")).to_contain_text("分钟")
    assert_one_baseline(page)
    shoot(page, "bilingual-zh")

    phone = context.new_page()
    phone.set_viewport_size(MOBILE)
    phone.goto(chinese.get_absolute_url())
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= MOBILE["width"]
    shoot(phone, "bilingual-zh-phone")


def test_a_chinese_title_in_an_english_list_keeps_the_lists_spacing(page):
    for title in ("Queues", "编译器前端", "Stacks"):
        ArticleFactory(title=title, language="zh-hans" if title == "编译器前端" else "en")
    page.goto(ArticleFactory(title="Heaps").get_absolute_url())
    rows = page.locator("#sidebar-recent + .link-list > li")
    expect(rows).to_have_count(3)
    heights = {round(height, 1) for _, height in boxes(rows)}
    assert len(heights) == 1, heights
    # The same on the home page's cards, whose titles are headings.
    page.goto("/")
    heights = {round(height, 1) for _, height in boxes(page.locator(".entry-title"))}
    assert len(heights) == 1, heights

"""Math as readers see it in Chromium: alignment, stretching, limits and fonts.

Geometry on a page rendered by the real pipeline (docs/math.md).
"""

import pytest

from tests.browser import tools
from tests.factories import ArticleFactory

FORMULAS = r"""
Aligned:

$$\begin{aligned} f(x) &= (x+1)^2 \\ &= x^2 + 2x + 1 \\ g(x) + h(x) &= \frac{1}{2} \end{aligned}$$

Fence:

$$\left(\frac{a}{b}\right)$$

Sum:

$$\sum_{i=1}^n i$$

Determinant:

$$\begin{vmatrix} a & b \\ c & d \end{vmatrix}$$

Tagged:

$$\begin{align} e^{i\pi} + 1 &= 0 \tag{1} \end{align}$$

Code:

```python
def square(x):  # 平方
    return x ** 2
```
"""


def math_page(page, language):
    article = ArticleFactory(body=FORMULAS, language=language, slug=f"math-{language}")
    page.goto(article.get_absolute_url())
    page.evaluate("document.fonts.ready")
    return article


def display_maths(page):
    return page.locator(".article-body .math-display math")


def test_aligned_equals_signs_share_one_x(page):
    math_page(page, "en")
    lefts = (
        display_maths(page)
        .nth(0)
        .evaluate(
            """math => [...math.querySelectorAll("mo")]
            .filter(mo => mo.textContent === "=")
            .map(mo => mo.getBoundingClientRect().left)"""
        )
    )
    assert len(lefts) == 3
    assert max(lefts) - min(lefts) <= 1
    # The left-hand sides end where the = begins, as TeX's right-aligned column.
    rights = (
        display_maths(page)
        .nth(0)
        .evaluate(
            """math => [...math.querySelectorAll("mtr > mtd:first-child")]
            .filter(cell => cell.textContent.trim())
            .map(cell => cell.firstElementChild.getBoundingClientRect().right)"""
        )
    )
    assert len(rights) == 2
    assert max(rights) - min(rights) <= 1
    # …with only the thick space TeX puts before a relation (about 0.28 em) between.
    assert 0 <= min(lefts) - max(rights) < 10


def test_parentheses_stretch_around_a_fraction(page):
    math_page(page, "en")
    sizes = (
        display_maths(page)
        .nth(1)
        .evaluate(
            """math => {
            const height = element => element.getBoundingClientRect().height;
            const fences = [...math.querySelectorAll("mo")]
                .filter(mo => "()".includes(mo.textContent));
            return {fraction: height(math.querySelector("mfrac")), fences: fences.map(height)};
        }"""
        )
    )
    assert len(sizes["fences"]) == 2
    assert all(height >= sizes["fraction"] for height in sizes["fences"])


def test_display_sum_puts_its_limits_below(page):
    math_page(page, "en")
    boxes = (
        display_maths(page)
        .nth(2)
        .evaluate(
            """math => {
            const [base, under, over] = math.querySelector("munderover").children;
            const box = element => element.getBoundingClientRect().toJSON();
            return {base: box(base), under: box(under), over: box(over)};
        }"""
        )
    )
    base, under, over = boxes["base"], boxes["under"], boxes["over"]
    assert under["top"] >= base["bottom"] - 1
    assert over["bottom"] <= base["top"] + 1
    centre = (base["left"] + base["right"]) / 2
    assert under["left"] <= centre <= under["right"]


def test_determinant_bars_are_as_tall_as_the_matrix(page):
    math_page(page, "en")
    sizes = (
        display_maths(page)
        .nth(3)
        .evaluate(
            """math => ({
            table: math.querySelector("mtable").getBoundingClientRect().height,
            bars: [...math.querySelectorAll("mo")].map(mo => mo.getBoundingClientRect().height),
        })"""
        )
    )
    assert len(sizes["bars"]) == 2
    assert all(height >= 0.9 * sizes["table"] for height in sizes["bars"])


def test_equation_tags_sit_at_the_right_margin(page):
    math_page(page, "en")
    boxes = (
        display_maths(page)
        .nth(4)
        .evaluate(
            """math => ({
            block: math.parentElement.getBoundingClientRect().toJSON(),
            tag: math.querySelector(".tex-tag mtext").getBoundingClientRect().toJSON(),
            equals: [...math.querySelectorAll("mo")].find(mo => mo.textContent === "=")
                .getBoundingClientRect().toJSON(),
        })"""
        )
    )
    assert abs(boxes["tag"]["right"] - boxes["block"]["right"]) <= 2
    assert boxes["equals"]["right"] < boxes["tag"]["left"] - 100


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_math_is_set_in_the_self_hosted_math_font(page, language):
    math_page(page, language)
    family = page.evaluate("getComputedStyle(document.querySelector('math')).fontFamily")
    assert family.split(",")[0].strip().strip('"') == "Inkstone Math"
    loaded = page.evaluate(
        """() => [...document.fonts]
            .filter(face => face.family.replace(/"/g, "") === "Inkstone Math")
            .map(face => face.status)"""
    )
    assert "loaded" in loaded
    # A glyph inside the formula inherits the face; no language rule overrides it.
    inner = page.evaluate("getComputedStyle(document.querySelector('math mi')).fontFamily")
    assert inner == family


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_code_tokens_are_monospace_in_every_language(page, language):
    math_page(page, language)
    families = page.evaluate(
        """() => [...document.querySelectorAll("pre code span")]
            .map(span => getComputedStyle(span).fontFamily)"""
    )
    assert families
    for family in families:
        assert family.startswith("ui-monospace"), family
        assert "monospace" in family
    widths = page.evaluate(
        """() => {
            const code = document.querySelector("pre code");
            const probe = text => {
                const span = document.createElement("span");
                span.textContent = text;
                code.appendChild(span);
                const width = span.getBoundingClientRect().width;
                span.remove();
                return width;
            };
            return [probe("iiii"), probe("MMMM")];
        }"""
    )
    assert abs(widths[0] - widths[1]) < 0.5
    tools.shoot(page, f"math-layout-{language}")

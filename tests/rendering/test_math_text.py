import pytest

from articles.rendering.math_text import readable_math
from articles.rendering.pipeline import render_article


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        ("h", "h"),
        ("x^2", "x²"),
        (r"m \times n", "m × n"),
        (r"\mathbf{u}_i", "uᵢ"),
        (r"\mathbf{q}_i^\top \mathbf{k}_j", "qᵢᵀ kⱼ"),
        (r"\frac{1}{\sqrt{d_k}}", "1/√dₖ"),
        (r"\frac{a+b}{2}", "(a+b)/2"),
        (r"\mathbb{R}^{n \times d}", "ℝ^(n × d)"),
        (r"x_{t-1}", "xₜ₋₁"),
        (r"\alpha \in (0, 1)", "α ∈ (0, 1)"),
        (r"\hat{y}_i", "ŷᵢ"),
        (r"\|x\|_2", "‖x‖₂"),
        (r"\left( a \right)", "( a )"),
        ("W_Q", "W_Q"),
        (r"\mathbf{v}_\mathit{i}", "vᵢ"),
        (r"x^\frac{1}{2}", "x^(1/2)"),
    ],
)
def test_common_notation_becomes_unicode(latex, text):
    assert readable_math(latex) == text


@pytest.mark.parametrize(
    "latex",
    [r"\begin{bmatrix}1\end{bmatrix}", r"\unknown{x}", "{", "}", r"\hat{xy}", r"\mathbb{K}", ""],
)
def test_anything_unsure_gives_none_rather_than_raw_latex(latex):
    assert readable_math(latex) is None


def test_previews_show_readable_math_and_never_commands():
    preview = render_article(
        r"Every $m \times n$ matrix has columns $\mathbf{u}_i$ and "
        r"$\begin{bmatrix}a\end{bmatrix}$ entries."
    ).preview
    assert preview == "Every m × n matrix has columns uᵢ and [math] entries."
    assert "\\" not in preview


def test_math_in_image_alt_text_is_kept_as_readable_text():
    html = render_article("![The curve $f(x_1)$ and $1 \\times 1$ kernels](plot.png)").html
    assert 'alt="The curve f(x₁) and 1 × 1 kernels"' in html


def test_math_in_headings_reads_naturally_in_the_table_of_contents():
    toc = render_article("## Cost is $O(n^2)$").toc
    assert toc[0]["title"] == "Cost is O(n²)"

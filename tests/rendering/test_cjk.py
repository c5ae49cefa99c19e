"""Chinese text mixed with Latin: emphasis, autolinks, emphasis dots, slugs, spacing."""

import pytest

from articles.rendering.cjk import THIN_SPACE
from articles.rendering.pipeline import render_article
from articles.rendering.slugs import slug_from_text
from tests.html_tree import parse


def links(html):
    return [(el.attrs.get("href"), el.text) for el in parse(html).all if el.tag == "a"]


@pytest.mark.parametrize(
    ("source", "strong"),
    [
        ("__（一）旅行。__如果你", "（一）旅行。"),
        ("如果__（一）旅行__", "（一）旅行"),
        ("他说：_“好。”_然后", None),
    ],
)
def test_underscore_emphasis_next_to_cjk_punctuation(source, strong):
    html = render_article(source, language="zh-hans").html
    if strong:
        assert [el.text for el in parse(html).all if el.tag == "strong"] == [strong]
        assert "__" not in html
    else:
        assert [el.tag for el in parse(html).all] == ["p", "em"]


def test_underscores_inside_words_stay_literal():
    for source in ("snake_case_name", "变量_名_称", "a_b_c 中文"):
        assert "<em>" not in render_article(source, language="zh-hans").html


def test_autolinks_end_at_cjk_punctuation():
    html = render_article(
        "见 https://example.com/a，以及 www.example.com。", language="zh-hans"
    ).html
    assert links(html) == [
        ("https://example.com/a", "https://example.com/a"),
        ("http://www.example.com", "www.example.com"),
    ]
    assert "，以及" in parse(html).all[0].text


def test_autolinks_glued_to_chinese_and_inside_full_width_brackets():
    source = "见https://example.com/a以及（https://b.org/x）和「www.c.net」获取"
    assert links(render_article(source, language="zh-hans").html) == [
        ("https://example.com/a", "https://example.com/a"),
        ("https://b.org/x", "https://b.org/x"),
        ("http://www.c.net", "www.c.net"),
    ]


def test_latin_autolinks_keep_gfm_rules():
    html = render_article("xhttps://a.example and (http://a.example/c) http://a.example.").html
    assert links(html) == [
        ("http://a.example/c", "http://a.example/c"),
        ("http://a.example", "http://a.example"),
    ]


def test_an_email_address_with_an_underscore_links_whole():
    html = render_article("Write to first_last@example.com or _x_ today.").html
    assert links(html) == [("mailto:first_last@example.com", "first_last@example.com")]
    assert "<em>x</em>" in html


def test_latin_emphasis_in_chinese_gets_no_emphasis_dots():
    html = render_article("*Deep Learning* 和 *深度学习* 与 *Transformer模型*", language="zh").html
    emphasis = [el for el in parse(html).all if el.tag == "em"]
    assert [[c.attrs.get("class") for c in el.children] for el in emphasis] == [
        ["latin"],
        [],
        ["latin"],
    ]
    assert emphasis[1].text == "深度学习"
    # English articles are left alone.
    assert "latin" not in render_article("*Deep Learning*", language="en").html


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("科技爱好者周刊（第 300 期）：三十年…的变化", "科技爱好者周刊-第-300-期-三十年-的变化"),
        ("长短期记忆网络（LSTM）", "长短期记忆网络-lstm"),
        ("C++ & Rust：对比", "c-rust-对比"),
    ],
)
def test_full_width_punctuation_separates_slug_words(title, slug):
    assert slug_from_text(title) == slug


def test_heading_ids_separate_words_at_full_width_punctuation():
    result = render_article("## 本周话题：数字游民", language="zh-hans")
    assert result.toc[0]["id"] == "本周话题-数字游民"


def test_pangu_spacing_is_off_by_default():
    source = "使用BatchNorm层"
    assert render_article(source, language="zh-hans").html == "<p>使用BatchNorm层</p>\n"


def test_pangu_spacing_spaces_prose_but_not_code_or_math(settings):
    settings.PANGU_SPACING = True
    source = "使用BatchNorm层，共3个`x=1`和$y$与[链接Link](http://a.example)。\n\n```\n中文abc\n```"
    html = render_article(source, language="zh-hans").html
    t = THIN_SPACE
    assert f"使用{t}BatchNorm{t}层，共{t}3{t}个{t}<code>x=1</code>{t}和{t}<math" in html
    assert f'与<a href="http://a.example" rel="noopener noreferrer">链接{t}Link</a>。' in html
    assert "中文abc" in html  # the code block is untouched
    settings.PANGU_SPACING = False
    assert THIN_SPACE not in render_article(source, language="zh-hans").html

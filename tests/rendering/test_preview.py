"""Previews, truncation by display width, word counts and reading times."""

import pytest
import regex

from articles.rendering.pipeline import render_article
from articles.rendering.preview import ELLIPSIS, display_width, truncate
from bench.preview_check import block_texts, cut_inside_word, glued_blocks
from tests.corpus import dev_articles

CLUSTERS = regex.compile(r"\X")


def test_preview_uses_text_of_headings_emphasis_links_and_images():
    source = "# Title\n\n**Bold** [link](http://x.y) ![alt words](a.png)"
    assert render_article(source, language="en").preview == "Title. Bold link alt words"


@pytest.mark.parametrize(
    ("language", "code", "math"), [("en", "[code]", "[math]"), ("zh-hans", "[代码]", "[公式]")]
)
def test_code_and_display_math_placeholders_follow_language(language, code, math):
    source = "开始\n\n```python\nx = 1\n```\n\n$$\ny\n$$\n\n结束"
    preview = render_article(source, language=language).preview
    assert preview == f"开始 {code} {math} 结束"


def test_placeholders_default_to_site_language(settings):
    settings.LANGUAGE_CODE = "zh-hans"
    assert "[代码]" in render_article("```\nx\n```").preview


def test_inline_math_kept_when_short_else_placeholder():
    short = render_article("这$h$组", language="zh-hans").preview
    readable = render_article("维度$d_k$的向量", language="zh-hans").preview
    long = render_article("值$" + "x+" * 30 + "y$很长", language="zh-hans").preview
    assert short == "这h组"
    assert readable == "维度dₖ的向量"
    assert long == "值[公式]很长"


def test_author_summary_wins():
    assert render_article("Body text", summary="  My   summary ").preview == "My summary"


@pytest.mark.parametrize("marker", ["<!-- more -->", "<!--more-->", "<!-- truncate -->"])
def test_excerpt_marker_cuts_exactly_there(marker):
    source = f"First paragraph.\n\n{marker}\n\nSecond paragraph."
    assert render_article(source).preview == "First paragraph."


def test_excerpt_marker_inside_code_is_ignored():
    source = "Intro.\n\n```html\n<!-- more -->\n```\n\nAfter."
    assert render_article(source, language="en").preview == "Intro. [code] After."


def test_short_preview_is_not_cut():
    assert render_article("短文。").preview == "短文。"


def test_cjk_counts_two_columns(settings):
    settings.PREVIEW_WIDTH = 600
    preview = render_article("中" * 1000).preview
    assert preview.endswith(ELLIPSIS)
    assert display_width(preview) <= 600
    assert preview.count("中") >= 295


def test_latin_counts_one_column(settings):
    settings.PREVIEW_WIDTH = 600
    preview = render_article("word " * 300).preview
    assert 590 <= display_width(preview) <= 600


def test_never_cuts_inside_a_latin_word():
    preview = truncate("alpha beta gammadelta epsilon", 15)
    assert preview == "alpha beta…"


def test_never_cuts_inside_a_url():
    text = "see https://example.com/a/very/long/path/to/something here"
    assert truncate(text, 30) == "see…"


def test_never_cuts_inside_a_placeholder():
    text = "中文" * 5 + "[代码]" + "后面"
    cut = truncate(text, 24, atoms=[(10, 14)])
    assert cut == "中文" * 5 + ELLIPSIS


@pytest.mark.parametrize(
    "unit",
    ["👨‍👩‍👧‍👦", "🇨🇳", "é", "👍🏽", "ก่", "각"],
    ids=["zwj-family", "flag", "combining-acute", "skin-tone", "thai-mark", "hangul-jamo"],
)
def test_never_cuts_inside_a_grapheme_cluster(unit):
    text = unit * 200
    cut = truncate(text, 51)
    assert cut.endswith(ELLIPSIS)
    body = cut[: -len(ELLIPSIS)]
    assert body and body == unit * (len(body) // len(unit))


def test_dangling_punctuation_is_trimmed():
    cut = truncate("甲乙，丙丁，戊己，庚辛", 8)
    assert not cut[:-1].endswith(("，", ","))
    assert truncate("one, two, three, four", 10) == "one, two…"


def test_cut_preview_ends_with_ellipsis_and_uncut_does_not():
    assert truncate("a b c", 10) == "a b c"
    assert truncate("a b c d e f g h i j k", 10).endswith(ELLIPSIS)


def test_chinese_word_count_matches_hand_count():
    # 注意力 3 + 我们使用 4 + PyTorch 1 + 实现模型 4 + 代码如下 4 + 公式 2 + 不计 2 = 20;
    # the code block and the inline formula do not count.
    source = (
        "# 注意力\n\n我们使用PyTorch实现模型，代码如下：\n\n"
        "```python\nprint('不计')\n```\n\n公式$x+y$不计。"
    )
    result = render_article(source, language="zh-hans")
    assert result.word_count == 20
    assert result.reading_minutes == 1


def test_english_word_count_matches_hand_count():
    # Hello World 2 + The quick brown fox's jump e.g state-of-the-art 3.14 times 9
    # + is not counted 3 + neither 1 = 15; `code` and $x$ do not count.
    source = (
        "# Hello World\n\nThe quick brown fox's jump, e.g. state-of-the-art 3.14 times.\n\n"
        "`code` is not counted; $x$ neither."
    )
    assert render_article(source, language="en").word_count == 15


def test_reading_time_mixes_cjk_and_latin_rates(settings):
    settings.READING_CJK_CHARS_PER_MINUTE = 400
    settings.READING_LATIN_WORDS_PER_MINUTE = 230
    assert render_article("中" * 4000).reading_minutes == 10
    assert render_article("word " * 690).reading_minutes == 3
    assert render_article("中" * 2000 + "\n\n" + "word " * 1150).reading_minutes == 10
    assert render_article("").reading_minutes == 1


def test_reading_rates_come_from_settings(settings):
    settings.READING_CJK_CHARS_PER_MINUTE = 100
    assert render_article("中" * 1000).reading_minutes == 10


def test_raw_script_shows_as_text_in_page_and_preview_alike():
    result = render_article("Hi <script>alert(1)</script> there")
    assert result.preview == "Hi <script>alert(1)</script> there"
    assert "<p>Hi &lt;script&gt;alert(1)&lt;/script&gt; there</p>" in result.html


def test_clusters_helper_agrees_with_width():
    assert display_width("中a👍") == 5
    assert len(CLUSTERS.findall("🇨🇳")) == 1


# Separators between blocks ---------------------------------------------------


def test_headings_end_with_a_separator_in_either_script():
    english = render_article("# Queries and Keys\n\nSo far all networks.", language="en")
    assert english.preview == "Queries and Keys. So far all networks."
    chinese = render_article("## 本周话题：数字游民\n\n今天，谈谈。", language="zh-hans")
    assert chinese.preview == "本周话题：数字游民\u3000今天，谈谈。"
    asked = render_article("# Why?\n\nBecause.", language="en")
    assert asked.preview == "Why? Because."


def test_list_items_and_table_cells_are_separated():
    items = render_article("- 数字\n- 游民\n\n结束", language="zh-hans").preview
    assert items == "数字；游民；结束"
    table = render_article("| 格式 | 总位数 |\n|---|---|\n| 单精度 | 32 |", language="zh-hans")
    assert table.preview == "格式，总位数；单精度，32"
    english = render_article("- one\n- two\n\n| a | b |\n|---|---|\n| c | d |", language="en")
    assert english.preview == "one; two; a, b; c, d"


def test_a_table_that_would_dominate_becomes_a_placeholder(settings):
    settings.PREVIEW_WIDTH = 60
    rows = "\n".join(f"| 第{n}行 | 很长的单元格内容 |" for n in range(5))
    source = f"开头。\n\n| 甲 | 乙 |\n|---|---|\n{rows}\n\n结尾。"
    assert render_article(source, language="zh-hans").preview == "开头。 [表格] 结尾。"
    assert render_article(source, language="en").preview == "开头。 [table] 结尾。"


def test_repeated_code_placeholders_fold_into_one():
    source = "Intro.\n\n```\na\n```\n\n```\nb\n```\n\n```\nc\n```\n\nAfter."
    assert render_article(source, language="en").preview == "Intro. [code] After."


def test_chinese_cut_falls_between_words(settings):
    settings.PREVIEW_WIDTH = 16
    # A cut by columns alone would split 注意力 after 注意.
    preview = render_article("我们使用了注意力机制来建模", language="zh-hans").preview
    assert preview == "我们使用了…"
    assert truncate("我们使用了注意力机制来建模", 16) == "我们使用了…"


def test_corpus_previews_keep_blocks_apart_and_cut_between_words(settings):
    for path, meta, body in dev_articles():
        language = "zh-hans" if str(meta.get("lang", "")).startswith("zh") else "en"
        settings.PREVIEW_WIDTH = 600
        preview = render_article(body, language=language).preview
        assert glued_blocks(preview, block_texts(body, language)) == [], path.name
        if language == "zh-hans":
            settings.PREVIEW_WIDTH = 10**7
            full = render_article(body, language=language).preview
            assert cut_inside_word(preview, full) == "", path.name

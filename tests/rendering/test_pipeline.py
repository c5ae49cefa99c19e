"""The rendering contract: Markdown features, headings, code, links and images."""

import json
from pathlib import Path

import pytest

from articles.rendering.highlight import code_stylesheet, inline_code_styles, parse_info
from articles.rendering.pipeline import Rendering, markdownify, render_article
from tests.html_tree import find_all, parse, visible_text

REPO = Path(__file__).resolve().parents[2]


def test_render_article_returns_the_contract_fields():
    result = render_article("# Title\n\nSome *text*.", language="en")
    assert isinstance(result, Rendering)
    assert isinstance(result.html, str) and "<em>text</em>" in result.html
    assert json.loads(json.dumps(result.toc)) == result.toc
    assert result.preview == "Title. Some text."
    assert result.word_count == 3
    assert result.reading_minutes == 1


def test_rendering_is_frozen():
    result = render_article("x")
    with pytest.raises(AttributeError):
        result.html = "changed"


def test_markdownify_is_exactly_the_page_html():
    source = "## 标题\n\n$x^2$ and ```py\nprint(1)\n```\n\n<b onclick=x>hi</b>"
    assert markdownify(source) == render_article(source).html


def test_empty_and_none_bodies_render():
    assert render_article("").html == ""
    assert render_article(None).reading_minutes == 1


def test_chinese_heading_gets_a_chinese_id_and_duplicates_are_numbered():
    result = render_article("## 注意力机制\n\n## 注意力机制\n\n## Attention Is All You Need")
    ids = [heading.attrs["id"] for heading in find_all(result.html, "h2")]
    assert ids == ["注意力机制", "注意力机制-2", "attention-is-all-you-need"]
    assert result.toc == [
        {"level": 2, "id": "注意力机制", "title": "注意力机制"},
        {"level": 2, "id": "注意力机制-2", "title": "注意力机制"},
        {"level": 2, "id": "attention-is-all-you-need", "title": "Attention Is All You Need"},
    ]


def test_heading_without_word_characters_still_gets_a_readable_id():
    result = render_article("# ???\n\n# !!!")
    assert [entry["id"] for entry in result.toc] == ["section", "section-2"]
    assert not any(entry["id"].startswith("_") for entry in result.toc)


def test_heading_anchor_links_to_its_heading():
    html = render_article("## 介绍 Intro").html
    links = [a for a in find_all(html, "a") if a.attrs.get("class") == "heading-anchor"]
    assert [a.attrs["href"] for a in links] == ["#介绍-intro"]


def test_cjk_friendly_emphasis():
    html = render_article("**真，**她说。中文**（括号）**里").html
    strong = [element.text for element in find_all(html, "strong")]
    assert strong == ["真，", "（括号）"]


def test_strict_emphasis_rules_still_hold_for_latin_text():
    html = render_article('a**"b"**c and foo*bar*').html
    assert [element.text for element in find_all(html, "em")] == ["bar"]
    assert find_all(html, "strong") == []


def test_soft_line_break_between_chinese_lines_adds_no_space():
    html = render_article("第一行\n第二行\nEnglish\nline").html
    assert "第一行第二行" in html
    assert "English\nline" in html


@pytest.mark.parametrize(
    ("info", "language", "lines"),
    [
        ("python", "python", []),
        ("{.python .input}", "python", []),
        ("{.python .input  n=3}", "python", []),
        ("python {3,5}", "python", [3, 5]),
        ("js {1-3}", "js", [1, 2, 3]),
        ('python hl_lines="2 4"', "python", [2, 4]),
        ("", "", []),
    ],
)
def test_info_string_parsing(info, language, lines):
    assert parse_info(info) == (language, lines)


def test_pandoc_info_string_highlights_python():
    html = render_article("```{.python .input}\nimport torch\n```").html
    code = find_all(html, "code")[0]
    assert code.attrs["class"] == "language-python"
    assert any(span.attrs.get("class") == "kn" for span in find_all(html, "span"))


def test_highlighted_lines_are_marked():
    html = render_article("```python {2}\na = 1\nb = 2\nc = 3\n```").html
    marked = [span for span in find_all(html, "span") if span.attrs.get("class") == "hll"]
    assert len(marked) == 1
    assert "b" in "".join(child.text for child in marked[0].children)


def test_unknown_language_is_escaped_plain_text():
    html = render_article("```nosuchlang\n<b>x</b> & y\n```").html
    assert find_all(html, "b") == []
    assert find_all(html, "span") == []
    assert find_all(html, "code")[0].text == "<b>x</b> & y\n"


def test_images_are_lazy_and_keep_alt_text():
    images = find_all(render_article("![一只猫](../img/cat.png)").html, "img")
    assert images[0].attrs["alt"] == "一只猫"
    assert images[0].attrs["loading"] == "lazy"


def test_external_links_get_noopener_noreferrer():
    links = find_all(render_article("[x](https://example.com) https://d2l.ai").html, "a")
    assert len(links) == 2
    assert all(set(a.attrs["rel"].split()) >= {"noopener", "noreferrer"} for a in links)


def test_gfm_tables_strikethrough_tasks_and_autolinks():
    source = "| a | b |\n|:-|-:|\n| 1 | 2 |\n\n~~old~~\n\n- [x] done\n- [ ] todo\n\nwww.example.com"
    html = render_article(source).html
    assert [cell.text for cell in find_all(html, "td")] == ["1", "2"]
    assert [element.text for element in find_all(html, "del")] == ["old"]
    boxes = find_all(html, "input")
    assert [("checked" in box.attrs) for box in boxes] == [True, False]
    assert all(box.attrs["disabled"] == "" and box.attrs["type"] == "checkbox" for box in boxes)
    assert find_all(html, "a")[0].attrs["href"] == "http://www.example.com"


def test_footnotes():
    html = render_article("Text[^1].\n\n[^1]: The note.").html
    refs = [a.attrs["href"] for a in find_all(html, "a")]
    assert "#fn1" in refs and "#fnref1" in refs
    assert any(section.attrs.get("class") == "footnotes" for section in find_all(html, "section"))


@pytest.mark.parametrize(
    ("language", "title"), [("en", "Warning"), ("zh-hans", "警告"), (None, "Warning")]
)
def test_alerts_are_titled_in_the_article_language(language, title, settings):
    settings.LANGUAGE_CODE = "en"
    html = render_article("> [!WARNING]\n> Mind the gap.", language=language).html
    alert = find_all(html, "div")[0]
    assert alert.attrs["class"] == "markdown-alert markdown-alert-warning"
    assert find_all(html, "p")[0].text == title


def test_d2lbook_roles_are_dropped_or_shown_as_text():
    html = render_article(
        "# 标题\n:label:`sec_x`\n\n见 :numref:`sec_y` 和 :cite:`Vaswani.2017`。"
    ).html
    text = visible_text(html)
    assert ":label:" not in text and "sec_x" not in text
    assert "见 sec_y 和 [Vaswani.2017]。" in text


def test_inline_code_styles_replaces_classes_with_styles():
    html = render_article("```python {1}\nimport os\n```").html
    inlined = inline_code_styles(html)
    spans = find_all(inlined, "span")
    assert spans and all("class" not in span.attrs for span in spans)
    assert any("color" in span.attrs.get("style", "") for span in spans)
    assert "background" in find_all(inlined, "pre")[0].attrs["style"]


def test_inline_code_styles_leaves_other_spans_alone():
    html = '<p><span class="math-error">x</span></p>'
    assert inline_code_styles(html) == html


def test_content_css_embeds_the_current_pygments_styles():
    css = (REPO / "static" / "css" / "content.css").read_text(encoding="utf-8")
    start = css.index("/* BEGIN PYGMENTS")
    end = css.index("/* END PYGMENTS")
    embedded = css[css.index("*/", start) + 2 : end].strip()
    assert embedded == code_stylesheet().strip()
    assert "prefers-color-scheme: dark" in css


def test_structure_parses_back():
    tree = parse(render_article("> quote\n\n1. one\n2. two").html)
    assert [element.tag for element in tree.all] == ["blockquote", "p", "ol", "li", "li"]

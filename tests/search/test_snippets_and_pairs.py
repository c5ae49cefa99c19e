"""Snippets that read like the article, and Chinese queries that cross word boundaries."""

import pytest

from articles.models import Article
from articles.search.documents import MARK_START, MARK_STOP, bigrams
from articles.search.query import search_articles
from articles.search.results import SearchResults
from articles.search.snippets import snippet_html
from tests.factories import ArticleFactory
from tests.search.helpers import SEARCH_URL, days_ago, found

pytestmark = pytest.mark.django_db


def snippet(query):
    [article] = search_articles(Article.objects.published(), query)
    return str(snippet_html(article.headline, query))


def test_bigrams_pair_neighbouring_han_characters():
    assert bigrams("任何工作 and 朋友") == "任何 何工 工作 朋友"
    assert bigrams("a 中 b") == ""


@pytest.mark.parametrize(
    ("query", "body"),
    [
        ("任何工", "我们不做任何工作。"),
        ("友自己", "他的朋友自己做饭。"),
        ("互相关", "计算互相关运算。"),
    ],
)
def test_queries_across_segmenter_words_find_the_article(query, body):
    ArticleFactory(title="Found", body=body)
    ArticleFactory(title="Other", body="完全无关的文字。")
    assert found(query) == ["Found"]
    assert [a.title for a in SearchResults(query)[0:10]] == ["Found"]


def test_pairs_do_not_loosen_excluded_words():
    ArticleFactory(title="Kept", body="梯度下降。")
    ArticleFactory(title="Dropped", body="梯度下降与任何工作。")
    assert found("梯度 -任何工") == ["Kept"]


def test_snippets_keep_chinese_punctuation():
    ArticleFactory(title="T", body="我怀疑人生，步长设得太大；损失先是剧烈震荡。")
    assert "我怀疑人生，步长设得太大；<mark>损失</mark>先是剧烈震荡" in snippet("损失")


def test_snippets_show_placeholders_for_math_and_code():
    body = "The loss drops below roughly $10^{-3}$.\n\n```python\nx = 1\n```\n\nIf every step"
    ArticleFactory(title="English", body=body, language="en")
    text = snippet("loss")
    assert "below roughly [math]. [code] If every step" in text
    ArticleFactory(title="中文", body="损耗低于$x$。\n\n```\ny\n```\n\n然后", language="zh-hans")
    assert "<mark>损耗</mark>低于[公式]。 [代码] 然后" in snippet("损耗")


def test_snippets_end_a_heading_as_a_preview_does():
    body = "It shows up.\n\n## Where the numbers go wrong\n\nThe quantity\n\n## Why?\n\nBecause"
    ArticleFactory(title="English", body=body, language="en")
    assert "Where the numbers go wrong. The <mark>quantity</mark> Why? Because" in snippet(
        "quantity"
    )
    ArticleFactory(
        title="中文", body="清楚了。\n\n## 浮点数长什么样\n\n标准把它拆开", language="zh-hans"
    )
    assert "浮点数长什么样\u3000 标准" in snippet("拆开")


def test_snippets_highlight_whole_words():
    ArticleFactory(title="T", body="计算互相关运算的结果。")
    assert "计算<mark>互相关</mark>运算" in snippet("互相关")
    widened = snippet_html(f"the {MARK_START}kern{MARK_STOP}els here", "kernel")
    assert str(widened) == "the <mark>kernels</mark> here"
    joined = snippet_html(f"{MARK_START}互相{MARK_STOP}{MARK_START}关{MARK_STOP}", "")
    assert str(joined) == "<mark>互相关</mark>"


def test_search_page_highlights_the_query(client):
    ArticleFactory(title="T", body="我们不做任何工作。")
    response = client.get(SEARCH_URL, {"q": "任何工"})
    assert "不做<mark>任何工</mark>作" in response.text


def test_body_only_matches_are_ordered_by_relevance():
    ArticleFactory(
        title="Older, dense",
        body="Kernel methods. Kernel methods again, kernel methods.",
        published_at=days_ago(30),
    )
    ArticleFactory(
        title="Newer, passing",
        body="A kernel. " + "Filler words here. " * 60 + "Some methods.",
        published_at=days_ago(1),
    )
    expected = ["Older, dense", "Newer, passing"]
    assert found("kernel methods") == expected
    assert [a.title for a in SearchResults("kernel methods")[0:10]] == expected


@pytest.mark.parametrize(
    "headline, shown",
    [
        (f"公式]就是{MARK_START}学习率{MARK_STOP}。", "[公式]就是<mark>学习率</mark>。"),
        (f"the {MARK_START}softmax{MARK_STOP}, [math", "the <mark>softmax</mark>, [math]"),
        (f"{MARK_START}梯度{MARK_STOP}，[", "<mark>梯度</mark>，"),
        ("code] stays [code]", "[code] stays [code]"),
    ],
)
def test_a_placeholder_cut_at_the_snippets_edge_is_made_whole(headline, shown):
    # ts_headline cuts at tokens, and "[", "公式", "]" are three of them.
    assert str(snippet_html(headline)) == shown

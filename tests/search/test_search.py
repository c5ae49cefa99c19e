"""Search: normalisation, query syntax, matching, ranking, index sync, snippets, the page."""

import pytest
from django.core.management import call_command
from taggit.models import Tag

from articles.models import Article, SearchEntry
from articles.search.documents import MARK_START, MARK_STOP, body_text, segment
from articles.search.query import parse_query, search_articles
from articles.search.results import SearchResults
from articles.search.snippets import snippet_html
from tests.factories import ArticleFactory, CategoryFactory, draft, scheduled
from tests.search.helpers import SEARCH_URL, days_ago, found

pytestmark = pytest.mark.django_db


# Normalisation ---------------------------------------------------------------


def test_search_mode_keeps_sub_words_and_precise_mode_does_not():
    assert set(segment("注意力机制").split("\x1f")) >= {"注意", "注意力", "机制"}
    assert "注意" not in segment("注意力机制", precise=True).split("\x1f")


def test_segment_separates_scripts_and_drops_unsafe_characters():
    text = segment("使用BatchNorm层\x00，再训练", precise=True)
    assert "BatchNorm" in text.replace("\x1f", " ").split()
    assert "\x00" not in text
    assert "，" not in text


def test_body_text_skips_code_blocks_math_and_heading_anchors():
    html = (
        '<h2 id="x">Heading<a class="heading-anchor" href="#x">#</a></h2>'
        "<p>Prose with <code>inline_name</code> and <math><mi>secretmath</mi></math>.</p>"
        '<div class="highlight"><pre><span>codeword</span></pre></div><p>After &amp; more</p>'
    )
    text = body_text(html)
    assert "Heading" in text
    assert "inline_name" in text
    assert "After & more" in text
    for hidden in ("#", "secretmath", "codeword"):
        assert hidden not in text


# Query syntax ----------------------------------------------------------------


def test_parse_query_understands_phrases_exclusions_and_or():
    groups = parse_query('"batch norm" -dropout adam OR sgd')
    assert [[(t.text, t.phrase, t.excluded) for t in group] for group in groups] == [
        [("batch norm", True, False)],
        [("dropout", False, True)],
        [("adam", False, False), ("sgd", False, False)],
    ]


@pytest.mark.parametrize("query", ["", "   ", "OR", "-", '""', "&|!():*", "-模型", "，。！"])
def test_queries_with_nothing_to_find_parse_to_nothing(query):
    assert parse_query(query) == []


# Matching --------------------------------------------------------------------


def test_chinese_sub_words_and_two_character_words_match():
    ArticleFactory(title="Notes", body="我们介绍注意力机制如何帮助深度学习模型。")
    assert found("注意力") == ["Notes"]
    assert found("模型") == ["Notes"]
    assert found("注意力机制") == ["Notes"]
    assert found("蛋白质") == []


def test_gradient_two_character_word_matches_inside_longer_word():
    ArticleFactory(title="优化", body="随机梯度下降是最常用的优化算法。")
    assert found("梯度") == ["优化"]


def test_english_is_stemmed():
    ArticleFactory(title="Notes", body="A transformer layer normalizes its inputs.")
    assert found("transformers") == ["Notes"]
    assert found("normalized layers") == ["Notes"]


def test_mixed_query_needs_both_scripts():
    ArticleFactory(title="Both", body="Transformer 使用注意力。")
    ArticleFactory(title="English only", body="Transformer everywhere.")
    assert found("Transformer 注意力") == ["Both"]


def test_phrase_needs_words_in_order():
    ArticleFactory(title="In order", body="We use batch normalization here.")
    ArticleFactory(title="Apart", body="Normalization of each batch is different.")
    assert found('"batch normalization"') == ["In order"]
    assert sorted(found("batch normalization")) == ["Apart", "In order"]


def test_chinese_phrase_matches_the_same_characters():
    ArticleFactory(title="有", body="本节介绍自注意力机制。")
    ArticleFactory(title="无", body="机制与自我注意力无关。")
    assert found('"自注意力机制"') == ["有"]


def test_code_and_math_do_not_enter_the_index():
    body = "Prose only.\n\n```python\nimport frobnicator\n```\n\n$$\\zeta_{quux}$$\n"
    ArticleFactory(title="Code", body=body)
    assert found("frobnicator") == []
    assert found("quux") == []
    assert found("prose") == ["Code"]


# Ranking ---------------------------------------------------------------------


def test_title_beats_tags_beats_body_whatever_the_dates():
    ArticleFactory(title="Body", body="Kernel kernel kernel methods.", published_at=days_ago(1))
    ArticleFactory(title="Tagged", tags=["kernel"], published_at=days_ago(2))
    ArticleFactory(title="Kernel tricks", published_at=days_ago(3))
    assert found("kernel") == ["Kernel tricks", "Tagged", "Body"]


def test_category_counts_like_a_tag():
    ArticleFactory(title="Body", body="About kernels.", published_at=days_ago(1))
    ArticleFactory(
        title="Filed", category=CategoryFactory(name="Kernels"), published_at=days_ago(2)
    )
    assert found("kernel") == ["Filed", "Body"]


def test_recency_breaks_ties():
    ArticleFactory(title="Old", body="Kernel methods.", published_at=days_ago(9))
    ArticleFactory(title="New", body="Kernel methods.", published_at=days_ago(1))
    assert found("kernel") == ["New", "Old"]


# Visibility ------------------------------------------------------------------


def test_only_published_articles_are_found(client):
    ArticleFactory(title="Public kernel")
    draft(title="Draft kernel")
    scheduled(title="Scheduled kernel")
    assert found("kernel") == ["Public kernel"]
    response = client.get(SEARCH_URL, {"q": "kernel"})
    assert "Public kernel" in response.text
    assert "Draft kernel" not in response.text
    assert "Scheduled kernel" not in response.text


# Keeping the index in sync ---------------------------------------------------


def test_editing_an_article_reindexes_it():
    article = ArticleFactory(title="Alpha", body="First wording.")
    article.title = "Beta"
    article.body = "Second wording."
    article.save()
    assert found("alpha") == []
    assert found("first") == []
    assert found("beta") == ["Beta"]
    assert found("second") == ["Beta"]


def test_tag_changes_reindex_the_article():
    article = ArticleFactory(title="Untagged")
    article.tags.add("生成对抗网络")
    assert found("对抗") == ["Untagged"]
    article.tags.set(["quokka"])
    assert found("对抗") == []
    assert found("quokka") == ["Untagged"]
    article.tags.remove("quokka")
    assert found("quokka") == []
    article.tags.add("wombat")
    article.tags.clear()
    assert found("wombat") == []


def test_renaming_a_category_reindexes_its_articles():
    category = CategoryFactory(name="Numerics")
    ArticleFactory(title="Filed", category=category)
    category.name = "数值分析"
    category.save()
    assert found("numerics") == []
    assert found("数值分析") == ["Filed"]


def test_renaming_or_deleting_a_tag_reindexes_its_articles():
    ArticleFactory(title="Tagged", tags=["platypus"])
    tag = Tag.objects.get(name="platypus")
    tag.name = "echidna"
    tag.save()
    assert found("platypus") == []
    assert found("echidna") == ["Tagged"]
    tag.delete()
    assert found("echidna") == []


def test_rebuild_command_restores_vectors(client, capsys):
    ArticleFactory(title="Rebuilt kernel")
    SearchEntry.objects.all().delete()
    Article.objects.update(search_text="")
    assert found("kernel") == []
    assert "0 articles found" in client.get(SEARCH_URL, {"q": "kernel"}).text
    call_command("rebuild_search_index")
    assert found("kernel") == ["Rebuilt kernel"]
    assert "Indexed 1 articles" in capsys.readouterr().out
    # Pages and counts cached before the rebuild are not read again.
    assert "1 article found" in client.get(SEARCH_URL, {"q": "kernel"}).text


# Snippets --------------------------------------------------------------------


def test_snippet_escapes_everything_but_its_own_marks(client):
    ArticleFactory(
        title="Hostile",
        summary='Kernel <script>alert("x")</script> <img src=x onerror=alert(1)>',
        body="Kernel &lt;script&gt;alert(2)&lt;/script&gt; and a stray \ue000 marker \ue001.",
    )
    article = search_articles(Article.objects.published(), "kernel").get()
    snippet = snippet_html(article.headline)
    assert "<mark>Kernel</mark>" in snippet
    without_marks = snippet.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in without_marks
    # ts_headline drops what its parser takes for tags; the rest shows as text.
    assert "<script" not in snippet
    assert "&lt;img src=x onerror=alert(1)&gt;" in snippet
    response = client.get(SEARCH_URL, {"q": "kernel"})
    assert "<script>alert" not in response.text
    assert "<img src=x" not in response.text


def test_snippet_markers_in_the_text_cannot_open_a_mark():
    assert snippet_html(f"a {MARK_START}b{MARK_STOP} c") == "a <mark>b</mark> c"
    assert snippet_html(f"<b>{MARK_START}") == "&lt;b&gt;"


def test_chinese_snippet_reads_without_inserted_spaces(client):
    ArticleFactory(title="批量", body="批量规范化可持续加速深层网络的收敛速度。")
    response = client.get(SEARCH_URL, {"q": "收敛"})
    assert "持续加速深层网络的<mark>收敛</mark>速度" in response.text
    assert "\x1f" not in response.text


# The search page -------------------------------------------------------------


def test_empty_query_shows_an_empty_search_page(client):
    ArticleFactory(title="Kernel")
    response = client.get(SEARCH_URL)
    assert response.status_code == 200
    assert list(response.context["articles"]) == []
    assert 'name="q"' in response.text


def test_results_show_count_title_link_date_and_prefilled_box(client):
    article = ArticleFactory(title="Kernel methods")
    response = client.get(SEARCH_URL, {"q": 'kernel "><b>'})
    assert response.status_code == 200
    assert article.get_absolute_url() in response.text
    assert "1 article found" in response.text
    assert 'value="kernel &quot;&gt;&lt;b&gt;"' in response.text
    assert article.published_at.date().isoformat() in response.text


def test_results_paginate_by_ten_keeping_the_query(client):
    for day in range(12):
        ArticleFactory(title=f"Kernel {day}", published_at=days_ago(day + 1))
    first = client.get(SEARCH_URL, {"q": "kernel"})
    assert len(first.context["articles"]) == 10
    assert "12 articles found" in first.text
    assert "?q=kernel&amp;page=2" in first.text
    second = client.get(SEARCH_URL, {"q": "kernel", "page": "2"})
    assert [a.title for a in second.context["articles"]] == ["Kernel 10", "Kernel 11"]
    for page in ("3", "0", "x", "-1", "1.5", "²"):
        assert client.get(SEARCH_URL, {"q": "kernel", "page": page}).status_code == 404


def test_search_page_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for day in range(10):
        ArticleFactory(title=f"Kernel {day}", tags=["a", "b"], category=CategoryFactory())
    # The content token that keys the page cache; the count (between two
    # set_config calls, in a savepoint); the title tier's ids, which fill the
    # page; the page's rows.
    with django_assert_max_num_queries(8):
        client.get(SEARCH_URL, {"q": "kernel"})


def test_paged_results_follow_the_queryset_order_across_tiers():
    for day in range(7):
        ArticleFactory(title=f"Body {day}", body="Kernel.", published_at=days_ago(day))
        ArticleFactory(title=f"Kernel {day}", published_at=days_ago(day + 20))
        ArticleFactory(title=f"Tag {day}", tags=["kernel"], published_at=days_ago(day + 40))
    expected = [a.title for a in search_articles(Article.objects.published(), "kernel")]
    results = SearchResults("kernel")
    assert results.count() == 21
    for start, stop in [(0, 10), (10, 20), (20, 30), (5, 16), (13, 21)]:
        assert [a.title for a in results[start:stop]] == expected[start:stop]
    assert expected[:7] == [f"Kernel {day}" for day in range(7)]
    assert expected[14:] == [f"Body {day}" for day in range(7)]


def test_excluded_words_rule_out_title_and_tag_matches_too(client):
    ArticleFactory(title="Kernel with a catch", body="Mentions frobnication.")
    ArticleFactory(title="Kernel", body="Nothing else.")
    response = client.get(SEARCH_URL, {"q": "kernel -frobnication"})
    assert [a.title for a in response.context["articles"]] == ["Kernel"]
    assert "1 article found" in response.text

"""Search the 40 real articles of the shared corpus the way readers would."""

import pytest
from django.db import connection, transaction
from taggit.models import Tag

from articles.models import Article, Category
from articles.search.query import search_articles
from tests.corpus import dev_articles
from tests.factories import ArticleFactory, UserFactory

# Marking every test makes pytest-django set up the test database before the
# module fixture below writes to it (and wraps each test in a transaction).
pytestmark = pytest.mark.django_db

# (query, title expected among the first three results)
QUERIES = [
    ("注意力评分函数", "注意力评分函数"),
    ("缩放点积注意力", "注意力评分函数"),
    ("多头注意力", "多头注意力"),
    ("位置编码", "自注意力和位置编码"),
    ("锚框", "锚框"),
    ("非极大值抑制", "锚框"),
    ("批量规范化", "批量规范化"),
    ("随机梯度下降", "随机梯度下降"),
    ("动量法", "动量法"),
    ("凸函数", "凸性"),
    ("贝叶斯定理", "概率"),
    ("束搜索", "束搜索"),
    ("长短期记忆", "长短期记忆网络（LSTM）"),
    ("LSTM", "长短期记忆网络（LSTM）"),
    ("word2vec", "词嵌入（word2vec）"),
    ("子词嵌入", "子词嵌入"),
    ("暂退法", "暂退法（Dropout）"),
    ("dropout", "暂退法（Dropout）"),
    ("权重衰减", "权重衰减"),
    ("残差网络", "残差网络（ResNet）"),
    ("风格迁移", "风格迁移"),
    ("反向传播", "前向传播、反向传播和计算图"),
    ("softmax回归", "softmax回归"),
    ("Adam", "Adam算法"),
    ("Transformer 注意力", "Transformer"),
    ("transformers vision", "Transformers for Vision"),
    ('"vision transformer"', "Transformers for Vision"),
    ("KL divergence", "Information Theory"),
    ("naive Bayes", "Naive Bayes"),
    ("Gaussian processes", "Introduction to Gaussian Processes"),
    ("generative adversarial", "Generative Adversarial Networks"),
    ("hyperparameter optimization", "What Is Hyperparameter Optimization?"),
    ("recommender", "Matrix Factorization"),
    ("Q-learning", "Q-Learning"),
    ("DenseNet OR 稠密连接", "稠密连接网络（DenseNet）"),
    ("BERT -微调", "Large-Scale Pretraining with Transformers"),
]


def _language(meta):
    return "zh-hans" if str(meta.get("lang", "")).lower().startswith("zh") else "en"


@pytest.fixture(scope="module")
def corpus_titles(django_db_setup, django_db_blocker):
    """Import the dev corpus once for this module, then remove every row it made."""
    entries = dev_articles()
    # The rows outlive any test transaction, so never write them anywhere else.
    assert connection.settings_dict["NAME"].startswith("test_")
    with django_db_blocker.unblock(), transaction.atomic():
        author = UserFactory(username="corpus-author")
        articles = []
        for _path, meta, body in entries:
            names = meta.get("categories") or []
            category = Category.objects.get_or_create(name=names[0])[0] if names else None
            articles.append(
                ArticleFactory(
                    title=meta["title"],
                    body=body,
                    author=author,
                    category=category,
                    language=_language(meta),
                    published_at=meta["date"],
                    tags=[str(tag) for tag in meta.get("tags") or []],
                )
            )
    yield {article.title for article in articles}
    with django_db_blocker.unblock():
        Article.objects.filter(pk__in=[a.pk for a in articles]).delete()
        Category.objects.filter(articles__isnull=True).delete()
        Tag.objects.filter(articles_taggedarticle_items__isnull=True).delete()
        author.delete()


def titles(query, limit=3):
    return list(
        search_articles(Article.objects.published(), query).values_list("title", flat=True)[:limit]
    )


def test_every_corpus_article_is_imported_and_indexed(corpus_titles):
    assert len(corpus_titles) == 40
    assert not Article.objects.filter(title__in=corpus_titles, search_entry__isnull=True).exists()


@pytest.mark.parametrize(("query", "expected"), QUERIES, ids=[q for q, _ in QUERIES])
def test_query_finds_the_article_in_the_top_three(corpus_titles, query, expected):
    assert expected in corpus_titles
    assert expected in titles(query)


def test_chinese_sub_word_finds_longer_title_words(corpus_titles):
    # 注意力 appears inside 注意力机制, 注意力评分函数, 多头注意力...: all title matches come first.
    top = titles("注意力", limit=5)
    assert len(top) == 5
    assert all("注意力" in title for title in top)


def test_two_character_words_match(corpus_titles):
    assert "随机梯度下降" in titles("梯度", limit=40)
    assert len(titles("模型", limit=40)) >= 10


def test_code_and_math_stay_out_of_the_index(corpus_titles):
    # `d2l.plt` and `torch.nn` occur only inside code blocks; \mathbf only inside math.
    assert titles("d2l.plt") == []
    assert titles("nn.Sequential") == []
    assert titles("mathbf") == []


def test_excluded_word_removes_articles(corpus_titles):
    finetuning = "针对序列级和词元级应用微调BERT"
    assert finetuning in titles("BERT", limit=40)
    assert finetuning not in titles("BERT -微调", limit=40)


def test_or_accepts_either_word(corpus_titles):
    either = set(titles("锚框 OR 束搜索", limit=40))
    assert {"锚框", "束搜索"} <= either
    assert titles("锚框 束搜索", limit=40) == []

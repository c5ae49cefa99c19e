"""Measure Chinese + English full-text search at scale, in a database of its own.

Run: .venv/bin/python bench/search_bench.py
Environment: BENCH_ARTICLES (default 100000), BENCH_RUNS (queries per kind, default
200), BENCH_DATABASE (default inkstone_bench; dropped and recreated on the server of
DATABASE_URL, or on the embedded server when DATABASE_URL is unset), BENCH_REUSE=1
(keep the data built by the previous run, migrated if need be, and only measure
queries and saves). Each query kind records the whole request and, apart, the
exact count; later pages of the most common words are timed with their count
known, as the view caches it. Writes bench/results/search.json. Never touches
the development database.
"""

import html
import json
import os
import platform
import random
import re
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_config.settings")
os.environ.setdefault("DEBUG", "true")

ARTICLES = int(os.environ.get("BENCH_ARTICLES", "100000"))
RUNS = int(os.environ.get("BENCH_RUNS", "200"))
REUSE = os.environ.get("BENCH_REUSE") == "1"
BENCH_DB = os.environ.get("BENCH_DATABASE", "inkstone_bench")
RESULTS = REPO / "bench" / "results" / "search.json"
SEED = 20261122

import django  # noqa: E402
from django.conf import settings  # noqa: E402

django.setup()
# Point Django at the benchmark database before anything opens a connection.
DEV_DB = settings.DATABASES["default"]["NAME"]
if BENCH_DB == DEV_DB:
    sys.exit(f"BENCH_DATABASE must differ from the development database {DEV_DB!r}")
settings.DATABASES["default"]["NAME"] = BENCH_DB

import psycopg  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.paginator import Paginator  # noqa: E402
from django.db import connection  # noqa: E402
from taggit.models import Tag  # noqa: E402

from articles.models import Article, Category, SearchEntry, TaggedArticle  # noqa: E402
from articles.search.index import index_article, reindex_articles  # noqa: E402
from articles.search.results import SearchResults  # noqa: E402
from articles.search.snippets import snippet_html  # noqa: E402
from bench.corpus import corpus_dir, split_front_matter  # noqa: E402


def split_words(text):
    return text.split()


# Technical vocabulary; documents draw words with Zipf-like frequencies.
ZH_WORDS = split_words(
    """
模型 训练 数据 网络 梯度 参数 学习 函数 损失 优化 注意力 机制 神经 卷积 层 输入
输出 向量 矩阵 权重 偏置 激活 正则化 批量 规范化 序列 编码器 解码器 预测 分类 回归
样本 特征 维度 概率 分布 期望 方差 随机 下降 动量 学习率 迭代 收敛 误差 反向传播
前向 计算 内存 显卡 并行 分布式 数据集 标签 词元 嵌入 位置 查询 键 值 多头 残差
连接 归一化 丢弃法 过拟合 欠拟合 泛化 验证 测试 超参数 搜索 采样 图像 目标 检测
分割 锚框 边界框 风格 迁移 微调 预训练 语言 文本 句子 词表 翻译 生成 对抗 判别器
生成器 强化 奖励 策略 状态 动作 环境 推荐 矩阵分解 高斯 过程 核函数 贝叶斯 信息 熵
交叉熵 散度 凸函数 二阶 导数 链式法则 张量 广播 索引 切片 自动 微分 线性 非线性
感知机 隐藏 单元 循环 门控 长短期 记忆 双向 深层 稠密 块 通道 池化 填充 步幅 视觉
像素 分辨率 硬件 缓存
"""
)
ZH_GLUE = split_words(
    """
的 是 在 和 我们 可以 通过 使用 这个 一个 进行 对于 因此 如果 那么 其中 以及
由于
"""
)
EN_WORDS = split_words(
    """
model training data network gradient parameter learning function loss optimization attention
mechanism neural convolution layer input output vector matrix weight bias activation
regularization batch normalization sequence encoder decoder prediction classification
regression sample feature dimension probability distribution expectation variance random
descent momentum rate iteration convergence error backpropagation forward computation memory
GPU parallel distributed dataset label token embedding position query key value head residual
connection dropout overfitting generalization validation test hyperparameter search sampling
image object detection segmentation anchor box style transfer finetuning pretraining language
text sentence vocabulary translation generation adversarial discriminator generator
reinforcement reward policy state action environment recommendation factorization gaussian
process kernel bayesian information entropy divergence convex derivative chain tensor
broadcasting autograd linear perceptron hidden unit recurrent gated memory bidirectional dense
block channel pooling padding stride vision pixel resolution hardware cache transformer
transformers
"""
)
ZH_WORDS, EN_WORDS = list(dict.fromkeys(ZH_WORDS)), list(dict.fromkeys(EN_WORDS))
EN_GLUE = split_words(
    """
the a of to and in is we can that this for with by as on are it from
"""
)
CODE_BLOCK = (
    '<div class="highlight"><pre><span class="k">import</span> torch\n'
    "x = torch.randn(64, 128)\nloss = model(x).sum()\nloss.backward()\n</pre></div>"
)
MATH = '<math display="block"><mrow><mi>y</mi><mo>=</mo><mi>W</mi><mi>x</mi></mrow></math>'


CODE_FENCE = re.compile(r"```.*?```", re.DOTALL)
MATH_SPAN = re.compile(r"\$\$.*?\$\$|\$[^$\n]*\$", re.DOTALL)
ROLE = re.compile(r":[a-z_]+:`[^`]*`")


def zipf_weights(n):
    return [1 / (rank + 1) for rank in range(n)]


class Generator:
    """Make bilingual articles from a seeded random source.

    With the shared corpus present, bodies are shuffled real paragraphs of its
    40 articles (math and code stripped) and queries are words from its titles
    and tags, so document frequencies look like a real technical blog's.
    Without it, text is drawn from the small built-in vocabulary.
    """

    def __init__(self):
        self.random = random.Random(SEED)
        self.zh_weights = zipf_weights(len(ZH_WORDS))
        self.en_weights = zipf_weights(len(EN_WORDS))
        self.paragraphs = {"zh": [], "en": []}
        self.topics = {"zh": [], "en": []}
        self.titles = {"zh": [], "en": []}
        self.query_words = {"zh": [], "en": []}
        self.load_corpus()
        self.source = "corpus" if self.paragraphs["zh"] and self.paragraphs["en"] else "vocabulary"
        if self.source == "vocabulary":
            self.query_words = {"zh": ZH_WORDS, "en": EN_WORDS}

    def load_corpus(self):
        import rjieba

        directory = corpus_dir() / "dev"
        if not directory.is_dir():
            return
        for path in sorted(directory.glob("*.md")):
            meta, body = split_front_matter(path.read_text(encoding="utf-8"))
            lang = "zh" if str(meta.get("lang", "")).startswith("zh") else "en"
            body = MATH_SPAN.sub(" ", CODE_FENCE.sub(" ", body))
            topic = []
            for block in body.split("\n\n"):
                text = " ".join(ROLE.sub(" ", block).split())
                if len(text) > 40 and not text.startswith(("#", "|", "!", ":", "<")):
                    topic.append(text)
            if topic:
                self.topics[lang].append(topic)
                self.paragraphs[lang] += topic
            title = str(meta.get("title", "")).strip()
            self.titles[lang].append(title)
            words = [str(tag) for tag in meta.get("tags") or []]
            words += rjieba.cut(title) if lang == "zh" else title.split()
            self.query_words[lang] += [
                w for w in words if len(w) >= (2 if lang == "zh" else 4) and w.isalnum()
            ]
        for lang, words in self.query_words.items():
            self.query_words[lang] = sorted(set(words))

    def query(self, lang, count):
        return " ".join(self.random.sample(self.query_words[lang], count))

    def zh_sentence(self):
        words = self.random.choices(ZH_WORDS, self.zh_weights, k=self.random.randint(6, 14))
        glue = self.random.choices(ZH_GLUE, k=len(words))
        parts = [w + g for w, g in zip(words, glue, strict=True)]
        if self.random.random() < 0.3:
            parts.insert(self.random.randrange(len(parts)), " " + self.en_word() + " ")
        return "".join(parts) + "。"

    def en_word(self):
        return self.random.choices(EN_WORDS, self.en_weights)[0]

    def en_sentence(self):
        n = self.random.randint(8, 18)
        words = self.random.choices(EN_WORDS, self.en_weights, k=n)
        glue = self.random.choices(EN_GLUE, k=n)
        text = " ".join(f"{g} {w}" for g, w in zip(glue, words, strict=True))
        return text.capitalize() + "."

    def paragraph(self, lang, topic=None):
        if self.source == "corpus":
            # Most paragraphs come from the article's topic, as in a real blog
            # where a word like 锚框 clusters in a few articles.
            if topic and self.random.random() < 0.8:
                return self.random.choice(topic)
            return self.random.choice(self.paragraphs[lang])
        sentence = self.zh_sentence if lang == "zh" else self.en_sentence
        return "".join(sentence() for _ in range(self.random.randint(2, 5)))

    def title(self, lang):
        if self.source == "corpus":
            base = self.random.choice(self.titles[lang])
            return f"{base} {self.random.choice(self.query_words[lang])}"
        if lang == "zh":
            return "".join(self.random.choices(ZH_WORDS, self.zh_weights, k=3))
        return " ".join(self.random.choices(EN_WORDS, self.en_weights, k=4)).title()

    def article(self, lang):
        topic = self.random.choice(self.topics[lang]) if self.source == "corpus" else None
        paragraphs = [self.paragraph(lang, topic) for _ in range(self.random.randint(6, 14))]
        paragraphs.insert(3, None)  # a code block, which must stay out of the index
        html_parts, markdown = [], []
        for text in paragraphs:
            if text is None:
                html_parts.append(CODE_BLOCK)
                markdown.append("```python\nimport torch\n```")
            else:
                html_parts.append(f"<p>{html.escape(text)}</p>")
                markdown.append(text)
        html_parts.append(MATH)
        summary = self.paragraph(lang)[:300]
        return self.title(lang), "\n\n".join(markdown), "\n".join(html_parts), summary


def recreate_database():
    params = connection.get_connection_params()
    params["dbname"] = "postgres"
    with psycopg.connect(**params, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}"')
        conn.execute(f'CREATE DATABASE "{BENCH_DB}"')


def timed(fn, *args, **kwargs):
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - started


def populate(generator):
    """Bulk-insert articles, categories and tags without computing vectors."""
    from django.contrib.auth import get_user_model

    author = get_user_model().objects.create(username="bench")
    categories = Category.objects.bulk_create(
        Category(name=name, slug=f"c{i}") for i, name in enumerate(ZH_WORDS[:15] + EN_WORDS[:10])
    )
    tags = Tag.objects.bulk_create(
        Tag(name=name, slug=f"t{i}") for i, name in enumerate(ZH_WORDS[20:120] + EN_WORDS[20:120])
    )
    now = datetime.now(UTC)
    batch, tag_rows = [], []
    for i in range(ARTICLES):
        lang = "zh" if generator.random.random() < 0.7 else "en"
        title, body, body_html, summary = generator.article(lang)
        batch.append(
            Article(
                title=title,
                slug=f"a{i}",
                author=author,
                category=generator.random.choice(categories),
                summary=summary if generator.random.random() < 0.3 else "",
                body=body,
                body_html=body_html,
                preview=summary[:200],
                language="zh-hans" if lang == "zh" else "en",
                status=Article.Status.PUBLISHED,
                published_at=now - timedelta(minutes=i),
            )
        )
        if len(batch) == 2000 or i == ARTICLES - 1:
            for article in Article.objects.bulk_create(batch):
                for tag in generator.random.sample(tags, 3):
                    tag_rows.append(TaggedArticle(content_object=article, tag=tag))
            TaggedArticle.objects.bulk_create(tag_rows)
            batch, tag_rows = [], []


# What the sizes in the results measure.
SIZES = {
    "article_heap": "pg_relation_size('articles_article')",
    "article_with_toast": "pg_total_relation_size('articles_article')",
    "search_entry_heap": "pg_relation_size('articles_searchentry')",
    "search_entry_with_toast_and_indexes": "pg_total_relation_size('articles_searchentry')",
    "vector_gin_index": "pg_relation_size('search_entry_vector_idx')",
}


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def run_query(query, page_number=1, total=None):
    """Do what the search view does: count, fetch a page, make the snippets.

    Return the count and how long counting took, in milliseconds. Given `total`,
    the count is known, as for a later page once the view has cached it.
    """
    paginator = Paginator(SearchResults(query, total=total), 10)
    count, count_s = timed(lambda: paginator.count)
    page = paginator.page(page_number) if count else []
    snippets = [snippet_html(article.headline) for article in page]
    assert len(snippets) == min(10, count - (page_number - 1) * 10), (query, page_number)
    return count, count_s * 1000


def measure_queries(generator):
    kinds = {
        "zh_1_word": lambda: generator.query("zh", 1),
        "zh_2_words": lambda: generator.query("zh", 2),
        "en_1_word": lambda: generator.query("en", 1),
        "en_2_words": lambda: generator.query("en", 2),
        "mixed_2_words": lambda: f"{generator.query('en', 1)} {generator.query('zh', 1)}",
        # The most frequent words match most articles: the slowest case there is.
        "zh_most_common_word": lambda: ZH_WORDS[0],
        "en_most_common_word": lambda: EN_WORDS[0],
    }
    results = {}
    for kind, make in kinds.items():
        for _ in range(5):
            run_query(make())  # warm caches
        latencies, count_latencies, hits = [], [], []
        for _ in range(RUNS):
            (count, count_ms), seconds = timed(run_query, make())
            latencies.append(seconds * 1000)
            count_latencies.append(count_ms)
            hits.append(count)
        results[kind] = {
            "runs": RUNS,
            "p50_ms": round(statistics.median(latencies), 2),
            "p99_ms": round(percentile(latencies, 0.99), 2),
            "mean_ms": round(statistics.fmean(latencies), 2),
            "count_p50_ms": round(statistics.median(count_latencies), 2),
            "count_p99_ms": round(percentile(count_latencies, 0.99), 2),
            "median_hits": int(statistics.median(hits)),
            "max_hits": max(hits),
        }
        print(f"{kind:22} {results[kind]}", flush=True)
    return results


def measure_deep_pages(runs=50):
    """Time later pages of the most common words, their count known (cached by the view)."""
    results = {}
    for word in (ZH_WORDS[0], EN_WORDS[0]):
        total = SearchResults(word).count()
        last = (total - 1) // 10 + 1
        for name, number in (("page_21", 21), ("middle_page", last // 2), ("last_page", last)):
            for _ in range(3):
                run_query(word, number, total)  # warm caches
            latencies = [timed(run_query, word, number, total)[1] * 1000 for _ in range(runs)]
            results[f"{word} {name}"] = {
                "page": number,
                "hits": total,
                "runs": runs,
                "p50_ms": round(statistics.median(latencies), 2),
                "p99_ms": round(percentile(latencies, 0.99), 2),
            }
            print(f"{word} {name:12} {results[f'{word} {name}']}", flush=True)
    return results


def measure_saves(generator, count=50):
    """Time a full article save and, separately, the vector update inside it."""
    ids = generator.random.sample(list(Article.objects.values_list("pk", flat=True)), count)
    save_ms, index_ms = [], []
    for pk in ids:
        article = Article.objects.get(pk=pk)
        article.title += " 更新"
        _, seconds = timed(article.save)
        save_ms.append(seconds * 1000)
        _, seconds = timed(index_article, article)
        index_ms.append(seconds * 1000)
    return {
        "saves": count,
        "save_p50_ms": round(statistics.median(save_ms), 2),
        "index_update_p50_ms": round(statistics.median(index_ms), 2),
        "index_update_p99_ms": round(percentile(index_ms, 0.99), 2),
    }


def build(generator):
    """Create the data set and its index; return the build figures."""
    recreate_database()
    call_command("migrate", verbosity=0)
    print(f"Generating {ARTICLES:,} articles from {generator.source} in {BENCH_DB}...", flush=True)
    _, populate_s = timed(populate, generator)
    print(f"  inserted in {populate_s:.1f} s", flush=True)
    # The search entries' indexes are built once at the end, as after a restore.
    indexes = SearchEntry._meta.indexes
    with connection.schema_editor() as editor:
        for index in indexes:
            editor.remove_index(SearchEntry, index)
    print("Building vectors...", flush=True)
    _, vectors_s = timed(reindex_articles, Article.objects.all(), batch_size=1000)
    print(f"  {vectors_s:.1f} s ({ARTICLES / vectors_s:,.0f} articles/s)", flush=True)
    index_s = {}
    with connection.schema_editor() as editor:
        for index in indexes:
            _, index_s[index.name] = timed(editor.add_index, SearchEntry, index)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE articles_article")
        cursor.execute("VACUUM ANALYZE articles_searchentry")
    print(f"  indexes built in {sum(index_s.values()):.1f} s", flush=True)
    return {
        "populate_s": round(populate_s, 1),
        "vector_build_s": round(vectors_s, 1),
        "vector_build_articles_per_s": round(ARTICLES / vectors_s),
        "index_build_s": {name: round(seconds, 2) for name, seconds in index_s.items()},
    }


def main():
    generator = Generator()
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    if REUSE and previous.get("articles") == ARTICLES and previous.get("build"):
        build_figures = previous["build"]
        generator.random.seed(SEED + 1)
        # Data built by an older schema: bring it up to date (a no-op when it is).
        call_command("migrate", verbosity=0)
    else:
        build_figures = build(generator)
    sizes = {}
    with connection.cursor() as cursor:
        for name, expression in SIZES.items():
            cursor.execute(f"SELECT pg_size_pretty({expression})")
            sizes[name] = cursor.fetchone()[0]
        cursor.execute("SELECT version()")
        server = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM articles_article")
        if cursor.fetchone()[0] != ARTICLES:
            sys.exit(f"{BENCH_DB} does not hold {ARTICLES:,} articles; run without BENCH_REUSE")

    queries = measure_queries(generator)
    deep_pages = measure_deep_pages()
    saves = measure_saves(generator)
    print(f"saves {saves}", flush=True)

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    results = {
        "articles": ARTICLES,
        "text_source": generator.source,
        "database": BENCH_DB,
        "server": server,
        "python": platform.python_version(),
        "cpu_count": os.cpu_count(),
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "build": build_figures,
        "sizes": sizes,
        "queries": queries,
        "deep_pages": deep_pages,
        "updates": saves,
    }
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(f"Wrote {RESULTS.relative_to(REPO)}")


if __name__ == "__main__":
    main()

"""Measure search quality on the dev corpus: hit@3 for short Chinese strings from paragraphs.

Run: DATABASE_URL=postgres://… .venv/bin/python bench/search_hits.py [--list]

Queries are 2–4 character Han strings cut at random places from the corpus
articles' paragraphs (not from code, math or headings), kept only when at most
three articles contain them, so the article they came from can be in the top
three. Random cuts are what readers type when they remember a phrase; many of
them cross the segmenter's word boundaries (任何工, 友自己). A hit is the source
article among the first three results of SearchResults, the view's code path.
The database (BENCH_DATABASE, default inkstone_search_hits) is dropped and
recreated on the server of DATABASE_URL; never the development database.
"""

import os
import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_config.settings")
os.environ.setdefault("DEBUG", "true")

BENCH_DB = os.environ.get("BENCH_DATABASE", "inkstone_search_hits")
QUERIES_PER_ARTICLE = 12
SEED = 17

import django  # noqa: E402
import regex  # noqa: E402
from django.conf import settings  # noqa: E402

django.setup()
if settings.DATABASES["default"]["NAME"] == BENCH_DB:
    sys.exit(f"BENCH_DATABASE must differ from the development database {BENCH_DB!r}")
settings.DATABASES["default"]["NAME"] = BENCH_DB

import psycopg  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from articles.models import Article  # noqa: E402
from articles.search.results import SearchResults  # noqa: E402
from bench.corpus import corpus_dir, split_front_matter  # noqa: E402

_HAN_RUN = regex.compile(r"\p{Han}{2,}")
_FENCE = regex.compile(r"^(```|~~~).*?^\1", regex.MULTILINE | regex.DOTALL)
_MATH = regex.compile(r"\$\$.*?\$\$|\$[^$\n]*\$", regex.DOTALL)


def read_corpus():
    """Return [(title, language, body)] for the dev articles."""
    articles = []
    for path in sorted((corpus_dir() / "dev").glob("*.md")):
        meta, body = split_front_matter(path.read_text(encoding="utf-8"))
        language = "zh-hans" if str(meta.get("lang", "")).startswith("zh") else "en"
        articles.append((meta["title"], language, body))
    return articles


def paragraphs(body):
    """Return the prose paragraphs of a Markdown body: no code, math or headings."""
    text = _MATH.sub(" ", _FENCE.sub(" ", body))
    blocks = (block.strip() for block in text.split("\n\n"))
    return [block for block in blocks if block and not block.startswith(("#", "|", ":", "!"))]


def build_queries(articles, rng):
    """Return [(query, title)]: random 2–4 character Han strings found in at most 3 articles."""
    prose = {title: "\n".join(paragraphs(body)) for title, _language, body in articles}
    queries = []
    for title, language, _body in articles:
        if language != "zh-hans":
            continue
        runs = [run for run in _HAN_RUN.findall(prose[title])]
        chosen, attempts = set(), 0
        while runs and len(chosen) < QUERIES_PER_ARTICLE and attempts < 2000:
            attempts += 1
            run = rng.choice(runs)
            size = rng.randint(2, 4)
            if len(run) < size:
                continue
            start = rng.randrange(len(run) - size + 1)
            query = run[start : start + size]
            holders = sum(query in text for text in prose.values())
            if query not in chosen and holders <= 3:
                chosen.add(query)
                queries.append((query, title))
    return queries


def recreate_database():
    params = connection.get_connection_params()
    params["dbname"] = "postgres"
    with psycopg.connect(**params, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}"')
        conn.execute(f'CREATE DATABASE "{BENCH_DB}"')


def load(articles):
    author = get_user_model().objects.create_user("hits-author")
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for number, (title, language, body) in enumerate(articles):
        Article.objects.create(
            title=title,
            body=body,
            language=language,
            author=author,
            status=Article.Status.PUBLISHED,
            published_at=start + timedelta(days=number),
        )


def top_titles(query, limit=3):
    results = SearchResults(query)
    return [article.title for article in results[0:limit]]


def main():
    articles = read_corpus()
    queries = build_queries(articles, random.Random(SEED))
    recreate_database()
    call_command("migrate", verbosity=0)
    load(articles)
    hits = found = 0
    misses = []
    for query, title in queries:
        top = top_titles(query)
        found += bool(top)
        if title in top:
            hits += 1
        else:
            misses.append((query, title, top))
    total = len(queries)
    print(f"queries: {total} (2–4 Han characters from paragraphs, in at most 3 articles)")
    print(f"hit@3: {hits}/{total} = {100 * hits / total:.1f}%")
    print(f"any result: {found}/{total} = {100 * found / total:.1f}%")
    if "--list" in sys.argv:
        for query, title, top in misses:
            print(f"  miss {query!r} from {title!r}: {top}")
    connection.close()


if __name__ == "__main__":
    main()

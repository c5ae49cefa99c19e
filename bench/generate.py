"""Fill the benchmark database with N realistic articles, fast.

The demo articles (math, code, tables, Chinese and English) are rendered once
through articles.rendering.pipeline; every generated article reuses one of those
renderings with its own title, slug, summary, author, category, tags and a date
spread over the last five years. Rows go in with bulk inserts, so no per-article
rendering or signal runs; the content generation is bumped once at the end.

Run: DJANGO_SETTINGS_MODULE=bench.settings python -m bench.generate 10000
"""

import argparse
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

import psycopg

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "articles" / "demo" / "articles"
BATCH = 1000
YEARS = 5
SUBJECTS = [
    "caches",
    "indexes",
    "gradients",
    "ownership",
    "Unicode",
    "queues",
    "eigenvalues",
    "parsers",
    "backpressure",
    "sampling",
    "类型系统",
    "并发",
    "数值稳定性",
    "全文检索",
]


def ensure_database(settings_db, *, fresh):
    """Create the benchmark database (dropping it first when fresh) on the configured server."""
    params = {
        "dbname": "postgres",
        "user": settings_db.get("USER") or "postgres",
        "host": settings_db.get("HOST") or None,
        "port": settings_db.get("PORT") or None,
        "password": settings_db.get("PASSWORD") or None,
        "autocommit": True,
    }
    name = settings_db["NAME"]
    if not name.startswith("inkstone_bench"):
        raise SystemExit(
            f"Refusing to touch {name!r}: benchmark databases start with inkstone_bench."
        )
    with psycopg.connect(**{k: v for k, v in params.items() if v is not None}) as conn:
        if fresh:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def load_templates():
    """Render each demo article once; return what an Article row needs from it."""
    from articles.portability.frontmatter import read_markdown
    from articles.rendering.pipeline import render_article

    templates = []
    for path in sorted(DEMO.glob("*.md")):
        document = read_markdown(path.read_bytes())
        language = document.meta.get("language", "en")
        rendering = render_article(document.body, language=language)
        templates.append(
            {
                "title": str(document.meta.get("title", path.stem)),
                "body": document.body,
                "language": language,
                "body_html": rendering.html,
                "toc": rendering.toc,
                "preview": rendering.preview,
                "word_count": rendering.word_count,
                "reading_minutes": rendering.reading_minutes,
            }
        )
    return templates


def make_people_and_taxonomy(rng):
    from django.contrib.auth import get_user_model
    from taggit.models import Tag

    from articles.models import Category

    User = get_user_model()
    users = User.objects.bulk_create(
        User(
            username=f"writer{i}",
            first_name=rng.choice(["Ada", "Lin", "Maya", "Wei", "Omar", "Sofia"]),
            last_name=f"Writer{i}",
            password="!",
            is_staff=True,
        )
        for i in range(12)
    )
    roots = Category.objects.bulk_create(
        Category(name=name, slug=name.lower().replace(" ", "-"), ordering=i)
        for i, name in enumerate(["Mathematics", "Systems", "Languages", "Data", "机器学习"])
    )
    children = Category.objects.bulk_create(
        Category(name=f"{root.name} {j}", slug=f"{root.slug}-{j}", parent=root, ordering=j)
        for root in roots
        for j in range(1, 4)
    )
    tags = Tag.objects.bulk_create(Tag(name=f"topic-{i}", slug=f"topic-{i}") for i in range(300))
    return users, roots + children, tags


def generate(count, *, seed=1):
    """Insert `count` articles with tags; return the number of seconds it took."""
    from django.db import connection, transaction
    from django.utils import timezone

    from articles.caching.token import move_token
    from articles.models import Article, TaggedArticle

    rng = random.Random(seed)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        # Bodies are large: lz4 compresses them several times faster than pglz,
        # and a benchmark load need not wait for each commit to reach the disk.
        cursor.execute("SET default_toast_compression = 'lz4'")
        cursor.execute("SET synchronous_commit = off")
    templates = load_templates()
    users, categories, tags = make_people_and_taxonomy(rng)
    now = timezone.now()
    span = timedelta(days=365 * YEARS).total_seconds()
    # Popular tags are used far more than rare ones, as on real sites.
    tag_weights = [1 / (rank + 1) for rank in range(len(tags))]
    for start in range(0, count, BATCH):
        rows, tag_sets = [], []
        for number in range(start, min(start + BATCH, count)):
            template = templates[number % len(templates)]
            subject = SUBJECTS[number % len(SUBJECTS)]
            roll = rng.random()
            if roll < 0.03:
                status, published_at = Article.Status.DRAFT, None
            elif roll < 0.05:
                status = Article.Status.PUBLISHED
                published_at = now + timedelta(days=rng.uniform(1, 60))
            else:
                status = Article.Status.PUBLISHED
                published_at = now - timedelta(seconds=span * rng.random())
            rows.append(
                Article(
                    title=f"{template['title']} · {subject} #{number}",
                    slug=f"bench-{number}",
                    author=rng.choice(users),
                    category=rng.choice(categories) if rng.random() < 0.9 else None,
                    summary="" if number % 3 else f"Notes on {subject}, part {number}.",
                    body=template["body"],
                    language=template["language"],
                    status=status,
                    published_at=published_at,
                    content_updated_at=published_at or now,
                    body_html=template["body_html"],
                    toc=template["toc"],
                    preview=template["preview"],
                    word_count=template["word_count"],
                    reading_minutes=template["reading_minutes"],
                )
            )
            tag_sets.append(set(rng.choices(tags, weights=tag_weights, k=rng.randint(1, 5))))
        with transaction.atomic():
            created = Article.objects.bulk_create(rows)
            TaggedArticle.objects.bulk_create(
                TaggedArticle(content_object=article, tag=tag)
                for article, chosen in zip(created, tag_sets, strict=True)
                for tag in chosen
            )
    move_token()
    elapsed = time.perf_counter() - started
    with connection.cursor() as cursor:
        # Fresh statistics and visibility map: the planner picks index-only scans.
        cursor.execute("VACUUM ANALYZE")
    return elapsed


def prepare(count, *, fresh=False, out=sys.stdout):
    """Make sure the benchmark database holds `count` generated articles; report the rate."""
    from django.conf import settings
    from django.core.management import call_command

    ensure_database(settings.DATABASES["default"], fresh=fresh)
    call_command("migrate", verbosity=0)
    from articles.models import Article

    existing = Article.objects.count()
    if existing == count:
        print(
            f"bench data: {count} articles already in {settings.DATABASES['default']['NAME']}",
            file=out,
        )
        return None
    if existing:
        from django.db import connections

        connections.close_all()
        ensure_database(settings.DATABASES["default"], fresh=True)
        call_command("migrate", verbosity=0)
    elapsed = generate(count)
    rate = count / elapsed
    print(
        f"bench data: generated {count} articles in {elapsed:.1f} s ({rate:,.0f} articles/s)",
        file=out,
    )
    return {"articles": count, "seconds": round(elapsed, 2), "articles_per_second": round(rate)}


def main():
    import django

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    django.setup()
    prepare(args.count, fresh=args.fresh)


if __name__ == "__main__":
    main()

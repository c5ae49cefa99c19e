"""Measure posting a comment, and what spam floods do, in a database of its own.

Run: .venv/bin/python bench/comments_bench.py
Environment: BENCH_POSTS (timed honest posts, default 300), BENCH_DATABASE (default
inkstone_bench_comments; dropped and recreated on the server of DATABASE_URL).
Requests go through the whole middleware stack in-process (Django's test client),
so the times are the server's request path: checks, insert, outbox rows; the
emails themselves leave after the commit on another thread. Writes
bench/results/comments.json. Never touches the development database.
"""

import json
import os
import platform
import statistics
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_config.settings")
os.environ.setdefault("DEBUG", "true")

POSTS = int(os.environ.get("BENCH_POSTS", "300"))
BENCH_DB = os.environ.get("BENCH_DATABASE", "inkstone_bench_comments")
RESULTS = REPO / "bench" / "results" / "comments.json"
FLOOD = 1000

import django  # noqa: E402
from django.conf import settings  # noqa: E402

django.setup()
DEV_DB = settings.DATABASES["default"]["NAME"]
if BENCH_DB == DEV_DB:
    sys.exit(f"BENCH_DATABASE must differ from the development database {DEV_DB!r}")
settings.DATABASES["default"]["NAME"] = BENCH_DB
settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
settings.ALLOWED_HOSTS = ["testserver"]

import psycopg  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from articles.comments import outbox  # noqa: E402
from articles.comments.spam import make_stamp  # noqa: E402
from articles.models import Article, BlockedTerm, Comment, CommentMail  # noqa: E402


def recreate_database():
    options = settings.DATABASES["default"]
    conninfo = dict(
        host=options["HOST"], port=options["PORT"], user=options["USER"], dbname="postgres"
    )
    if options.get("PASSWORD"):
        conninfo["password"] = options["PASSWORD"]
    with psycopg.connect(**conninfo, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{BENCH_DB}"')
    call_command("migrate", verbosity=0)


def post(client, article, *, ip, email, body, stamp=None, honeypot=""):
    data = {
        "name": "Reader",
        "email": email,
        "website": "",
        "body": body,
        "stamp": stamp or make_stamp(article.pk, now=time.time() - 60),
        "homepage": honeypot,
    }
    url = reverse("comments:post", kwargs={"article_pk": article.pk})
    return client.post(url, data, REMOTE_ADDR=ip)


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def timed_posts(article):
    client = Client()
    times, cpu = [], []
    for number in range(POSTS):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = post(
            client,
            article,
            ip=f"10.{number // 250}.{number % 250}.1",
            email=f"reader{number}@example.com",
            body=f"An honest question number {number} about $x^{number % 7}$.",
        )
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        post(client, article, ip="10.255.0.1", email="last@example.com", body="Counted.")
    outbox.join_deliveries(30)
    return {
        "posts": POSTS,
        "queries_per_post": len(queries),
        # Process CPU (this thread and the mail thread): what is left when the database waits.
        "cpu_p50_ms": round(statistics.median(cpu), 2),
        "p50_ms": round(statistics.median(times), 2),
        "p90_ms": round(percentile(times, 0.9), 2),
        "max_ms": round(max(times), 2),
    }


def flood(article, *, addresses, naive=False):
    """POST FLOOD comments spread over `addresses` IPs; return what became of them."""
    Comment.objects.all().delete()
    client = Client()
    answers = Counter()
    started = time.perf_counter()
    for number in range(FLOOD):
        response = post(
            client,
            article,
            ip=f"172.16.{number % addresses // 250}.{number % addresses % 250 + 1}",
            email=f"bot{number}@spam.example",
            body=f"Buy cheap things, offer {number}: https://spam.example/{number}",
            stamp="" if naive else None,
            honeypot="https://spam.example" if naive else "",
        )
        answers[response.status_code] += 1
    elapsed = time.perf_counter() - started
    outbox.join_deliveries(30)
    stored = Counter(Comment.objects.values_list("status", flat=True))
    return {
        "posts": FLOOD,
        "addresses": addresses,
        "answers": dict(sorted(answers.items())),
        "published": stored.get("approved", 0),
        "held_for_moderation": stored.get("pending", 0),
        "filed_as_spam": stored.get("spam", 0),
        "refused": FLOOD - sum(stored.values()),
        "seconds": round(elapsed, 1),
    }


def main():
    recreate_database()
    author = get_user_model().objects.create_user(
        "bench-author", email="author@example.com", is_staff=True
    )
    article = Article.objects.create(
        author=author,
        title="Benchmark article",
        body="Some text with $x^2$.",
        status=Article.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    results = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "settings": {
            name: getattr(settings, name)
            for name in (
                "COMMENTS_RATE_WINDOW",
                "COMMENTS_RATE_PER_IP",
                "COMMENTS_RATE_PER_EMAIL",
                "COMMENTS_MAX_PENDING_PER_ARTICLE",
                "COMMENTS_MAX_LINKS",
                "COMMENTS_SPAM_SCORE",
            )
        },
    }
    settings.COMMENTS_MAX_PENDING_PER_ARTICLE = POSTS + 1  # honest posts are all held
    results["honest_post"] = timed_posts(article)
    results["emails_queued_then_sent"] = CommentMail.objects.count() == 0
    settings.COMMENTS_MAX_PENDING_PER_ARTICLE = 50
    results["flood_one_ip"] = flood(article, addresses=1)
    results["flood_100_ips"] = flood(article, addresses=100)
    results["flood_naive_bot_100_ips"] = flood(article, addresses=100, naive=True)
    settings.COMMENTS_MAX_PENDING_PER_ARTICLE = 0  # no queue cap: the rate limits alone
    results["flood_100_ips_no_queue_cap"] = flood(article, addresses=100)
    BlockedTerm.objects.create(kind=BlockedTerm.Kind.HOST, value="spam.example")
    results["flood_100_ips_blocked_host"] = flood(article, addresses=100)
    results["load_average"] = os.getloadavg()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()

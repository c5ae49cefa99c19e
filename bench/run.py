"""`make bench`: the reader's pages under wrk, against the framework floor and whitenoise.

Environment: BENCH_ARTICLES (10000), BENCH_SECONDS per URL (10), BENCH_CONNECTIONS (16),
BENCH_WORKERS (gunicorn workers, 3), BENCH_MODES ("warm,off"; "bare" too), BENCH_PAGES
(comma-separated page names to run, default all), BENCH_REDIS_URL (redis://127.0.0.1:6379/13;
"off" for the local-memory cache), BENCH_FRESH=1 to regenerate the data, BENCH_DATABASE
(default inkstone_bench_<N>), BENCH_ACCEPT_ENCODING (wrk's, as browsers send it; "" for
none). Results: bench/results/.
"""

import json
import os
import platform
import sys
import time
from datetime import UTC, datetime

from bench.server import (
    DEFAULT_WORKERS,
    RESULTS,
    Gunicorn,
    accept_encoding,
    bench_environment,
    collectstatic,
    env_int,
    require_wrk,
    temporary_static_root,
    wrk,
)

REFERENCES = ("floor", "limit")
FLOOR_SECONDS = 4


def choose_urls():
    """Return {name: path} for the pages to measure, picked from the generated data."""
    from django.conf import settings
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.urls import NoReverseMatch, reverse
    from taggit.models import Tag

    from articles.models import Article, Category

    published = Article.objects.published()
    count = published.count()
    last = max(1, -(-count // settings.ARTICLES_PER_PAGE))
    middle = published.order_by("-published_at", "-pk")[count // 2]
    busiest_tag = Tag.objects.order_by("pk").first()
    urls = {
        "home": reverse("articles:home"),
        "deep page": f"{reverse('articles:home')}?page={max(1, last // 2)}",
        "last page": f"{reverse('articles:home')}?page={last}",
        "article": middle.get_absolute_url(),
        "tag": reverse("articles:tag", kwargs={"slug": busiest_tag.slug}),
        "category": Category.objects.filter(parent=None).first().get_absolute_url(),
        "rss feed": reverse("articles:feed_rss"),
    }
    try:
        urls["search"] = reverse("articles:search") + "?q=cache"
    except NoReverseMatch:
        print("note: no search page on this branch yet; skipping the search URL", file=sys.stderr)
    urls["floor"] = "/bench/floor/"
    urls["limit"] = staticfiles_storage.url("css/site.css")
    return urls


def count_queries(urls):
    """Return SQL queries per page: after a change, page cache off, on a hit, with no cache."""
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from articles.caching.token import move_token

    def queries(client, path):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200, path
        return len(captured.captured_queries)

    counts = {}
    for name, path in urls.items():
        if name in REFERENCES:
            continue
        move_token()  # A change: every cached page and fragment is cold.
        with override_settings(PAGE_CACHE=True):
            cached = Client()
            cold = queries(cached, path)
            hit = queries(cached, path)
        with override_settings(PAGE_CACHE=False):
            off = queries(Client(), path)
        with override_settings(PAGE_CACHE=False, FRAGMENT_CACHE=False):
            bare = queries(Client(), path)
        counts[name] = {"cold": cold, "off": off, "hit": hit, "bare": bare}
    return counts


BYTES_PAGES = ("home", "article", "rss feed")
ENCODINGS = {"identity": "identity", "gzip": "gzip", "br": "br"}


def measure_bytes(urls):
    """Return {page: {encoding: bytes on the wire}} for the pages readers fetch most."""
    from django.test import Client

    sizes = {}
    for name in BYTES_PAGES:
        if name not in urls:
            continue
        sizes[name] = {}
        for label, accept in ENCODINGS.items():
            response = Client().get(urls[name], headers={"accept-encoding": accept})
            assert response.status_code == 200, urls[name]
            sizes[name][label] = len(response.content)
        sizes[name]["ratio_br"] = round(sizes[name]["identity"] / sizes[name]["br"], 1)
    return sizes


# "warm": the page cache on; "off": pages rendered on every request from
# token-keyed fragments and data; "bare": no cache of any kind but the counts.
MODES = {
    "warm": {"PAGE_CACHE": "true", "FRAGMENT_CACHE": "true"},
    "off": {"PAGE_CACHE": "false", "FRAGMENT_CACHE": "true"},
    "bare": {"PAGE_CACHE": "false", "FRAGMENT_CACHE": "false"},
}


def measure(env, urls, *, mode, seconds, connections, workers, log_path):
    """Start gunicorn in one cache mode and run wrk on every URL; return rows and RSS."""
    env = {**env, **MODES[mode]}
    rows = {}
    with Gunicorn(env, workers=workers, log_path=log_path) as server:
        for name, path in urls.items():
            url = server.base_url + path
            # Warm up: every worker fills its connections, caches and templates.
            wrk(url, seconds=1, connections=connections)
            rows[name] = wrk(url, seconds=seconds, connections=connections)
            # The machine may be shared: record how busy it was, and measure the
            # floor right after each page so the ratio compares like with like.
            rows[name]["load_1min"] = round(os.getloadavg()[0], 2)
            if name not in REFERENCES:
                floor = wrk(server.base_url + urls["floor"], seconds=FLOOR_SECONDS,
                            connections=connections)  # fmt: skip
                rows[name]["floor_rps_adjacent"] = floor["rps"]
            print(
                f"  {mode:>4} {name:<10} {rows[name]['rps']:>8.0f} req/s  "
                f"p50 {rows[name]['p50_ms']:6.2f} ms  p99 {rows[name]['p99_ms']:6.2f} ms",
                flush=True,
            )
        rss = server.worker_rss_mb()
    floor = rows["floor"]["rps"]
    for row in rows.values():
        row["ratio_to_floor"] = round(row["rps"] / row.get("floor_rps_adjacent", floor), 3)
    return rows, rss


def table(results):
    lines = ["\nBytes on the wire:\n", "| page | identity | gzip | br | identity / br |"]
    lines.append("| --- | ---: | ---: | ---: | ---: |")
    for name, size in results.get("bytes", {}).items():
        lines.append(
            f"| {name} | {size['identity']:,} | {size['gzip']:,} | {size['br']:,} | "
            f"{size['ratio_br']}× |"
        )
    for mode, data in results["modes"].items():
        lines.append(f"\nPage cache {mode} ({results['articles']} articles):\n")
        lines.append(
            "| page | req/s | p50 ms | p99 ms | × adjacent floor | queries cold/off/hit/bare |"
        )
        lines.append("| --- | ---: | ---: | ---: | ---: | ---: |")
        for name, row in data["pages"].items():
            queries = results["queries"].get(name)
            keys = ("cold", "off", "hit", "bare")
            q = "/".join(str(queries.get(k, "—")) for k in keys) if queries else "—"
            lines.append(
                f"| {name} | {row['rps']:.0f} | {row['p50_ms']:.2f} | {row['p99_ms']:.2f} | "
                f"{row['ratio_to_floor']:.2f} | {q} |"
            )
        lines.append(f"\nWorker RSS after the run: {', '.join(map(str, data['worker_rss_mb']))} MB")
    return "\n".join(lines)


def main():
    require_wrk()
    articles = env_int("BENCH_ARTICLES", 10_000)
    seconds = env_int("BENCH_SECONDS", 10)
    connections = env_int("BENCH_CONNECTIONS", 16)
    workers = env_int("BENCH_WORKERS", DEFAULT_WORKERS)
    modes = [m.strip() for m in os.environ.get("BENCH_MODES", "warm,off").split(",") if m.strip()]
    unknown = set(modes) - set(MODES)
    if unknown:
        known = ", ".join(MODES)
        raise SystemExit(f"BENCH_MODES: unknown {', '.join(sorted(unknown))}; use {known}")
    only = {p.strip() for p in os.environ.get("BENCH_PAGES", "").split(",") if p.strip()}
    static_root = temporary_static_root()
    env = bench_environment(articles, static_root=static_root)
    os.environ.update(env)

    import django

    django.setup()
    from bench.generate import prepare

    generation = prepare(articles, fresh=os.environ.get("BENCH_FRESH") == "1")
    collectstatic(env)
    urls = choose_urls()
    if only:
        urls = {name: path for name, path in urls.items() if name in only or name in REFERENCES}
    queries = count_queries(urls)
    sizes = measure_bytes(urls)
    from django.db import connections as db_connections

    db_connections.close_all()

    RESULTS.mkdir(parents=True, exist_ok=True)
    log_path = RESULTS / f"gunicorn_{articles}.log.tmp"
    results = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}",
        "articles": articles,
        "generation": generation,
        "seconds_per_url": seconds,
        "connections": connections,
        "workers": workers,
        "cache_backend": "redis" if env.get("REDIS_URL") else "locmem",
        "urls": urls,
        "queries": queries,
        "bytes": sizes,
        "accept_encoding": accept_encoding(),
        "modes": {},
    }
    started = time.monotonic()
    for mode in modes:
        rows, rss = measure(
            env,
            urls,
            mode=mode,
            seconds=seconds,
            connections=connections,
            workers=workers,
            log_path=log_path,
        )
        results["modes"][mode] = {"pages": rows, "worker_rss_mb": rss}
    results["wall_seconds"] = round(time.monotonic() - started)
    out = RESULTS / f"bench_{articles}.json"
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    from bench.chart import draw

    chart = draw(results, RESULTS / f"bench_{articles}.png")
    print(table(results))
    print(f"\nResults: {out}\nChart: {chart}")


if __name__ == "__main__":
    main()

"""`make soak`: about twice the measured capacity for 60 s while a writer publishes and edits.

Targets 127.0.0.1 only and stops by itself. Capacity comes from the latest
`make bench` result for the same data (bench/results/bench_<N>.json) or, without
one, from a short wrk run. wrk drives a mix of reader URLs at a fixed rate (its
Lua `delay()` paces each connection) while a separate process saves an article
through the ORM every 0.5 s. Reports 5xx responses, errors in the gunicorn/Django
log and worker memory growth.

Two writers (SOAK_WRITERS, both by default), each a phase of its own after the
phase without one:
- "mixed" alternates publishing a new article with retitling an old one and
  tagging it: changes every page of the mix shows, so every entry goes;
- "body" edits the body of a random published article, as an author fixing
  a typo does: that article's page, the listings and the feeds change, and
  every other article's page stays cached.

Environment: BENCH_ARTICLES (10000), SOAK_SECONDS (60), SOAK_FACTOR (2.0),
SOAK_CONNECTIONS (64), BENCH_WORKERS (3), BENCH_ACCEPT_ENCODING (as browsers),
SOAK_WRITERS ("mixed,body"). `ratio_with_writer` is each writer's rate over the
rate without one; the mix's article URL cycles through SOAK_ARTICLE_PAGES
(20) articles, so article pages are more than one entry.
"""

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.server import (
    DEFAULT_WORKERS,
    REPO,
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

WRITER_INTERVAL = 0.5
WRITERS = ("mixed", "body")
MIX = ["home", "article", "tag", "category", "rss feed", "deep page"]

LUA = """
local paths = {%(paths)s}
local delay_ms = %(delay)f
local counter = 0
local headers = {%(headers)s}
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  server_errors = 0
  statuses = 0
end

function delay()
  return delay_ms
end

function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1], headers)
end

function response(status, headers, body)
  statuses = statuses + 1
  if status >= 500 then server_errors = server_errors + 1 end
end

function done(summary, latency, requests)
  local errors = 0
  for _, thread in ipairs(threads) do errors = errors + thread:get("server_errors") end
  io.write(string.format("SERVER_ERRORS %%d\\n", errors))
end
"""

WRITER = """
import sys, time
import django
django.setup()
from django.contrib.auth import get_user_model
from articles.models import Article
interval, seconds, kind = float(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
author = get_user_model().objects.order_by("pk").first()
deadline = time.monotonic() + seconds
writes = errors = 0
while time.monotonic() < deadline:
    started = time.monotonic()
    try:
        if kind == "body":
            article = Article.objects.published().order_by("?").first()
            article.body = article.body.split("\\n\\nEdited during the soak")[0] + (
                f"\\n\\nEdited during the soak, **{writes}**."
            )
            article.save()
        elif writes % 2 == 0:
            Article.objects.create(
                title=f"Soak article {writes}", body=f"Written during the soak, **{writes}**.",
                author=author, status=Article.Status.PUBLISHED,
            )
        else:
            article = Article.objects.published().order_by("?").first()
            article.title = article.title.split(" (edited")[0] + f" (edited {writes})"
            article.save()
            article.tags.add(f"soak-{writes % 5}")
        writes += 1
    except Exception as error:
        errors += 1
        print("writer error:", repr(error), file=sys.stderr)
    time.sleep(max(0.0, interval - (time.monotonic() - started)))
print(f"WRITES {writes} ERRORS {errors}")
"""


def article_pages():
    """Return the paths of SOAK_ARTICLE_PAGES published articles, spread over the archive."""
    from django.urls import reverse

    from articles.models import Article

    wanted = env_int("SOAK_ARTICLE_PAGES", 20)
    published = Article.objects.published().order_by("-published_at", "-pk")
    slugs = list(published.values_list("slug", flat=True))
    step = max(1, len(slugs) // wanted)
    return [reverse("articles:detail", kwargs={"slug": slug}) for slug in slugs[::step][:wanted]]


def mix_paths(urls, articles):
    """Return one cycle of the mix per article page, each cycle's article slot a different one."""
    return [
        article if name == "article" else urls[name]
        for article in articles
        for name in MIX
        if name in urls
    ]


def capacity(articles, server, urls):
    """Return the requests/s the mix can take: from the latest bench, else a short run."""
    latest = RESULTS / f"bench_{articles}.json"
    if latest.exists():
        pages = json.loads(latest.read_text())["modes"].get("warm", {}).get("pages", {})
        rates = [pages[name]["rps"] for name in MIX if name in pages]
        if rates:
            return sum(rates) / len(rates), f"mean warm-cache req/s of the mix in {latest.name}"
    rate = wrk(server.base_url + urls["home"], seconds=5, connections=16)["rps"]
    return rate, "a 5 s wrk run on the home page"


def phase(server, script, env, *, seconds, connections, writer):
    """Drive the mix for `seconds`, with writer `writer` or none; return wrk's figures."""
    process = None
    if writer:
        process = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(WRITER_INTERVAL), str(seconds), writer],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    started = time.monotonic()
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
         "--latency", "-s", script, server.base_url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    result = {
        "seconds": round(time.monotonic() - started, 1),
        "achieved_rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "server_errors_5xx": int(re.search(r"SERVER_ERRORS (\d+)", output).group(1)),
        "non_2xx_3xx": int(m.group(1))
        if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", output))
        else 0,
        "socket_errors": m.group(1) if (m := re.search(r"Socket errors: (.*)", output)) else "",
        "p50_ms": re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1),
        "p99_ms": re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1),
    }
    if process is not None:
        writer_out, writer_err = process.communicate(timeout=60)
        writes = re.search(r"WRITES (\d+) ERRORS (\d+)", writer_out)
        if writes is None:
            # A phase whose writer died measured nothing worth a ratio.
            raise SystemExit(f"The {writer!r} writer failed:\n{writer_err[-2000:]}")
        result["writes"], result["writer_errors"] = int(writes.group(1)), int(writes.group(2))
        if writer_err.strip():
            print(writer_err[-2000:], file=sys.stderr)
    return result


def main():
    require_wrk()
    articles = env_int("BENCH_ARTICLES", 10_000)
    seconds = env_int("SOAK_SECONDS", 60)
    factor = float(os.environ.get("SOAK_FACTOR") or 2.0)
    connections = env_int("SOAK_CONNECTIONS", 64)
    workers = env_int("BENCH_WORKERS", DEFAULT_WORKERS)
    writers = [w.strip() for w in os.environ.get("SOAK_WRITERS", ",".join(WRITERS)).split(",")]
    if not writers or set(writers) - set(WRITERS):
        raise SystemExit(f"SOAK_WRITERS: choose among {', '.join(WRITERS)}.")
    env = bench_environment(articles, static_root=temporary_static_root())
    os.environ.update(env)

    import django

    django.setup()
    from bench.generate import prepare
    from bench.run import choose_urls

    prepare(articles)
    collectstatic(env)
    urls = choose_urls()
    from django.db import connections as db_connections

    db_connections.close_all()
    RESULTS.mkdir(parents=True, exist_ok=True)
    log_path = RESULTS / "soak_gunicorn.log.tmp"
    log_path.write_text("")
    with Gunicorn(env, workers=workers, log_path=log_path) as server:
        rate, source = capacity(articles, server, urls)
        target = rate * factor
        paths = ", ".join(json.dumps(path) for path in mix_paths(urls, article_pages()))
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            encoding = accept_encoding()
            headers = f'["Accept-Encoding"] = {json.dumps(encoding)}' if encoding else ""
            script.write(
                LUA % {"paths": paths, "delay": connections / target * 1000, "headers": headers}
            )
        # Warm up, then take the memory baseline.
        wrk(server.base_url + urls["home"], seconds=2, connections=16)
        rss_before = server.worker_rss_mb()
        print(f"soak: {1 + len(writers)} x {seconds} s at {target:.0f} req/s", end=" ")
        print(f"({factor}x {rate:.0f}, {source})")
        # The same load without a writer, then with each, so the ratios show
        # what invalidation costs (docs/performance.md, "Soak").
        quiet = phase(server, script.name, env, seconds=seconds, connections=connections,
                      writer=None)  # fmt: skip
        print(f"  without a writer: {quiet['achieved_rps']:.0f} req/s", flush=True)
        busy = {}
        for writer in writers:
            busy[writer] = phase(server, script.name, env, seconds=seconds,
                                 connections=connections, writer=writer)  # fmt: skip
            print(f"  with writer {writer!r}: {busy[writer]['achieved_rps']:.0f} req/s", flush=True)
        rss_after = server.worker_rss_mb()
    Path(script.name).unlink()
    log = log_path.read_text(errors="replace")
    log_errors = [line for line in log.splitlines() if re.search(r"ERROR|CRITICAL|Traceback", line)]
    growth = [
        round((after - before) / before * 100, 1)
        for before, after in zip(rss_before, rss_after, strict=False)
    ]
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "articles": articles,
        "capacity_rps": round(rate),
        "capacity_source": source,
        "target_rps": round(target),
        "load_average": os.getloadavg(),
        "without_writer": quiet,
        "with_writer": busy,
        "ratio_with_writer": {
            writer: round(result["achieved_rps"] / quiet["achieved_rps"], 3)
            for writer, result in busy.items()
        },
        "log_errors": len(log_errors),
        "log_error_samples": log_errors[:10],
        "worker_rss_mb_before": rss_before,
        "worker_rss_mb_after": rss_after,
        "worker_rss_growth_percent": growth,
    }
    (RESULTS / "soak.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

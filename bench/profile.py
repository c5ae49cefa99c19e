"""Profile pages in-process with cProfile: where the time goes with the page cache off.

Run: DJANGO_SETTINGS_MODULE=bench.settings PAGE_CACHE=false \
    python -m bench.profile / /articles/bench-1/
"""

import cProfile
import io
import os
import pstats
import sys
import time

REQUESTS = 200


def profile(paths, *, requests=REQUESTS, top=25, out=sys.stdout):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    for path in paths:
        for _ in range(5):
            assert client.get(path).status_code == 200, path
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        sql_ms = sum(float(query["time"]) for query in queries.captured_queries) * 1000
        started = time.perf_counter()
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(requests):
            client.get(path)
        profiler.disable()
        per_request = (time.perf_counter() - started) / requests * 1000
        print(
            f"\n## {path}: {per_request:.2f} ms per request under the profiler, "
            f"{len(queries.captured_queries)} queries taking {sql_ms:.2f} ms",
            file=out,
        )
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(
            r"articles|templatetags|template/(loader_tags|defaulttags|library)|psycopg/cursor", top
        )
        print(text.getvalue(), file=out)


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    profile(sys.argv[1:] or ["/"])

"""How much Redis memory a flood of tracking-tag requests costs (docs/deployment.md, "Redis").

Starts a redis-server of its own, serves N anonymous GETs of /?utm_source=N
through Django's test client against DATABASE_URL (migrated, a few articles
added if it has none), and prints Redis's used_memory and key count before and
after. Run: DATABASE_URL=... .venv/bin/python bench/cache_flood.py [N]
"""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main(requests):
    port = free_port()
    server = subprocess.Popen(
        [shutil.which("redis-server"), "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        time.sleep(0.5)
        os.environ.update(
            REDIS_URL=f"redis://127.0.0.1:{port}/0",
            DJANGO_SETTINGS_MODULE="site_config.settings",
            DEBUG="true",
            LOG_LEVEL="ERROR",
        )
        import django

        django.setup()
        import redis
        from django.core.management import call_command
        from django.test import Client

        call_command("migrate", verbosity=0)
        from articles.models import Article

        if not Article.objects.exists():
            call_command("load_demo", verbosity=0)
        direct = redis.Redis(port=port)
        client = Client()
        client.get("/")
        before = direct.info("memory")["used_memory"], direct.dbsize()
        started = time.perf_counter()
        statuses = {}
        for number in range(requests):
            status = client.get(f"/?utm_source=mail{number}").status_code
            statuses[status] = statuses.get(status, 0) + 1
        elapsed = time.perf_counter() - started
        after = direct.info("memory")["used_memory"], direct.dbsize()
        print(f"{requests} requests of /?utm_source=N in {elapsed:.1f} s, statuses {statuses}")
        print(f"Redis used_memory: {before[0] / 1e6:.2f} MB -> {after[0] / 1e6:.2f} MB")
        print(f"Redis keys: {before[1]} -> {after[1]}")
    finally:
        server.kill()
        server.wait()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)

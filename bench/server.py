"""Start gunicorn with production settings on the benchmark database, and measure it with wrk.

Shared by `make bench` (bench/run.py) and `make soak` (bench/soak.py).
"""

import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
RESULTS = REPO / "bench" / "results"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/13"


# Cores + 1: the app shares the two cores with PostgreSQL, Redis and wrk; four
# workers measured a fifth slower with the page cache off (docs/performance.md).
DEFAULT_WORKERS = 3


def env_int(name, default):
    return int(os.environ.get(name) or default)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_url():
    """Return the Redis URL to use, or None to use the local-memory cache."""
    url = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL)
    if url in ("", "none", "off"):
        return None
    host, port = re.match(r"redis://([^:/]+):?(\d*)", url).groups()
    try:
        socket.create_connection((host, int(port or 6379)), timeout=1).close()
    except OSError:
        print(f"note: no Redis at {url}; using the per-process memory cache", file=sys.stderr)
        return None
    return url


def bench_environment(articles, *, static_root, page_cache=True):
    """Return the environment of a production deployment on the benchmark database."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DEBUG="false",
        SECRET_KEY=os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        SECURE_SSL_REDIRECT="false",
        # BENCH_DATABASE: a name of one's own when several people bench on one server.
        BENCH_DATABASE=os.environ.get("BENCH_DATABASE") or f"inkstone_bench_{articles}",
        BENCH_STATIC_ROOT=str(static_root),
        PAGE_CACHE="true" if page_cache else "false",
        # Keys of our own: other people's tests may share this Redis.
        CACHE_KEY_PREFIX=f"inkstone-bench-{os.getpid()}",
    )
    url = redis_url()
    if url:
        env["REDIS_URL"] = url
    else:
        env.pop("REDIS_URL", None)
    return env


def require_wrk():
    if shutil.which("wrk") is None:
        raise SystemExit(
            "wrk is not installed. Install it with `apt-get install wrk` (Debian/Ubuntu) "
            "or `brew install wrk`, then run `make bench` again."
        )


class Gunicorn:
    """A gunicorn master with its workers, on a free port of 127.0.0.1."""

    def __init__(self, env, *, workers, log_path):
        self.env = env
        self.workers = workers
        self.port = free_port()
        self.log_path = Path(log_path)
        self.process = None

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        self.log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "site_config.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--worker-class",
                "sync",
                "--backlog",
                "2048",
                "--log-level",
                "warning",
                "--error-logfile",
                "-",
            ],
            cwd=REPO,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited; see {self.log_path}")
            try:
                urllib.request.urlopen(self.base_url + "/bench/floor/", timeout=2).read()
                return self
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"gunicorn did not answer within 30 s; see {self.log_path}")

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()

    def worker_rss_mb(self):
        """Return each worker's resident memory in MB."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        sizes = []
        for pid in children.read_text().split():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except FileNotFoundError:
                continue
            kb = int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1))
            sizes.append(round(kb / 1024, 1))
        return sizes


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def parse_duration(text):
    match = re.fullmatch(r"([\d.]+)(us|ms|s)", text)
    return float(match.group(1)) * UNITS[match.group(2)]


# What browsers send; BENCH_ACCEPT_ENCODING="" measures uncompressed pages.
DEFAULT_ACCEPT_ENCODING = "gzip, deflate, br"


def accept_encoding():
    return os.environ.get("BENCH_ACCEPT_ENCODING", DEFAULT_ACCEPT_ENCODING)


def wrk(url, *, seconds, connections, threads=2):
    """Run wrk against one URL; return requests/s, p50 and p99 latency (ms) and errors."""
    header = ["-H", f"Accept-Encoding: {accept_encoding()}"] if accept_encoding() else []
    output = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "--latency",
            *header,
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result = {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": parse_duration(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1)),
        "p99_ms": parse_duration(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1)),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
    }
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    result["non_2xx"] = int(bad.group(1)) if bad else 0
    result["socket_errors"] = socket_errors.group(1) if socket_errors else ""
    return result


def temporary_static_root():
    return Path(tempfile.mkdtemp(prefix="inkstone-bench-static-"))


def collectstatic(env):
    subprocess.run(
        [str(BIN / "python"), "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=REPO,
        env=env,
        check=True,
    )

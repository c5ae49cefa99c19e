"""Serve Inkstone with its demo content on a free local port, for screenshots and audits.

The database is whatever the environment names (DATABASE_URL, or the embedded
PostgreSQL in .pgdata/), as for `make run`; load_demo adds only what is missing.
"""

import contextlib
import os
import secrets
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = REPO / ".venv" / "bin"
MANAGE = [str(BIN / "python"), "manage.py"]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_environment(production):
    """Return the environment for the server: development, or production-like over HTTP."""
    env = dict(os.environ)
    if not production:
        env.setdefault("DEBUG", "true")
        return env
    env.update(
        DEBUG="false",
        SECRET_KEY=env.get("AUDIT_SECRET_KEY") or secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        # Plain HTTP on loopback: no redirect to HTTPS and no HSTS.
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="0",
    )
    return env


def wait_until_up(url, process, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


@contextlib.contextmanager
def demo_server(*, production=False, extra_articles=()):
    """Migrate, load the demo, start the server and yield its base URL; stop it afterwards."""
    env = server_environment(production)
    run = {"cwd": REPO, "env": env, "check": True}
    subprocess.run([*MANAGE, "migrate", "--noinput", "--verbosity", "0"], **run)
    extra = [str(path) for path in extra_articles]
    subprocess.run([*MANAGE, "load_demo", *extra], **run, stdout=subprocess.DEVNULL)
    port = free_port()
    if production:
        subprocess.run([*MANAGE, "collectstatic", "--noinput", "--verbosity", "0"], **run)
        command = [str(BIN / "gunicorn"), "site_config.wsgi", "--bind", f"127.0.0.1:{port}"]
        command += ["--workers", "2", "--log-level", "warning"]
    else:
        command = [*MANAGE, "runserver", "--noreload", f"127.0.0.1:{port}"]
    process = subprocess.Popen(command, cwd=REPO, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url + "/", process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

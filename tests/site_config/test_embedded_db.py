"""The embedded PostgreSQL that serves `make run` and `make test` without a server."""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Each snippet sets Django up with DATABASE_URL unset, so settings start or join
# the embedded server in EMBEDDED_PGDATA.
HOLD = """
import sys, django
django.setup()
from django.db import connection
with connection.cursor() as c:
    c.execute("CREATE TABLE IF NOT EXISTS kept (note text)")
    c.execute("INSERT INTO kept VALUES ('still here')")
print("ready", flush=True)
sys.stdin.readline()
"""

QUERY = """
import django
django.setup()
from django.db import connection
with connection.cursor() as c:
    c.execute("SELECT note FROM kept")
    print(c.fetchone()[0])
"""


def environment(pgdata):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="site_config.settings",
        DEBUG="true",
        EMBEDDED_PGDATA=str(pgdata),
        PYTHONPATH=str(ROOT),
    )
    return env


def run(code, pgdata):
    return subprocess.run(
        [sys.executable, "-c", code],
        env=environment(pgdata),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def wait_until(predicate, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def start_holder(tmp_path, pgdata):
    """Start a process that uses the embedded server until it reads a line."""
    # stderr goes to a file: an undrained pipe could fill up and stall the process.
    log = tmp_path / "holder.log"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD],
        env=environment(pgdata),
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=log.open("w"),
        text=True,
    )
    ready = holder.stdout.readline().strip() == "ready"
    assert ready, log.read_text()
    return holder


def test_started_on_first_use_shared_and_stopped_cleanly(tmp_path):
    pgdata = tmp_path / "pgdata"
    holder = start_holder(tmp_path, pgdata)
    try:
        assert (pgdata / "PG_VERSION").exists()
        assert (pgdata / "postmaster.pid").exists()

        # A second process joins the running server and sees the first one's data.
        second = run(QUERY, pgdata)
        assert second.returncode == 0, second.stderr
        assert second.stdout.strip() == "still here"
        # It left, but the first still uses the server, so the server keeps running.
        assert (pgdata / "postmaster.pid").exists()
    finally:
        holder.communicate("\n", timeout=60)
    assert holder.returncode == 0

    # The last user left: the server was shut down cleanly.
    assert wait_until(lambda: not (pgdata / "postmaster.pid").exists())

    # A later run starts it again on the same data.
    later = run(QUERY, pgdata)
    assert later.returncode == 0, later.stderr
    assert later.stdout.strip() == "still here"


def test_sigterm_also_stops_it_cleanly(tmp_path):
    pgdata = tmp_path / "pgdata"
    holder = start_holder(tmp_path, pgdata)
    holder.send_signal(signal.SIGTERM)
    holder.wait(timeout=60)
    assert wait_until(lambda: not (pgdata / "postmaster.pid").exists())


def test_the_project_default_lives_in_a_git_ignored_folder():
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", ".pgdata/"], cwd=ROOT, capture_output=True
    )
    if ignored.returncode == 128:
        pytest.skip("not a git checkout")
    assert ignored.returncode == 0


@pytest.mark.parametrize(
    "content, said",
    [("", "was empty"), ("[12, 3", "was unreadable"), ('{"pids": 1}', "was unreadable")],
)
def test_an_empty_or_corrupt_handle_file_is_repaired(content, said):
    # A folder of its own: pytest's shared basetemp may be pruned by other runs.
    base = Path(tempfile.mkdtemp(prefix="inkstone-handles-"))
    base.chmod(0o755)
    pgdata = base / "pgdata"
    try:
        probe = QUERY.replace("SELECT note FROM kept", "SELECT 'up'")
        started = run(probe, pgdata)
        assert started.returncode == 0, started.stderr
        assert wait_until(lambda: not (pgdata / "postmaster.pid").exists())
        # As two quick SIGTERMs during the wheel's rewrite of the file leave it.
        (pgdata / ".handle_pids.json").write_text(content)
        first = run(probe, pgdata)
        assert first.returncode == 0, first.stderr
        assert first.stdout.strip() == "up"
        assert f".handle_pids.json {said}" in first.stderr
        assert "reset it to an empty list." in first.stderr
        # Repaired for good: the next process says nothing and the server stopped cleanly.
        assert wait_until(lambda: not (pgdata / "postmaster.pid").exists())
        second = run(probe, pgdata)
        assert second.returncode == 0, second.stderr
        assert "handle_pids" not in second.stderr
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_exited_processes_are_dropped_from_the_handle_file(tmp_path):
    from site_config.embedded_db import repair_handle_file

    pgdata = tmp_path / "pgdata"
    pgdata.mkdir()
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True
    )
    dead = int(gone.stdout)
    (pgdata / ".handle_pids.json").write_text(f"[{os.getpid()}, {dead}]")
    said = repair_handle_file(pgdata)
    assert said.endswith("listed 1 exited process(es); removed them.")
    assert (pgdata / ".handle_pids.json").read_text() == f"[{os.getpid()}]"
    assert repair_handle_file(pgdata) is None

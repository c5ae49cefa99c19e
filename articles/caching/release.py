"""The release version: in every cache key, so a deploy never reads an older release's entries.

A digest of what decides how a cached value looks: the project's code,
templates and translations, the static files manifest (file names in pages)
and the versions of the installed distributions. Computed once per process,
at start-up for the web server (site_config/wsgi.py); the RELEASE_VERSION
setting overrides it (a deploy may pass its git commit).
"""

import hashlib
from functools import cache
from importlib import metadata
from pathlib import Path

from django.conf import settings

SOURCE_DIRS = ("articles", "site_config", "templates", "locale")
SOURCE_SUFFIXES = {".py", ".html", ".txt", ".xml", ".json", ".mo"}


def source_digest(base_dir):
    """Return a digest of the source files, installed versions and static manifest."""
    digest = hashlib.blake2b(digest_size=8)
    for directory in SOURCE_DIRS:
        root = Path(base_dir) / directory
        for path in sorted(root.rglob("*")):
            if path.suffix in SOURCE_SUFFIXES and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(base_dir)).encode())
                digest.update(b"\0")
                digest.update(path.read_bytes())
    installed = sorted(f"{d.metadata['Name']}={d.version}" for d in metadata.distributions())
    digest.update("\n".join(installed).encode())
    manifest = Path(settings.STATIC_ROOT or "") / "staticfiles.json"
    if settings.STATIC_ROOT and manifest.is_file():
        digest.update(manifest.read_bytes())
    return digest.hexdigest()


@cache
def release_version():
    """Return this process's release version (computed once; about 20 ms)."""
    return settings.RELEASE_VERSION or source_digest(settings.BASE_DIR)

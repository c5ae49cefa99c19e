"""Production settings for the benchmark, on a database of its own, plus the floor view.

The harness (bench/run.py) sets DEBUG, SECRET_KEY and ALLOWED_HOSTS in the
environment like a real deployment; this module only points the site at the
benchmark database, a temporary STATIC_ROOT and bench/urls.py.
"""

import os
from pathlib import Path

from site_config.settings import *  # noqa: F403
from site_config.settings import DATABASES

BENCH_DATABASE = os.environ.get("BENCH_DATABASE", "inkstone_bench")
DATABASES["default"]["NAME"] = BENCH_DATABASE
if "replica" in DATABASES:
    DATABASES["replica"]["NAME"] = BENCH_DATABASE

ROOT_URLCONF = "bench.urls"
if os.environ.get("BENCH_STATIC_ROOT"):
    STATIC_ROOT = Path(os.environ["BENCH_STATIC_ROOT"])
# The harness talks plain HTTP to 127.0.0.1.
SECURE_SSL_REDIRECT = False
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

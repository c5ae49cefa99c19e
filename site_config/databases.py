"""DATABASES from the settings' values: the primary, an optional replica, their time limits.

settings.py reads every value from the environment; this module only puts
them together (docs/deployment.md).
"""

import dj_database_url

from site_config.embedded_db import database_settings

# TCP keepalives notice a peer that vanished (a partition, a dead host) within
# about 20 s even on an idle pooled connection; tcp_user_timeout bounds unacknowledged writes.
CONNECTION_OPTIONS = {
    "keepalives": 1,
    "keepalives_idle": 10,
    "keepalives_interval": 5,
    "keepalives_count": 2,
    "tcp_user_timeout": 20_000,
}


def with_timeouts(database, *, connect_timeout):
    """Use the backend with per-request time limits (site_config/postgres/), options above."""
    if database["ENGINE"] == "django.db.backends.postgresql":
        database["ENGINE"] = "site_config.postgres"
    options = database.setdefault("OPTIONS", {})
    for name, value in {"connect_timeout": connect_timeout, **CONNECTION_OPTIONS}.items():
        options.setdefault(name, value)
    return database


def databases(*, url, replica_url, embedded_pgdata, conn_max_age, connect_timeout, no_cursors):
    """Return DATABASES: `url`, else the embedded PostgreSQL; `replica_url` as "replica".

    no_cursors: disable server-side cursors (behind PgBouncer in transaction pooling).
    """
    if url:
        primary = dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=True)
    else:
        primary = database_settings(embedded_pgdata)
    found = {"default": primary}
    if replica_url:
        found["replica"] = dj_database_url.parse(
            replica_url, conn_max_age=conn_max_age, conn_health_checks=True
        )
        # Tests read the primary through it, as the router would send them.
        found["replica"]["TEST"] = {"MIRROR": "default"}
    for database in found.values():
        with_timeouts(database, connect_timeout=connect_timeout)
        database["DISABLE_SERVER_SIDE_CURSORS"] = no_cursors
    return found

"""Production settings refuse to start without their secrets, naming the variable."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def load_settings(*, show=(), **env):
    """Load the settings in a fresh interpreter with `env`; print the settings named in show."""
    base = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS"}}
    base.update(
        DJANGO_SETTINGS_MODULE="site_config.settings",
        DATABASE_URL="postgres://nobody@127.0.0.1:1/never-connected",
        **env,
    )
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; settings.INSTALLED_APPS\n"
            f"for name in {list(show)!r}: print(name, repr(getattr(settings, name)))",
        ],
        env=base,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_needs_a_secret_key():
    result = load_settings(DEBUG="false", ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    assert "required when DEBUG is off" in result.stderr


def test_production_needs_allowed_hosts():
    result = load_settings(DEBUG="false", SECRET_KEY="x" * 60)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_starts_with_both():
    result = load_settings(DEBUG="false", SECRET_KEY="x" * 60, ALLOWED_HOSTS="example.org")
    assert result.returncode == 0, result.stderr


def test_development_has_defaults():
    assert load_settings(DEBUG="true").returncode == 0


def test_a_malformed_boolean_is_named():
    result = load_settings(DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_email_settings_are_read_once_for_every_sender():
    # Review notifications and comment emails share them: one server, one sender.
    names = ("EMAIL_BACKEND", "EMAIL_PORT", "EMAIL_USE_TLS", "DEFAULT_FROM_EMAIL")
    result = load_settings(DEBUG="true", EMAIL_HOST="smtp.example.org", show=names)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "EMAIL_BACKEND 'django.core.mail.backends.smtp.EmailBackend'",
        "EMAIL_PORT 587",
        "EMAIL_USE_TLS True",
        "DEFAULT_FROM_EMAIL 'Inkstone <noreply@localhost>'",
    ]


def test_the_replica_gets_the_primarys_connection_rules():
    result = load_settings(
        DEBUG="true",
        DATABASE_REPLICA_URL="postgres://reader@127.0.0.1:2/replica",
        DB_DISABLE_SERVER_SIDE_CURSORS="true",
        show=("DATABASES", "DATABASE_ROUTERS"),
    )
    assert result.returncode == 0, result.stderr
    databases = result.stdout.split("\n")[0]
    assert databases.count("'DISABLE_SERVER_SIDE_CURSORS': True") == 2
    assert databases.count("'ENGINE': 'site_config.postgres'") == 2
    assert "'MIRROR': 'default'" in databases
    assert "ReplicaRouter" in result.stdout

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


def directives(response):
    policy = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


def test_public_pages_allow_no_inline_script(client):
    response = client.get("/")
    csp = directives(response)
    assert csp["script-src"] == "'self'"
    assert csp["style-src"] == "'self'"
    assert csp["object-src"] == "'none'"
    assert csp["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_other_headers(client):
    response = client.get("/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_admin_keeps_scripts_locked_down(client):
    csp = directives(client.get("/admin/login/"))
    assert csp["script-src"] == "'self'"


def test_iframe_hosts_are_allowed_only_when_configured(client, settings):
    from site_config.middleware import PUBLIC_POLICY, build_policy

    assert "frame-src" not in build_policy(PUBLIC_POLICY)
    assert "frame-src https://www.youtube-nocookie.com" in build_policy(
        PUBLIC_POLICY, ["www.youtube-nocookie.com"]
    )


def test_check_deploy_is_clean_with_production_settings():
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG"}}
    env.update(
        DJANGO_SETTINGS_MODULE="site_config.settings",
        DEBUG="false",
        SECRET_KEY="k" * 20 + "production-secret-that-is-long-and-random-0123456789",
        ALLOWED_HOSTS="blog.example.org",
        SITE_URL="https://blog.example.org",
        DATABASE_URL=os.environ.get(
            "DATABASE_URL", "postgres://nobody@127.0.0.1:1/unused-by-check"
        ),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_remote_images_widen_img_src_only_to_https():
    from site_config.middleware import PUBLIC_POLICY, build_policy

    assert "img-src 'self' data: https:;" in build_policy(PUBLIC_POLICY, remote_images=True)
    assert "img-src 'self' data:;" in build_policy(PUBLIC_POLICY, remote_images=False)

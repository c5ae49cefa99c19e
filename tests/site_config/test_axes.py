import os
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
LOGIN_URL = reverse("admin:login")
PASSWORD = "correct horse battery"


def attempt(client, username, password):
    return client.post(
        LOGIN_URL, {"username": username, "password": password, "next": reverse("admin:index")}
    )


@pytest.fixture
def staff(db):
    return UserFactory(username="writer", role="Authors")


def test_limits_come_from_the_environment():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "site_config.settings",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/never-connected",
        "AXES_FAILURE_LIMIT": "7",
        "AXES_COOLOFF_MINUTES": "2",
    }
    code = (
        "from django.conf import settings as s; "
        "print(s.AXES_FAILURE_LIMIT, int(s.AXES_COOLOFF_TIME.total_seconds()), "
        "s.AXES_LOCKOUT_PARAMETERS)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.split(" ", 2) == ["7", "120", "[['ip_address', 'username']]\n"]


@pytest.mark.parametrize("limit", [3])
def test_lockout_after_n_failures_refuses_even_the_right_password(client, staff, settings, limit):
    settings.AXES_FAILURE_LIMIT = limit
    for _ in range(limit - 1):
        response = attempt(client, "writer", "wrong")
        assert response.status_code == 200  # the login form again, with an error
    assert attempt(client, "writer", "wrong").status_code == 429
    locked = attempt(client, "writer", PASSWORD)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.get(username="writer").failures_since_start >= limit


def test_a_correct_password_before_the_limit_logs_in(client, staff):
    attempt(client, "writer", "wrong")
    response = attempt(client, "writer", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(staff.pk)


def test_lockout_is_per_ip_and_username(client, staff, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        attempt(client, "writer", "wrong")
    assert attempt(client, "writer", PASSWORD).status_code == 429
    # The same user from another address is not locked out...
    elsewhere = Client(REMOTE_ADDR="203.0.113.9")
    assert attempt(elsewhere, "writer", PASSWORD).status_code == 302
    # ...nor is another user from the locked address.
    UserFactory(username="colleague", role="Authors")
    assert attempt(client, "colleague", PASSWORD).status_code == 302


def test_proxy_count_takes_the_client_from_x_forwarded_for(client, staff, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.TRUSTED_PROXY_COUNT = 1
    spoofed = {"HTTP_X_FORWARDED_FOR": "10.0.0.1, 198.51.100.7"}
    for _ in range(2):
        client.post(LOGIN_URL, {"username": "writer", "password": "x"}, **spoofed)
    assert AccessAttempt.objects.get().ip_address == "198.51.100.7"
    other = {"HTTP_X_FORWARDED_FOR": "198.51.100.8"}
    response = client.post(LOGIN_URL, {"username": "writer", "password": PASSWORD}, **other)
    assert response.status_code == 302


def test_force_login_is_unaffected(author_client):
    assert author_client.get(reverse("admin:index")).status_code == 200
    assert not AccessAttempt.objects.exists()

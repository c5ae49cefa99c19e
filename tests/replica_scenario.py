"""Run against a real primary and streaming replica; print what each client saw as JSON.

Started by tests/test_replica.py with DATABASE_URL (primary), DATABASE_REPLICA_URL
(replica) and REPLICA_ADMIN_URL (the replica, for pausing WAL replay).
"""

import json
import os
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_config.settings")

import django

django.setup()

import psycopg  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connections, router  # noqa: E402
from django.test import Client  # noqa: E402

from articles.models import Article  # noqa: E402
from site_config import replicas  # noqa: E402


def wait_for_replica(predicate, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        connections["replica"].close()
        if predicate():
            return True
        time.sleep(0.1)
    return False


def main():
    seen = {}
    replica_admin = psycopg.connect(os.environ["REPLICA_ADMIN_URL"], autocommit=True)
    seen["replica_in_recovery"] = replica_admin.execute("SELECT pg_is_in_recovery()").fetchone()[0]

    editor = get_user_model().objects.create_user(
        "editor", password="correct horse battery", is_staff=True, is_superuser=True
    )
    editor.groups.add(*Group.objects.filter(name="Editors"))
    article = Article.objects.create(
        title="First version", body="Text.", author=editor, status=Article.Status.PUBLISHED
    )
    seen["replicated"] = wait_for_replica(
        lambda: Article.objects.using("replica").filter(title="First version").exists()
    )
    url = article.get_absolute_url()

    # Reads in a fresh context go to the replica; a write pins the rest to the primary.
    replicas._pinned.set(False)
    seen["read_db_before_write"] = router.db_for_read(Article)
    article.save()
    seen["read_db_after_write"] = router.db_for_read(Article)
    replicas._pinned.set(False)

    reader = Client()
    seen["reader_first"] = "First version" in reader.get(url).content.decode()

    # Hold the replica back, as a lagging one would be.
    replica_admin.execute("SELECT pg_wal_replay_pause()")
    author = Client()
    login = author.post(
        "/admin/login/", {"username": "editor", "password": "correct horse battery"}
    )
    seen["login_status"] = login.status_code
    seen["pin_cookie_set"] = "inkstone_primary" in login.cookies
    article.title = "Second version"
    article.save()
    replicas._pinned.set(False)

    seen["reader_during_lag"] = reader.get(url).content.decode()
    seen["author_reads_own_write"] = "Second version" in author.get(url).content.decode()
    admin_page = author.get(f"/admin/articles/article/{article.pk}/change/")
    seen["admin_reads_primary"] = "Second version" in admin_page.content.decode()
    seen["reader_sees_old_during_lag"] = "First version" in seen.pop("reader_during_lag")

    replica_admin.execute("SELECT pg_wal_replay_resume()")
    seen["caught_up"] = wait_for_replica(
        lambda: Article.objects.using("replica").filter(title="Second version").exists()
    )
    seen["reader_after_catch_up"] = "Second version" in reader.get(url).content.decode()
    print(json.dumps(seen))


if __name__ == "__main__":
    main()

"""Backup, then restore into a fresh database on the same server, and compare (docs/security.md)."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from articles.models import Article
from tests.factories import ArticleFactory, CategoryFactory
from tests.services import empty_database, server_url

ROOT = Path(__file__).resolve().parents[2]
PIXEL = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


@pytest.fixture
def fresh_database():
    """An empty database on the test server, dropped afterwards."""
    with empty_database("_restore") as name:
        yield name


def rows(url):
    with psycopg.connect(url) as conn:
        articles = conn.execute(
            "SELECT a.title, a.slug, a.body, a.body_html, a.status, c.name "
            "FROM articles_article a LEFT JOIN articles_category c ON c.id = a.category_id "
            "ORDER BY a.slug"
        ).fetchall()
        tags = conn.execute(
            "SELECT a.slug, t.name FROM articles_taggedarticle l "
            "JOIN articles_article a ON a.id = l.content_object_id "
            "JOIN taggit_tag t ON t.id = l.tag_id ORDER BY 1, 2"
        ).fetchall()
    return articles, tags


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip(tmp_path, settings, fresh_database):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "uploads" / "2026" / "01").mkdir(parents=True)
    (settings.MEDIA_ROOT / "uploads" / "2026" / "01" / "figure.png").write_bytes(PIXEL)
    category = CategoryFactory(name="线性代数")
    ArticleFactory(title="Eigenvalues", slug="eigen", category=category, tags=["math", "线代"])
    ArticleFactory(title="草稿", slug="draft-zh", status="draft", published_at=None, body="$x$")

    backup_dir = tmp_path / "backup"
    call_command("backup", output=backup_dir, stdout=StringIO())
    assert {p.name for p in backup_dir.iterdir()} == {
        "database.dump",
        "media.tar.gz",
        "manifest.json",
    }

    restored_media = tmp_path / "restored-media"
    env = {
        **os.environ,
        "DATABASE_URL": server_url(fresh_database),
        "MEDIA_ROOT": str(restored_media),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "restore", str(backup_dir)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    # The upload, and each article's social card (docs/media.md) and math font (docs/math.md).
    assert "5 media files" in result.stdout

    original = rows(server_url(connection.settings_dict["NAME"]))
    restored = rows(server_url(fresh_database))
    assert restored == original
    assert len(restored[0]) == Article.objects.count() == 2
    assert ("eigen", "线代") in restored[1]
    assert (restored_media / "uploads" / "2026" / "01" / "figure.png").read_bytes() == PIXEL


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_with_tables(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    ArticleFactory(title="Keep me")
    call_command("backup", output=tmp_path / "b", stdout=StringIO())
    with pytest.raises(CommandError, match="empty database"):
        call_command("restore", str(tmp_path / "b"))
    assert Article.objects.filter(title="Keep me").exists()


@pytest.mark.django_db
def test_backup_refuses_a_damaged_or_foreign_directory(tmp_path):
    (tmp_path / "notes.txt").write_text("not a backup")
    with pytest.raises(CommandError, match="manifest"):
        call_command("restore", str(tmp_path))
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", output=tmp_path)

import hashlib
import io
import re
from datetime import UTC, datetime

import pytest
import yaml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from PIL import Image
from taggit.models import Tag

from articles.models import Article, Category
from articles.portability.entries import category_path
from tests.corpus import require_corpus
from tests.factories import ArticleFactory, CategoryFactory, UserFactory, draft

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def png_url(name, colour):
    buffer = io.BytesIO()
    Image.new("RGB", (3, 3), colour).save(buffer, "PNG")
    return default_storage.url(default_storage.save(name, ContentFile(buffer.getvalue())))


def snapshot():
    """Return every article's reader-visible fields, keyed by slug, images by content."""
    rows = {}
    articles = Article.objects.select_related("author", "category").prefetch_related("tags")
    for article in articles:
        rows[article.slug] = {
            "title": article.title,
            "body": _images_by_content(article.body),
            "summary": article.summary,
            "tags": sorted(tag.name for tag in article.tags.all()),
            "category": category_path(article.category),
            "author": article.author.username,
            "language": article.language,
            "status": article.status,
            "published_at": article.published_at,
            "content_updated_at": article.content_updated_at,
        }
    return rows


def _images_by_content(body):
    # An uploaded image is stored again under its content hash; same bytes, new URL.
    def digest(match):
        with default_storage.open(match.group(1)) as image:
            return f"image:{hashlib.sha256(image.read()).hexdigest()}"

    return re.sub(re.escape(settings.MEDIA_URL) + r"([\w./-]+\.(?:png|svg|jpg))", digest, body)


def empty_database():
    Article.objects.all().delete()
    while Category.objects.exists():
        Category.objects.filter(children__isnull=True).delete()
    Tag.objects.all().delete()
    get_user_model().objects.all().delete()


def export_and_reimport(tmp_path, *import_args):
    before = snapshot()
    out = io.StringIO()
    call_command("export_markdown", str(tmp_path / "export"), stdout=out)
    empty_database()
    call_command("import_markdown", str(tmp_path / "export"), *import_args, stdout=io.StringIO())
    return before, snapshot(), out.getvalue()


def test_export_writes_front_matter_and_images(tmp_path):
    author = UserFactory(username="Lin", first_name="Lin", last_name="Wei", role="Authors")
    parent = CategoryFactory(name="Programming")
    image = png_url("uploads/2024/05/photo.png", "green")
    ArticleFactory(
        title="Hello: a post",
        slug="hello",
        author=author,
        category=CategoryFactory(name="Python", parent=parent),
        tags=["b", "a"],
        summary="Sum.",
        body=f"Text\n\n![p]({image})\n\n```python\nprint('{image}')\n```",
        published_at=datetime(2024, 5, 1, 8, 30, tzinfo=UTC),
    )
    out = io.StringIO()
    call_command("export_markdown", str(tmp_path / "out"), stdout=out)
    assert "Exported 1 article(s) and 1 image(s)" in out.getvalue()
    text = (tmp_path / "out" / "hello" / "index.md").read_text(encoding="utf-8")
    header, body = text.removeprefix("---\n").split("\n---\n", 1)
    meta = yaml.safe_load(header)
    assert meta["title"] == "Hello: a post"
    assert meta["slug"] == "hello"
    assert meta["date"] == "2024-05-01T08:30:00+00:00"
    assert meta["tags"] == ["a", "b"]
    assert meta["categories"] == ["Programming", "Python"]
    assert (meta["author"], meta["lang"], meta["status"], meta["summary"]) == (
        "Lin",
        "en",
        "published",
        "Sum.",
    )
    assert "updated" in meta
    assert "![p](photo.png)" in body
    assert f"print('{image}')" in body  # code is never rewritten
    assert (tmp_path / "out" / "hello" / "photo.png").is_file()


def test_round_trip_gives_identical_articles(tmp_path):
    lin = UserFactory(username="lin", first_name="Lin", last_name="Wei", role="Authors")
    maya = UserFactory(username="Maya.F", role="Editors")
    child = CategoryFactory(name="Deep learning", parent=CategoryFactory(name="AI"))
    imported = png_url("imports/ab/abcdef.png", "red")
    uploaded = png_url("uploads/2024/05/up.png", "blue")
    ArticleFactory(
        title="注意力机制",
        author=lin,
        category=child,
        tags=["注意力", "Transformer"],
        language="zh-hans",
        summary="一个总结。",
        body=(
            f"正文 $x_i^2$ 和\n\n$$\\sum_i x_i$$\n\n![a]({imported})\n"
            f'<img src="{uploaded}" alt="b">\n\n'
            "<!-- more -->\n\n```python\nprint(1)\n```"
        ),
        published_at=datetime(2023, 1, 2, 3, 4, 5, 678000, tzinfo=UTC),
    )
    ArticleFactory(title="Plain English", author=maya, tags=[], body="Just *text*.")
    draft(title="A draft, undated", author=lin, body="Later.")
    ArticleFactory(
        title="Scheduled",
        author=maya,
        body="Soon.",
        published_at=datetime(2099, 1, 1, tzinfo=UTC),
    )
    before, after, _ = export_and_reimport(tmp_path)
    assert set(after) == set(before)
    for slug, fields in before.items():
        for name, value in fields.items():
            assert after[slug][name] == value, (slug, name)
    assert before["a-draft-undated"]["published_at"] is None


def test_corpus_round_trip(tmp_path):
    folder = require_corpus("dev")
    call_command("import_markdown", str(folder), stdout=io.StringIO(), stderr=io.StringIO())
    before, after, out = export_and_reimport(tmp_path)
    assert "Exported 40 article(s)" in out
    assert len(after) == 40
    assert after == before

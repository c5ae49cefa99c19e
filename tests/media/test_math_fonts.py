"""Each article page names its own cut of the math font (articles/media/math_fonts.py)."""

import base64
import hashlib
import io
import logging
import re

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from fontTools.ttLib import TTFont

from articles.media import math_fonts
from articles.models import Comment, CommentStatus
from articles.rendering.math_glyphs import parse_unicode_range
from tests.factories import ArticleFactory, UserFactory, draft, scheduled

pytestmark = pytest.mark.django_db
BODY = "Let $f(x) = \\sqrt{x^2 + 1}$, so $$\\sum_{i=1}^{n} \\alpha_i \\le \\mathbf{v}$$"
STYLE = re.compile(r"<style>(.*?)</style>", re.S)
SITE_FILES = re.compile(r"inkstone-math(-italic|-alphanumeric)?\.[0-9a-f.]*woff2")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def article():
    return ArticleFactory(title="Fonts", body=BODY)


def font_of(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    found = re.search(r'src:url\("([^"]+)"\) format\("woff2"\)', html)
    return found.group(1), html


def test_the_page_declares_and_preloads_a_face_with_the_articles_characters(client, article):
    url, html = font_of(client, article)
    assert f'<link rel="preload" href="{url}" as="font" type="font/woff2" crossorigin>' in html
    (rule,) = STYLE.findall(html)
    declared = re.search(r"unicode-range:([^}]+)}", rule).group(1)
    assert declared == article.math_glyphs
    codes = set(parse_unicode_range(declared))
    assert {ord(char) for char in "f𝑓√∑α𝛼≤𝐯"} <= codes
    assert len(codes) < 60  # the site-wide core file alone covers over 6,000


def test_the_font_holds_exactly_those_characters_and_is_small(client, article, media_root):
    url, _html = font_of(client, article)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "font/woff2"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    font = TTFont(io.BytesIO(response.content))
    assert font.flavor == "woff2" and "MATH" in font
    # Every character declared; a few more come along with the layout features (≤ brings ≥).
    cmap = set(font.getBestCmap())
    declared = set(parse_unicode_range(article.math_glyphs))
    assert declared <= cmap and len(cmap - declared) <= 5
    # The renamed family the licence asks for, not Latin Modern's own name.
    assert font["name"].getDebugName(1) == "Inkstone Math"
    assert len(response.content) < 40_000  # against 204 KB for the site-wide core and italics
    assert list(media_root.glob("math-fonts/*/*.woff2"))


def test_a_stored_font_is_served_without_being_made_again(client, article, monkeypatch):
    url, _html = font_of(client, article)
    first = client.get(url).content

    def refuse(*args):
        raise AssertionError("the font was cut again")

    monkeypatch.setattr(math_fonts, "subset_woff2", refuse)
    assert client.get(url).content == first


def test_articles_with_the_same_characters_share_one_file(client, article, media_root):
    twin = ArticleFactory(title="Twin", body=BODY)
    for each in (article, twin):
        assert client.get(font_of(client, each)[0]).status_code == 200
    assert len(list(media_root.glob("math-fonts/*/*.woff2"))) == 1


def test_only_the_digest_of_an_articles_current_characters_is_made(client, article):
    url, _html = font_of(client, article)
    assert client.get(url.replace("math-", "math-0")).status_code == 404
    other = ArticleFactory(title="Other", body="$y$")
    assert client.get(url.replace(f"/{article.pk}/", f"/{other.pk}/")).status_code == 404
    assert client.get(url.replace(f"/{article.pk}/", "/999999/")).status_code == 404
    assert client.post(url).status_code == 405


@pytest.mark.parametrize("make", [draft, scheduled])
def test_an_unpublished_articles_font_is_for_its_authors_only(client, make):
    author = UserFactory(role="Authors")
    hidden = make(title="Hidden", body=BODY, author=author)
    digest = math_fonts.font_digest(hidden.math_glyphs)
    url = reverse("articles:math_font", kwargs={"pk": hidden.pk, "digest": digest})
    # Digests follow from the characters, so a guess at a common set must reveal nothing.
    assert client.get(url).status_code == 404
    client.force_login(author)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "font/woff2"
    assert response["Cache-Control"].startswith("private,")  # no shared cache keeps it


def test_an_edit_changes_the_name(client, article):
    before, _html = font_of(client, article)
    article.body = BODY + " and $\\mathbb{R}$"
    article.save()
    after, _html = font_of(client, article)
    assert after != before
    assert client.get(before).status_code == 404 and client.get(after).status_code == 200


def test_the_inline_rule_is_allowed_by_its_hash_and_nothing_else(client, article):
    for _attempt in ("rendered", "from the page cache"):
        response = client.get(article.get_absolute_url())
        (rule,) = STYLE.findall(response.content.decode())
        digest = base64.b64encode(hashlib.sha256(rule.encode()).digest()).decode()
        policy = dict(
            part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
        )
        assert policy["style-src"] == f"'self' 'sha256-{digest}'"
        assert policy["script-src"] == "'self'"


def test_the_cut_covers_the_formulas_of_approved_comments_too(client, article):
    approved = Comment.objects.create(
        article=article,
        name="Lin",
        body="And $\\varepsilon \\to 0$?",
        status=CommentStatus.APPROVED,
    )
    Comment.objects.create(article=article, name="Spam", body="$\\heartsuit$")  # held
    url, html = font_of(client, article)
    declared = re.search(r"unicode-range:([^}]+)}", STYLE.findall(html)[0]).group(1)
    codes = set(parse_unicode_range(declared))
    assert {ord("𝜀"), ord("→")} <= codes and ord("♡") not in codes
    assert set(parse_unicode_range(article.math_glyphs)) < codes
    assert client.get(url).status_code == 200
    approved.delete()  # the page names another font; this one is no longer made
    assert client.get(url).status_code == 404


def test_comments_alone_get_a_cut(client):
    prose = ArticleFactory(title="Prose", body="Only words here.")
    Comment.objects.create(
        article=prose, name="Lin", body="Try $e^{i\\pi}$", status=CommentStatus.APPROVED
    )
    url, _html = font_of(client, prose)
    assert client.get(url).status_code == 200


def test_a_page_without_math_has_no_face_and_the_usual_policy(client):
    plain = ArticleFactory(title="Prose", body="Only words here.")
    response = client.get(plain.get_absolute_url())
    html = response.content.decode()
    assert "Inkstone Math Article" not in html and "<style>" not in html
    assert "sha256-" not in response["Content-Security-Policy"]
    assert plain.math_glyphs == ""


def test_without_the_source_font_pages_use_the_site_wide_faces(client, article, settings, tmp_path):
    settings.MATH_ASSETS_DIR = tmp_path / "not-built"
    html = Client().get(article.get_absolute_url() + "?fresh").content.decode()
    assert "Inkstone Math Article" not in html


def test_a_committed_save_cuts_the_font_before_anyone_asks(
    client, media_root, django_capture_on_commit_callbacks, monkeypatch
):
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory(title="Ready", body=BODY)
    assert len(list(media_root.glob("math-fonts/*/*.woff2"))) == 1
    monkeypatch.setattr(math_fonts, "subset_woff2", lambda *args: pytest.fail("cut again"))
    url, _html = font_of(client, article)
    assert client.get(url).status_code == 200


def test_prose_cuts_nothing_on_save(media_root, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ArticleFactory(title="Prose", body="Only words here.")
    assert not list(media_root.glob("math-fonts/*/*.woff2"))


def test_cutting_a_font_writes_nothing_to_the_log(article, caplog):
    digest = math_fonts.font_digest(article.math_glyphs)
    assert not default_storage.exists(math_fonts.storage_name(digest))  # so it is cut here
    caplog.set_level(logging.INFO)
    math_fonts.font_bytes(article.math_glyphs, digest)
    assert [record for record in caplog.records if record.name.startswith("fontTools")] == []

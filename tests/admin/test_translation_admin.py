"""Editors see when a translation may be out of date, with what changed in the source."""

import pytest
from django.urls import reverse

from articles.models import Translation
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")
OUTDATED = "Translation may be out of date"


@pytest.fixture
def pair():
    english = ArticleFactory(title="Attention", language="en", body="First line.\n\nSecond line.")
    chinese = ArticleFactory(title="注意力", language="zh-hans", body="第一行。\n\n第二行。")
    link = Translation.objects.create(article=chinese, source=english)
    return english, chinese, link


def test_source_edit_flags_and_translation_edit_clears(editor_client, pair):
    english, chinese, link = pair
    assert not link.is_outdated
    assert OUTDATED not in editor_client.get(CHANGELIST).content.decode()

    english.body = "First line.\n\nSecond line, rewritten."
    english.save()
    link.refresh_from_db()
    assert link.is_outdated
    assert OUTDATED in editor_client.get(CHANGELIST).content.decode()
    page = editor_client.get(reverse("admin:articles_article_change", args=[chinese.pk]))
    html = page.content.decode()
    assert OUTDATED in html
    assert "-Second line." in html and "+Second line, rewritten." in html

    chinese.body = "第一行。\n\n第二行，已改写。"
    chinese.save()
    link.refresh_from_db()
    assert not link.is_outdated
    assert OUTDATED not in editor_client.get(CHANGELIST).content.decode()


def test_a_metadata_only_source_save_is_no_material_change(pair):
    english, _chinese, link = pair
    english.slug = "attention-renamed"
    english.save()
    link.refresh_from_db()
    assert not link.is_outdated


def test_readers_see_a_notice_only_when_the_editor_turns_it_on(client, pair):
    english, chinese, link = pair
    english.body += "\n\nNew paragraph."
    english.save()
    assert "translation-notice" not in client.get(chinese.get_absolute_url()).content.decode()
    link.show_notice = True
    link.save()
    html = client.get(chinese.get_absolute_url()).content.decode()
    assert "translation-notice" in html and english.get_absolute_url() in html


def test_one_version_per_language(pair):
    from django.core.exceptions import ValidationError

    english, _chinese, _link = pair
    second = ArticleFactory(language="zh-hans")
    with pytest.raises(ValidationError):
        Translation(article=second, source=english).full_clean()


def test_an_original_cannot_become_a_translation(pair):
    from django.core.exceptions import ValidationError

    english, _chinese, _link = pair
    other = ArticleFactory(language="zh-hans")
    with pytest.raises(ValidationError) as error:
        Translation(article=english, source=other).full_clean()
    assert "original of other translations" in str(error.value)

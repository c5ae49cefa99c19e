"""Authors choose a cover image for their draft on its edit page."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from articles.models import ArticleCard
from tests.admin_forms import form_data
from tests.factories import draft

pytestmark = pytest.mark.django_db

PREFIX = "card"


def upload(name, content_type, fmt="PNG"):
    buffer = BytesIO()
    Image.new("RGB", (1200, 630), "orange").save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


def post_cover(client, article, cover):
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = form_data(client.get(url))
    data.update({f"{PREFIX}-TOTAL_FORMS": "1", f"{PREFIX}-INITIAL_FORMS": "0"})
    data[f"{PREFIX}-0-cover"] = cover
    return client.post(url, data)


def test_author_sets_a_cover_stored_under_a_random_name(author_client, author, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    article = draft(author=author)
    response = post_cover(author_client, article, upload("my holiday.png", "image/png"))
    assert response.status_code == 302
    card = ArticleCard.objects.get(article=article)
    assert "holiday" not in card.cover.name
    assert (card.cover_width, card.cover_height) == (1200, 630)


def test_a_file_that_is_not_an_image_is_a_form_error(author_client, author, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    article = draft(author=author)
    fake = SimpleUploadedFile("cover.png", b"<svg onload=alert(1)>", content_type="image/png")
    response = post_cover(author_client, article, fake)
    assert response.status_code == 200
    assert not ArticleCard.objects.filter(article=article).exclude(cover="").exists()

"""Series in the admin: editors manage them; authors place their own drafts in one."""

import pytest
from django.urls import reverse

from articles.models import Series, SeriesPart
from tests.admin_forms import form_data
from tests.factories import ArticleFactory, draft

pytestmark = pytest.mark.django_db

PREFIX = "series_part"


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def with_series(data, series, position=""):
    data.update(
        {
            f"{PREFIX}-TOTAL_FORMS": "1",
            f"{PREFIX}-INITIAL_FORMS": "0",
            f"{PREFIX}-0-series": str(series.pk),
            f"{PREFIX}-0-position": str(position),
        }
    )
    return data


def test_author_puts_own_draft_at_the_end_of_a_series(author_client, author):
    series = Series.objects.create(title="Course")
    SeriesPart.objects.create(series=series, article=ArticleFactory(), position=1)
    article = draft(author=author, title="My part")
    url = change_url(article)
    response = author_client.post(url, with_series(form_data(author_client.get(url)), series))
    assert response.status_code == 302, response.content.decode()[:2000]
    part = SeriesPart.objects.get(article=article)
    assert (part.series, part.position) == (series, 2)


def test_taken_position_is_a_form_error_not_a_crash(author_client, author):
    series = Series.objects.create(title="Course")
    SeriesPart.objects.create(series=series, article=ArticleFactory(), position=1)
    article = draft(author=author)
    url = change_url(article)
    response = author_client.post(url, with_series(form_data(author_client.get(url)), series, 1))
    assert response.status_code == 200
    assert not SeriesPart.objects.filter(article=article).exists()


def test_article_form_without_the_series_box_still_saves(author_client, author):
    series = Series.objects.create(title="Course")
    article = draft(author=author)
    SeriesPart.objects.create(series=series, article=article, position=1)
    url = change_url(article)
    data = {
        key: value
        for key, value in form_data(author_client.get(url), title="Renamed").items()
        if not key.startswith(PREFIX)
    }
    assert author_client.post(url, data).status_code == 302
    assert SeriesPart.objects.get(article=article).series == series


def test_authors_cannot_add_series(author_client):
    response = author_client.post(reverse("admin:articles_series_add"), {"title": "Mine"})
    assert response.status_code == 403
    assert not Series.objects.exists()


def test_editors_add_series(editor_client):
    add = reverse("admin:articles_series_add")
    data = {
        "title": "运维手册",
        "slug": "",
        "description": "",
        "parts-TOTAL_FORMS": "0",
        "parts-INITIAL_FORMS": "0",
    }
    assert editor_client.post(add, data).status_code == 302
    assert Series.objects.get().slug == "运维手册"

"""The header, footer and asset links are rendered once per process and language."""

import pytest
from django.urls import reverse

from tests.reader_helpers import page_text

pytestmark = pytest.mark.django_db


def header(html):
    return html[html.index('<header class="site-header">') : html.index("</header>")]


def test_each_language_gets_its_own_header(client, settings):
    settings.PAGE_CACHE = False
    english = header(page_text(client.get("/", headers={"accept-language": "en"})))
    chinese = header(page_text(client.get("/", headers={"accept-language": "zh-hans"})))
    assert ">Categories<" in english and ">Categories<" not in chinese
    assert english == header(page_text(client.get("/", headers={"accept-language": "en"})))


def test_a_settings_change_renders_it_again(client, settings):
    settings.PAGE_CACHE = False
    settings.SITE_NAME = "First name"
    assert "First name" in header(page_text(client.get("/")))
    settings.SITE_NAME = "Second name"
    html = page_text(client.get(reverse("articles:tag_index")))
    assert "Second name" in header(html)
    assert "Second name" in html[html.index('<footer class="site-footer">') :]


def test_the_search_box_keeps_the_query_outside_the_shared_part(client):
    html = page_text(client.get(reverse("articles:search"), {"q": "needle"}))
    assert 'value="needle"' in header(html)
    assert 'value="needle"' not in header(page_text(client.get("/")))

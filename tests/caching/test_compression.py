"""Readers' pages and feeds are compressed as each client accepts, once per stored page."""

import gzip

import brotli
import pytest

from articles.caching import encoding
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return ArticleFactory(title="Compressed", tags=["floats"], body="Some *text*. " * 200)


def decoded(response):
    kind = response.get("Content-Encoding", "")
    body = response.content
    return {"br": brotli.decompress, "gzip": gzip.decompress, "": bytes}[kind](body)


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("gzip, deflate, br", "br"),
        ("br;q=1.0, gzip;q=0.8", "br"),
        ("gzip", "gzip"),
        ("br;q=0, gzip", "gzip"),
        ("*", "br"),
        ("identity", ""),
        ("gzip;q=0, br;q=0", ""),
        ("", ""),
    ],
)
@pytest.mark.parametrize("path", ["/", "/feed/", "article"])
def test_each_client_gets_an_encoding_it_accepts(client, article, accept, expected, path):
    path = article.get_absolute_url() if path == "article" else path
    plain = client.get(path)
    response = client.get(path, headers={"accept-encoding": accept})
    assert response.status_code == 200
    assert response.get("Content-Encoding", "") == expected
    assert "Accept-Encoding" in response["Vary"]
    assert int(response["Content-Length"]) == len(response.content)
    assert decoded(response) == plain.content


@pytest.mark.parametrize("page_cache", [True, False])
def test_pages_are_compressed_with_the_page_cache_on_or_off(client, article, settings, page_cache):
    settings.PAGE_CACHE = page_cache
    response = client.get("/", headers={"accept-encoding": "br"})
    assert response["Content-Encoding"] == "br"
    assert len(response.content) * 3 < len(decoded(response))


def test_a_stored_page_is_compressed_once_not_per_request(client, article, monkeypatch):
    calls = []
    real = encoding.compress
    monkeypatch.setattr(encoding, "compress", lambda c, e: calls.append(e) or real(c, e))
    client.get("/", headers={"accept-encoding": "br"})
    assert calls == ["br"]  # Stored as identity and as the first client asked.
    client.get("/", headers={"accept-encoding": "gzip"})
    assert calls == ["br", "gzip"]  # Made from the stored identity, once.
    for accept in ("br", "gzip", "identity", "br", "gzip"):
        response = client.get("/", headers={"accept-encoding": accept})
        assert response.get("Content-Encoding", "identity") == accept
    assert calls == ["br", "gzip"]


def test_a_compressed_variant_has_a_weak_etag_that_revalidates(client, article):
    response = client.get("/", headers={"accept-encoding": "gzip"})
    assert response["ETag"].startswith('W/"')
    again = client.get("/", headers={"accept-encoding": "gzip", "if-none-match": response["ETag"]})
    assert again.status_code == 304
    plain = client.get("/", headers={"if-none-match": response["ETag"]})
    assert plain.status_code == 304  # The same page; weakly the same validator.


def test_staff_pages_are_not_compressed(editor_client, article):
    # They carry CSRF tokens: compressing secrets next to reflected input is BREACH.
    response = editor_client.get("/", headers={"accept-encoding": "br, gzip"})
    assert "Content-Encoding" not in response

"""Hostile and malformed requests answer 4xx, never 500 (docs/security.md)."""

import re
from urllib.parse import quote

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.factories import ArticleFactory, CategoryFactory

pytestmark = pytest.mark.django_db

LONG_SLUG = "a" * 10_000

BAD_REQUESTS = [
    "/articles/%ff%fe/",
    "/categories/%ff%fe/",
    "/%ff%fe/",
    "/articles/%00/",
    "/articles/abc%00def/",
    f"/articles/{LONG_SLUG}/",
    f"/categories/{LONG_SLUG}/",
    "/?page=99999999999999999999",
    "/?page=-1",
    "/?page=0",
    "/?page=1e3",
    "/?page=%ff",
    "/?page=%00",
    "/?page=１",  # a full-width digit: isdigit() but not ASCII
    "/?page=last",
    "/?page=",
    "/categories/none/?page=99999999999999999999",
    "/articles/%2e%2e/%2e%2e/etc/passwd/",
    "/articles/..%2f..%2f/",
    "/healthz?%00",
    "/?" + "x=1&" * 2000,  # more fields than DATA_UPLOAD_MAX_NUMBER_FIELDS
]

# Junk that a page may ignore (200) or refuse (4xx), but never fail on.
JUNK_QUERIES = [
    "/?page=1&page=2",
    "/?page[]=1",
    "/?%%%=%%%",
    "/?&&&==&=",
    "/?a=%E0%A4%A",
    "/?=",
    "/?" + "a" * 20_000,
    "/?q=%ff%fe&tag=%c0%af",
]


@pytest.fixture
def content(db):
    category = CategoryFactory(name="Maths", slug="maths")
    ArticleFactory(title="One", slug="one", category=category, tags=["t"])
    return category


@pytest.mark.parametrize("path", BAD_REQUESTS, ids=lambda p: p[:60])
def test_bad_input_answers_4xx(client, content, path):
    response = client.get(path)
    assert response.status_code in (400, 404), (path[:80], response.status_code)


@pytest.mark.parametrize("path", JUNK_QUERIES, ids=lambda p: p[:60])
def test_junk_query_strings_never_fail(client, content, path):
    assert client.get(path).status_code < 500


def test_absurd_page_number_on_a_category(client, content):
    assert client.get("/categories/maths/?page=99999999999999999999").status_code == 404


# --- Fuzzing every public URL pattern -------------------------------------------------

PRIVATE_PREFIXES = (settings.ADMIN_PATH, "admin-tools/", "media/", "static/")
CONVERTER = re.compile(r"<(?:(?P<kind>[^>:]+):)?(?P<name>[^>]+)>")


def public_routes(patterns=None, prefix=""):
    """Return the route strings of every public URL pattern, converters left in."""
    routes = []
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(entry.pattern)
        if route.lstrip("^").startswith(PRIVATE_PREFIXES):
            continue
        if isinstance(entry, URLResolver):
            routes.extend(public_routes(entry.url_patterns, route))
        elif isinstance(entry, URLPattern):
            routes.append(route)
    return routes


ROUTES = public_routes()
SEGMENT = st.one_of(
    st.text(min_size=0, max_size=40).filter(lambda s: "/" not in s),
    st.sampled_from(["one", "maths", "注意力机制", "..", "%", "%ff", "%00", " ", "a" * 300]),
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
)
QUERY_KEYS = st.sampled_from(["page", "q", "tag", "category", "lang", "format", "x", ""])
QUERY_VALUES = st.one_of(
    st.text(max_size=30),
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
    st.binary(max_size=12).map(lambda b: "".join(f"%{byte:02x}" for byte in b)),
)


@st.composite
def public_requests(draw):
    route = draw(st.sampled_from(ROUTES))

    def fill(match):
        value = draw(SEGMENT)
        # Raw percent sequences go through as-is; other text is encoded as a browser would.
        return value if value.startswith("%") else quote(value, safe="")

    path = "/" + CONVERTER.sub(fill, route)
    pairs = draw(st.lists(st.tuples(QUERY_KEYS, QUERY_VALUES), max_size=4))
    query = "&".join(
        f"{quote(key)}={value if value.startswith('%') else quote(value)}" for key, value in pairs
    )
    return path + ("?" + query if query else "")


FUZZ_EXAMPLES = 1500
tried = []


def test_fuzz_routes_cover_the_public_site():
    assert "" in ROUTES
    assert "articles/<str:slug>/" in ROUTES
    assert not any(route.startswith(settings.ADMIN_PATH) for route in ROUTES)


@hypothesis_settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(url=public_requests())
def test_fuzz_public_urls_never_answer_5xx(client, content, url):
    tried.append(url)
    response = client.get(url)
    assert response.status_code < 500, url


def test_report_fuzz_count(capsys):
    # Runs after the fuzz test in file order; the count goes into the test log.
    with capsys.disabled():
        print(f"\n[fuzz] {len(tried)} requests over {len(ROUTES)} public routes")
    assert len(tried) >= FUZZ_EXAMPLES or not tried


# --- Uploaded media is only ever an image ---------------------------------------------


@pytest.fixture
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "uploads").mkdir()
    (tmp_path / "uploads" / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n not really")
    (tmp_path / "uploads" / "page.html").write_text("<script>alert(1)</script>")
    (tmp_path / "uploads" / "trick.png.html").write_text("<script>alert(1)</script>")
    (tmp_path / "uploads" / "drawing.svg").write_text("<svg onload='alert(1)'/>")
    return tmp_path


def test_media_images_are_served_inert(client, media_root):
    response = client.get("/media/uploads/picture.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "script-src" not in response["Content-Security-Policy"]


@pytest.mark.parametrize("name", ["page.html", "trick.png.html", "drawing.svg", "../x.png"])
def test_media_never_serves_anything_but_images(client, media_root, name):
    assert client.get(f"/media/uploads/{name}").status_code == 404

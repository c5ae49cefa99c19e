"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Without Chromium the directory is skipped with a message saying so, except
under CI=true, where a missing browser fails every browser test.
"""

import os
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core import serializers
from django.core.management import call_command
from django.db import transaction
from django.db.models import Q
from taggit.models import Tag

from articles.models import (
    Article,
    ArticleAuthor,
    Category,
    SearchEntry,
    Series,
    SeriesPart,
    SlugRedirect,
    TaggedArticle,
    Translation,
)

HERE = Path(__file__).resolve().parent
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}


def find_chromium():
    """Return the path of the system Chromium, or None."""
    explicit = os.environ.get("INKSTONE_CHROMIUM")
    if explicit:
        return explicit if Path(explicit).is_file() else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


def on_ci():
    return os.environ.get("CI", "").lower() == "true"


CHROMIUM = find_chromium()
MISSING_CHROMIUM = (
    "Chromium not found (install Debian's `chromium` package, or point INKSTONE_CHROMIUM "
    "at the binary); the browser tests need it."
)


def is_browser_test(item):
    return HERE in Path(item.path).parents


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(config, items):
    # Mark before the other hooks run, so that `-m browser` selects these tests.
    for item in filter(is_browser_test, items):
        item.add_marker(pytest.mark.browser)
        if CHROMIUM is None and not on_ci():
            item.add_marker(pytest.mark.skip(reason=MISSING_CHROMIUM))
    result = yield
    # Run them last, after pytest-django's ordering: each ends with a flush (the live
    # server needs committed data) that also empties the role groups, and Playwright's
    # event loop stays up until the session ends.
    items.sort(key=is_browser_test)
    return result


@pytest.fixture(scope="session")
def browser():
    if CHROMIUM is None:
        pytest.fail(f"CI=true: {MISSING_CHROMIUM}", pytrace=False)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio event loop running in the test thread, and
    # Django refuses ORM calls while a loop runs unless told it is safe. It is: the loop
    # only waits on the browser's pipe while the ORM runs synchronously.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(autouse=True)
def browser_site(settings, live_server, tmp_path):
    """Serve uploads, keep them out of the work tree, and restore the role groups."""
    settings.ROOT_URLCONF = "tests.browser.urls"
    settings.MEDIA_ROOT = tmp_path / "media"
    # Logging in through the form hashes the password; the fast hasher keeps that cheap.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ensure_roles()
    return live_server


def ensure_roles():
    """Recreate the Authors and Editors groups, which a transactional test's flush removes."""
    from importlib import import_module

    roles = import_module("articles.migrations.0002_roles")
    for name, wanted in (
        ("Authors", roles.AUTHOR_PERMISSIONS),
        ("Editors", roles.EDITOR_PERMISSIONS),
    ):
        group, _ = Group.objects.get_or_create(name=name)
        query = Q()
        for app_label, codename in wanted:
            query |= Q(content_type__app_label=app_label, codename=codename)
        permissions = list(Permission.objects.filter(query))
        assert len(permissions) == len(wanted), f"missing permissions for {name}"
        group.permissions.set(permissions)


@pytest.fixture
def context(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP, locale="en-US")
    # Short waits: an element that is missing should fail the test quickly.
    context.set_default_timeout(5_000)
    context.set_default_navigation_timeout(20_000)
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    page.js_errors = []
    page.on("pageerror", lambda error: page.js_errors.append(str(error)))
    return page


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker, tmp_path_factory):
    """Run load_demo once and keep its rows as a fixture file.

    Rendering the demo articles takes seconds; reloading the stored rows for each
    test takes a fraction of that. The load is rolled back so other tests never see it.
    """
    models = (User, Category, Tag, Article, ArticleAuthor, SearchEntry, TaggedArticle, SlugRedirect)
    models += (Translation, Series, SeriesPart)
    with django_db_blocker.unblock(), transaction.atomic():
        ensure_roles()  # an earlier browser test's flush may have removed them
        call_command("load_demo", stdout=StringIO())
        rows = [row for model in models for row in model.objects.order_by("pk")]
        # Groups by name: each test recreates them under new primary keys.
        data = serializers.serialize("json", rows, use_natural_foreign_keys=True)
        transaction.set_rollback(True)
    path = tmp_path_factory.mktemp("demo") / "demo.json"
    path.write_text(data, encoding="utf-8")
    return path


@pytest.fixture
def demo_site(db, demo_snapshot):
    """The demo site: Chinese and English articles, a translated pair and two series."""
    call_command("loaddata", str(demo_snapshot), verbosity=0)

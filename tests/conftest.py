import importlib

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.utils import translation

from articles.caching import store
from tests.factories import UserFactory


@pytest.fixture
def author(db):
    return UserFactory(username="author", role="Authors")


@pytest.fixture
def other_author(db):
    return UserFactory(username="other", role="Authors")


@pytest.fixture
def editor(db):
    return UserFactory(username="editor", role="Editors")


@pytest.fixture
def author_client(client, author):
    client.force_login(author)
    return client


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture(autouse=True)
def default_language():
    # A request activates its language (a Chinese article page, Chinese), and Django
    # leaves it active in the thread afterwards: each test starts from the default.
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # PBKDF2 is deliberately slow; tests that create users don't need that.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


DB_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences"}


@pytest.fixture(autouse=True)
def _roles_exist(request, django_db_blocker):
    """Put back the role groups a data migration created, if a transactional test flushed them.

    pg_dump and live servers need committed data, so some tests use transaction=True,
    and their teardown flush deletes every row, the Authors and Editors groups too.
    """
    uses_db = DB_FIXTURES & set(request.fixturenames) or request.node.get_closest_marker(
        "django_db"
    )
    if not uses_db:
        return
    with django_db_blocker.unblock():
        if Group.objects.filter(name__in=["Authors", "Editors"]).count() == 2:
            return
        # The flush re-creates permissions (post_migrate) but not the migration's groups.
        roles = importlib.import_module("articles.migrations.0002_roles")
        for name, wanted in (
            ("Authors", roles.AUTHOR_PERMISSIONS),
            ("Editors", roles.EDITOR_PERMISSIONS),
        ):
            group, _ = Group.objects.get_or_create(name=name)
            for app_label, codename in wanted:
                group.permissions.add(
                    Permission.objects.get(content_type__app_label=app_label, codename=codename)
                )


@pytest.fixture(autouse=True)
def empty_cache():
    # Database changes roll back between tests but the local-memory cache does
    # not, and a rolled-back content generation can repeat its value. A shared
    # Redis is never flushed: it may hold other people's keys.
    local = isinstance(caches["default"], LocMemCache)
    if local:
        caches["default"].clear()
    store.forget_local()
    yield
    if local:
        caches["default"].clear()
    store.forget_local()

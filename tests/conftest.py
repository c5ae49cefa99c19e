import pytest

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
def fast_password_hashing(settings):
    # PBKDF2 is deliberately slow; tests that create users don't need that.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

import pytest

from tests.factories import ArticleFactory


@pytest.fixture
def article(db, author):
    return ArticleFactory(author=author, title="Eigenvalues, gently", slug="eigenvalues")


@pytest.fixture(autouse=True)
def comment_settings(settings):
    settings.COMMENTS_MIN_SECONDS = 3
    settings.COMMENTS_RATE_PER_IP = 5
    settings.COMMENTS_RATE_PER_EMAIL = 5
    settings.COMMENTS_MAX_LINKS = 3
    settings.SITE_URL = "http://testserver"

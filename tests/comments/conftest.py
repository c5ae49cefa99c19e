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


@pytest.fixture
def smtp(settings):
    from tests.comments.smtp import SmtpServer

    server = SmtpServer().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()

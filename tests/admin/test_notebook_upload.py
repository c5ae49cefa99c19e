"""The admin's notebook upload: the same import as the command, behind permissions."""

import nbformat
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article
from tests.factories import ArticleFactory, UserFactory
from tests.portability.test_notebooks import notebook

pytestmark = pytest.mark.django_db
URL = reverse("admin:articles_article_import_notebook")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(client, content, name="train.ipynb"):
    file = SimpleUploadedFile(name, content.encode(), content_type="application/x-ipynb+json")
    return client.post(URL, {"notebook": file})


def test_author_upload_becomes_their_draft(author_client, author):
    assert author_client.get(URL).status_code == 200
    response = upload(author_client, nbformat.writes(notebook()))
    article = Article.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("admin:articles_article_change", args=[article.pk])
    assert article.status == Article.Status.DRAFT  # authors cannot publish
    assert article.author == author
    assert "ZeroDivisionError" in article.body_html


def test_reupload_updates_the_same_article(editor_client):
    upload(editor_client, nbformat.writes(notebook()))
    upload(editor_client, nbformat.writes(notebook(title="Training, revised")))
    assert Article.objects.count() == 1
    assert Article.objects.get().title == "Training, revised"


def test_broken_notebook_shows_the_error_and_saves_nothing(author_client):
    response = upload(author_client, "{ not json", name="broken.ipynb")
    assert response.status_code == 200
    assert "broken.ipynb: not a Jupyter notebook" in response.content.decode()
    assert Article.objects.count() == 0


def test_other_files_are_refused(author_client):
    response = upload(author_client, "print(1)", name="script.py")
    assert "Choose a .ipynb file." in response.content.decode()


def test_an_author_cannot_overwrite_someone_elses_article(author_client):
    other = UserFactory(username="someone-else", role="Authors")
    ArticleFactory(author=other, source_key="notebook:training-a-model", status="draft")
    response = upload(author_client, nbformat.writes(notebook()))
    assert "belongs to someone else" in response.content.decode()
    assert Article.objects.get().author == other


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response.url


def test_changelist_links_to_the_upload(author_client):
    assert URL in author_client.get(reverse("admin:articles_article_changelist")).content.decode()

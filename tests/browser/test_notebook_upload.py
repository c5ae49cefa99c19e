"""The admin's notebook upload, as an author uses it in Chromium."""

import nbformat

from articles.models import Article
from tests.browser import tools
from tests.factories import UserFactory
from tests.portability.test_notebooks import notebook


def test_author_uploads_a_notebook_and_lands_on_its_draft(page, live_server, tmp_path):
    tools.log_in(page.context, live_server, UserFactory(username="nb-author", role="Authors"))
    page.goto("/admin/articles/article/")
    page.get_by_role("link", name="Import notebook").click()
    path = tmp_path / "train.ipynb"
    path.write_text(nbformat.writes(notebook()), encoding="utf-8")
    page.set_input_files("input[type=file]", str(path))
    tools.shoot(page, "notebook-upload-form")
    page.get_by_role("button", name="Import").click()
    page.wait_for_url("**/change/")
    assert "Training a model" in page.locator(".messagelist").inner_text()
    tools.shoot(page, "notebook-upload-done")
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT
    assert page.js_errors == []

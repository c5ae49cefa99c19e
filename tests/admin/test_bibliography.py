"""The site bibliography in the admin: editors manage it, saving re-renders citing articles."""

import pytest
from django.urls import reverse

from articles.models import Article, Bibliography
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

ENTRY = (
    "@book{knuth1984, author={Knuth, Donald E.}, title={The TeXbook}, publisher={AW}, year={1984}}"
)


def test_saving_the_site_bibliography_rerenders_the_articles_that_cite_it(client):
    citing = ArticleFactory(body="As [@knuth1984] wrote.")
    other = ArticleFactory(body="No citations here.")
    assert "[@knuth1984?]" in citing.body_html
    untouched_at = Article.objects.get(pk=other.pk).updated_at
    client.force_login(UserFactory(role="Editors"))
    response = client.post(
        reverse("admin:articles_bibliography_add"), {"name": "Site", "bibtex": ENTRY}
    )
    assert response.status_code == 302
    citing.refresh_from_db()
    assert "Knuth, 1984" in citing.body_html and citing.render_problems == []
    assert Article.objects.get(pk=other.pk).updated_at == untouched_at


def test_removing_an_entry_marks_its_citations_again(client):
    bibliography = Bibliography.objects.create(name="Site", bibtex=ENTRY)
    citing = ArticleFactory(body="As [@knuth1984] wrote.")
    assert "Knuth, 1984" in citing.body_html
    client.force_login(UserFactory(role="Editors"))
    client.post(
        reverse("admin:articles_bibliography_change", args=[bibliography.pk]),
        {"name": "Site", "bibtex": ""},
    )
    citing.refresh_from_db()
    assert "[@knuth1984?]" in citing.body_html


def test_authors_may_read_but_not_change_the_bibliography(client):
    Bibliography.objects.create(name="Site", bibtex=ENTRY)
    client.force_login(UserFactory(role="Authors"))
    assert client.get(reverse("admin:articles_bibliography_changelist")).status_code == 200
    response = client.post(reverse("admin:articles_bibliography_add"), {"name": "X", "bibtex": ""})
    assert response.status_code == 403


def test_the_article_form_shows_the_problems_of_the_last_save(client):
    article = ArticleFactory(body="See @fig-nowhere.")
    client.force_login(UserFactory(role="Editors"))
    page = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert "Unknown reference" in page and "fig-nowhere" in page

import pytest
from django.core.management import call_command

from articles.models import Article, Comment
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_rerender_refreshes_stale_derived_fields_without_moving_dates():
    article = ArticleFactory(body="Columns $\\mathbf{u}_i$ here.\n\n## Heading")
    Article.objects.filter(pk=article.pk).update(
        body_html="<p>stale</p>", preview="stale", math_glyphs=""
    )
    before = Article.objects.values("updated_at", "content_updated_at").get(pk=article.pk)

    call_command("rerender_articles", verbosity=0)

    fresh = Article.objects.get(pk=article.pk)
    assert "<math" in fresh.body_html
    assert fresh.preview.startswith("Columns uᵢ here.")
    assert fresh.toc and fresh.toc[0]["title"] == "Heading"
    # Articles stored before pages had their own math font get its characters.
    assert "U+1D42E" in fresh.math_glyphs  # 𝐮
    assert {"updated_at": fresh.updated_at, "content_updated_at": fresh.content_updated_at} == (
        before
    )


def test_rerender_leaves_current_articles_alone(capsys):
    ArticleFactory()
    call_command("rerender_articles")
    assert "1 article(s); 0 changed" in capsys.readouterr().out


def test_rerender_refreshes_stored_comments(capsys):
    article = ArticleFactory()
    comment = Comment.objects.create(article=article, name="Ada", body="$\\overline{z}$")
    Comment.objects.filter(pk=comment.pk).update(body_html="<p>stale</p>")
    call_command("rerender_articles")
    assert 'class="tex-overline"' in Comment.objects.get(pk=comment.pk).body_html
    assert "1 comment(s); 1 changed" in capsys.readouterr().out

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Category
from tests.factories import ArticleFactory, CategoryFactory, draft

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_article_add")
CHANGELIST_URL = reverse("admin:articles_article_changelist")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def article_form(**overrides):
    data = {
        "title": "注意力机制",
        "body": "正文 $x$",
        "summary": "",
        "category": "",
        "tags": "注意力, 深度学习",
        "language": "zh-hans",
        "slug": "",
    }
    data.update(overrides)
    return data


class TestAuthorRole:
    def test_creates_a_draft_owned_by_themselves(self, author_client, author, other_author):
        response = author_client.post(ADD_URL, article_form(author=other_author.pk))
        assert response.status_code == 302
        article = Article.objects.get()
        assert article.author == author
        assert article.status == Article.Status.DRAFT
        assert article.slug == "注意力机制"
        assert set(article.tags.names()) == {"注意力", "深度学习"}

    def test_is_offered_no_publish_control(self, author_client, author):
        article = draft(author=author)
        page = author_client.get(change_url(article)).content.decode()
        assert 'name="status"' not in page
        assert 'name="published_at_0"' not in page
        changelist = author_client.get(CHANGELIST_URL).content.decode()
        assert "publish_now" not in changelist

    def test_crafted_publish_post_is_refused(self, author_client, author):
        article = draft(author=author)
        response = author_client.post(
            change_url(article),
            article_form(status="published", published_at_0="2024-01-01", published_at_1="10:00"),
        )
        assert response.status_code in (302, 403)
        article.refresh_from_db()
        assert article.status == Article.Status.DRAFT
        assert not Article.objects.published().exists()

    def test_crafted_publish_action_is_refused(self, author_client, author):
        article = draft(author=author)
        author_client.post(
            CHANGELIST_URL, {"action": "publish_now", "_selected_action": [article.pk]}
        )
        article.refresh_from_db()
        assert article.status == Article.Status.DRAFT

    def test_cannot_see_or_touch_other_articles(self, author_client, other_author):
        theirs = draft(author=other_author, title="Not yours")
        assert "Not yours" not in author_client.get(CHANGELIST_URL).content.decode()
        response = author_client.post(change_url(theirs), article_form(title="Hijacked"))
        assert response.status_code in (302, 403, 404)
        theirs.refresh_from_db()
        assert theirs.title == "Not yours"
        delete_url = reverse("admin:articles_article_delete", args=[theirs.pk])
        author_client.post(delete_url, {"post": "yes"})
        assert Article.objects.filter(pk=theirs.pk).exists()

    def test_cannot_edit_their_article_once_published(self, author_client, author):
        article = ArticleFactory(author=author, title="Live")
        response = author_client.post(change_url(article), article_form(title="Changed"))
        assert response.status_code == 403
        article.refresh_from_db()
        assert article.title == "Live"

    def test_cannot_manage_categories(self, author_client):
        response = author_client.post(
            reverse("admin:articles_category_add"), {"name": "Sneaky", "ordering": 0}
        )
        assert response.status_code == 403
        assert not Category.objects.exists()


class TestEditorRole:
    def test_publishes_anyone_s_article(self, editor_client, author):
        article = draft(author=author)
        response = editor_client.post(
            CHANGELIST_URL, {"action": "publish_now", "_selected_action": [article.pk]}
        )
        assert response.status_code == 302
        article.refresh_from_db()
        assert article.is_public

    def test_unpublishes(self, editor_client):
        article = ArticleFactory()
        editor_client.post(
            CHANGELIST_URL, {"action": "unpublish", "_selected_action": [article.pk]}
        )
        article.refresh_from_db()
        assert article.status == Article.Status.DRAFT

    def test_saves_with_a_status_and_date(self, editor_client, editor):
        response = editor_client.post(
            ADD_URL,
            article_form(
                author=editor.pk,
                status="published",
                published_at_0=timezone.now().strftime("%Y-%m-%d"),
                published_at_1="00:00:00",
            ),
        )
        assert response.status_code == 302
        assert Article.objects.published().count() == 1

    def test_changelist_shows_scheduled_distinctly(self, editor_client):
        ArticleFactory(published_at=timezone.now() + timezone.timedelta(days=2))
        assert "Scheduled" in editor_client.get(CHANGELIST_URL).content.decode()


class TestBadInput:
    def test_missing_title_is_a_form_error_and_nothing_is_saved(self, editor_client, editor):
        response = editor_client.post(ADD_URL, article_form(title="", author=editor.pk))
        assert response.status_code == 200
        assert "title" in response.context["adminform"].form.errors
        assert not Article.objects.exists()

    def test_invalid_slug_is_a_form_error(self, editor_client, editor):
        response = editor_client.post(ADD_URL, article_form(slug="a b/c", author=editor.pk))
        assert "slug" in response.context["adminform"].form.errors
        assert not Article.objects.exists()

    def test_duplicate_slug_is_a_form_error(self, editor_client, editor):
        ArticleFactory(slug="taken")
        response = editor_client.post(ADD_URL, article_form(slug="taken", author=editor.pk))
        assert "slug" in response.context["adminform"].form.errors
        assert Article.objects.count() == 1

    def test_category_cycle_is_a_form_error(self, editor_client):
        root = CategoryFactory(name="Root")
        child = CategoryFactory(name="Child", parent=root)
        response = editor_client.post(
            reverse("admin:articles_category_change", args=[root.pk]),
            {"name": "Root", "slug": root.slug, "parent": child.pk, "ordering": 0},
        )
        assert response.status_code == 200
        assert "parent" in response.context["adminform"].form.errors
        root.refresh_from_db()
        assert root.parent is None


class TestDraftPreview:
    def test_staff_see_drafts_with_a_banner_and_no_cache(self, editor_client):
        article = draft(title="Secret draft")
        response = editor_client.get(article.get_absolute_url())
        assert response.status_code == 200
        assert "draft-banner" in response.content.decode()
        assert "no-cache" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]

    def test_authors_preview_only_their_own_drafts(self, author_client, author, other_author):
        assert author_client.get(draft(author=author).get_absolute_url()).status_code == 200
        assert author_client.get(draft(author=other_author).get_absolute_url()).status_code == 404

    def test_everyone_else_gets_404(self, client):
        assert client.get(draft().get_absolute_url()).status_code == 404

    def test_view_on_site_link_reaches_the_draft(self, editor_client):
        article = draft(title="预览")
        page = editor_client.get(change_url(article))
        link = page.context["adminform"].form.instance.get_absolute_url()
        assert "View on site" in page.content.decode()
        response = editor_client.get(link)
        assert response.status_code == 200
        assert "预览" in response.content.decode()


def test_editor_preview_uses_the_site_content_styles(editor_client):
    page = editor_client.get(ADD_URL).content.decode()
    assert "css/content.css" in page
    assert 'class="markdownx-preview"' in page

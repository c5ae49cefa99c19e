from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Article, Category, SlugRedirect
from articles.rendering.slugs import slug_from_text
from tests.factories import ArticleFactory, CategoryFactory, draft, scheduled

pytestmark = pytest.mark.django_db


class TestPublishingMatrix:
    @pytest.fixture
    def matrix(self):
        now = timezone.now()
        return {
            "published_past": ArticleFactory(published_at=now - timedelta(minutes=1)),
            "published_future": scheduled(),
            "draft_no_date": draft(),
            "draft_past": ArticleFactory(
                status=Article.Status.DRAFT, published_at=now - timedelta(days=2)
            ),
            "draft_future": ArticleFactory(
                status=Article.Status.DRAFT, published_at=now + timedelta(days=2)
            ),
        }

    def names(self, matrix, queryset):
        ids = set(queryset.values_list("pk", flat=True))
        return {name for name, article in matrix.items() if article.pk in ids}

    def test_published_is_only_past_published(self, matrix):
        assert self.names(matrix, Article.objects.published()) == {"published_past"}

    def test_scheduled_is_published_with_future_date(self, matrix):
        assert self.names(matrix, Article.objects.scheduled()) == {"published_future"}

    def test_drafts_whatever_their_date(self, matrix):
        assert self.names(matrix, Article.objects.drafts()) == {
            "draft_no_date",
            "draft_past",
            "draft_future",
        }

    def test_scheduled_becomes_published_when_its_time_comes(self, matrix):
        article = matrix["published_future"]
        Article.objects.filter(pk=article.pk).update(
            published_at=timezone.now() - timedelta(seconds=1)
        )
        assert article.pk in Article.objects.published().values_list("pk", flat=True)

    def test_flags(self, matrix):
        assert matrix["published_past"].is_public
        assert matrix["published_future"].is_scheduled
        assert not matrix["published_future"].is_public
        assert not matrix["draft_past"].is_public

    def test_publishing_without_a_date_sets_now(self):
        article = draft()
        article.status = Article.Status.PUBLISHED
        article.save()
        assert article.published_at is not None
        assert article.is_public


class TestForListing:
    def test_defers_bodies(self):
        ArticleFactory()
        article = Article.objects.for_listing().get()
        assert {"body", "body_html"} <= article.get_deferred_fields()

    def test_newest_first(self):
        old = ArticleFactory(published_at=timezone.now() - timedelta(days=5))
        new = ArticleFactory(published_at=timezone.now() - timedelta(days=1))
        assert list(Article.objects.published().for_listing()) == [new, old]


class TestSlugs:
    @pytest.mark.parametrize(
        ("title", "slug"),
        [
            ("注意力机制", "注意力机制"),
            ("Transformer 中的注意力机制", "transformer-中的注意力机制"),
            ("Rust: Ownership & Borrowing!", "rust-ownership-borrowing"),
            ("🚀 Launch day 🎉", "launch-day"),
            ("?!…——", "article"),
            ("🚀🎉", "article"),
            ("", "article"),
        ],
    )
    def test_slug_from_text(self, title, slug):
        assert slug_from_text(title) == slug

    def test_long_title_is_cut_at_a_word_boundary(self):
        slug = slug_from_text("word " * 40)
        assert len(slug) <= 80
        assert slug.endswith("word")

    def test_generated_on_save(self):
        assert ArticleFactory(title="梯度下降的直觉").slug == "梯度下降的直觉"

    def test_duplicates_get_a_suffix(self):
        slugs = [ArticleFactory(title="注意力机制").slug for _ in range(3)]
        assert slugs == ["注意力机制", "注意力机制-2", "注意力机制-3"]

    def test_punctuation_only_titles_never_collide(self):
        assert [ArticleFactory(title="???").slug for _ in range(2)] == ["article", "article-2"]

    def test_an_explicit_slug_is_kept(self):
        assert ArticleFactory(title="Whatever", slug="my-slug").slug == "my-slug"

    def test_invalid_slug_is_a_validation_error(self):
        article = ArticleFactory.build(
            slug="has spaces/and slashes", author=ArticleFactory().author
        )
        with pytest.raises(ValidationError) as error:
            article.full_clean()
        assert "slug" in error.value.message_dict

    def test_duplicate_explicit_slug_is_a_validation_error(self):
        existing = ArticleFactory(slug="taken")
        article = ArticleFactory.build(slug="taken", author=existing.author)
        with pytest.raises(ValidationError) as error:
            article.full_clean()
        assert "slug" in error.value.message_dict


class TestSlugHistory:
    def test_changing_a_published_slug_remembers_the_old_one(self):
        article = ArticleFactory(slug="old")
        article.slug = "new"
        article.save()
        assert SlugRedirect.objects.get(old_slug="old").article == article

    def test_draft_slug_changes_leave_no_redirect(self):
        article = draft(slug="draft-old")
        article.slug = "draft-new"
        article.save()
        assert not SlugRedirect.objects.exists()

    def test_changing_back_removes_the_redirect_to_itself(self):
        article = ArticleFactory(slug="first")
        article.slug = "second"
        article.save()
        article.slug = "first"
        article.save()
        assert list(SlugRedirect.objects.values_list("old_slug", flat=True)) == ["second"]

    def test_new_articles_do_not_take_a_redirected_slug(self):
        article = ArticleFactory(title="Shared title")
        article.slug = "renamed"
        article.save()
        assert ArticleFactory(title="Shared title").slug == "shared-title-2"


class TestCategory:
    def test_cycle_is_a_validation_error(self):
        root = CategoryFactory()
        child = CategoryFactory(parent=root)
        grandchild = CategoryFactory(parent=child)
        root.parent = grandchild
        with pytest.raises(ValidationError) as error:
            root.full_clean()
        assert "parent" in error.value.message_dict

    def test_own_parent_is_refused_by_the_database(self):
        category = CategoryFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            Category.objects.filter(pk=category.pk).update(parent=category)

    def test_unicode_slug_from_name(self):
        assert CategoryFactory(name="深度学习").slug == "深度学习"

    def test_descendants_include_the_whole_subtree(self):
        root = CategoryFactory()
        child = CategoryFactory(parent=root)
        grandchild = CategoryFactory(parent=child)
        CategoryFactory()
        assert set(root.descendant_ids()) == {root.pk, child.pk, grandchild.pk}
        assert grandchild.ancestors() == [root, child, grandchild]


class TestDatabaseRules:
    def test_published_article_needs_a_date(self):
        article = ArticleFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            Article.objects.filter(pk=article.pk).update(published_at=None)

    def test_empty_slug_is_refused(self):
        article = ArticleFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            Article.objects.filter(pk=article.pk).update(slug="")

    def test_slug_is_unique(self):
        ArticleFactory(slug="same")
        other = ArticleFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            Article.objects.filter(pk=other.pk).update(slug="same")


class TestDerivedFields:
    def test_rendered_at_save(self):
        article = ArticleFactory(body="Hello **world**")
        assert "<strong>world</strong>" in article.body_html
        assert article.preview
        assert article.word_count >= 2
        assert article.reading_minutes >= 1

    def test_raw_html_is_sanitized(self):
        article = ArticleFactory(body='<script>alert(1)</script><p onclick="x()">hi</p>')
        assert "<script" not in article.body_html
        assert "onclick" not in article.body_html

    def test_body_over_the_limit_is_a_validation_error(self, settings):
        settings.MAX_BODY_CHARS = 100
        article = ArticleFactory.build(body="x" * 101, author=ArticleFactory().author)
        with pytest.raises(ValidationError) as error:
            article.full_clean()
        assert "body" in error.value.message_dict


class TestContentUpdatedAt:
    def test_set_on_creation(self):
        assert ArticleFactory().content_updated_at is not None

    def test_moves_when_the_body_changes(self):
        article = ArticleFactory()
        before = article.content_updated_at
        article.body += "\n\nA new paragraph."
        article.save()
        assert article.content_updated_at > before

    def test_stays_when_only_metadata_changes(self):
        article = ArticleFactory()
        before = article.content_updated_at
        article.slug = "another-slug"
        article.category = CategoryFactory()
        article.save()
        article.refresh_from_db()
        assert article.content_updated_at == before

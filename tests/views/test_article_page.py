"""The article page: metadata, contents, neighbours, related articles, JSON-LD and its budget."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.caching.token import move_token
from articles.models import Article
from articles.views.queries import material_update
from tests.factories import ArticleFactory, CategoryFactory, UserFactory, draft, scheduled
from tests.reader_helpers import (
    elements,
    fast_passwords,  # noqa: F401 (autouse fixture)
    hrefs,
    meta,
    page_text,
)

pytestmark = pytest.mark.django_db

# +1 for the approved comments under the article (docs/comments.md).
ARTICLE_BUDGET = 9
THREE_HEADINGS = "Intro.\n\n## One\n\nA.\n\n## Two\n\nB.\n\n### Two and a half\n\nC.\n"


def get(client, article, **headers):
    response = client.get(article.get_absolute_url(), headers=headers)
    assert response.status_code == 200
    return page_text(response)


class TestHeader:
    def test_title_dates_author_breadcrumb_tags_reading_time(self, client):
        root = CategoryFactory(name="Science", slug="science")
        leaf = CategoryFactory(name="Physics", slug="physics", parent=root)
        article = ArticleFactory(
            title="On gravity",
            category=leaf,
            tags=["mechanics"],
            author=UserFactory(username="isaac", first_name="Isaac", last_name="Newton"),
        )
        html = get(client, article)
        assert "<h1" in html and "On gravity" in html
        [published] = elements(html, "time")
        assert published["datetime"] == timezone.localtime(article.published_at).isoformat()
        assert "Isaac Newton" in html
        links = hrefs(html)
        assert links.index("/categories/science/") < links.index("/categories/physics/")
        assert "/tags/mechanics/" in links
        assert "/authors/isaac/" in links
        assert "1 min read" in html

    def test_updated_date_only_when_it_differs_materially(self, client):
        article = ArticleFactory(published_at=timezone.now() - timedelta(days=10))
        assert material_update(article) is None  # created after its (backdated) date
        Article.objects.filter(pk=article.pk).update(
            created_at=timezone.now() - timedelta(days=10),
            content_updated_at=timezone.now() - timedelta(days=10) + timedelta(hours=3),
        )
        article.refresh_from_db()
        assert material_update(article) is None
        assert len(elements(get(client, article), "time")) == 1
        Article.objects.filter(pk=article.pk).update(content_updated_at=timezone.now())
        move_token()  # update() skips the signals that invalidate cached pages
        article.refresh_from_db()
        assert material_update(article) == article.content_updated_at
        html = get(client, article)
        assert len(elements(html, "time")) == 2
        assert "Updated" in html
        assert meta(html, "article:modified_time")

    def test_article_element_carries_the_article_language(self, client):
        article = ArticleFactory(title="中文文章", language="zh-hans")
        html = get(client, article)
        assert elements(html, "article", lang="zh-hans")
        [html_element] = elements(html, "html")
        # The interface follows the article's language (docs/bilingual.md).
        assert html_element["lang"] == "zh-hans"

    def test_body_is_the_stored_html(self, client):
        article = ArticleFactory()
        Article.objects.filter(pk=article.pk).update(body_html="<p>STORED-HTML-MARKER</p>")
        assert "<p>STORED-HTML-MARKER</p>" in get(client, article)


class TestTableOfContents:
    def test_shown_with_three_headings(self, client):
        article = ArticleFactory(body=THREE_HEADINGS)
        html = get(client, article)
        assert 'class="toc"' in html
        for entry in article.toc:
            assert f"#{entry['id']}" in hrefs(html)

    def test_hidden_with_fewer(self, client):
        article = ArticleFactory(body="Intro.\n\n## One\n\nA.\n\n## Two\n\nB.\n")
        assert len(article.toc) == 2
        assert 'class="toc"' not in get(client, article)


class TestNeighbours:
    def test_previous_and_next_skip_unpublished(self, client):
        now = timezone.now()
        older = ArticleFactory(title="Older", published_at=now - timedelta(days=5))
        draft(title="Draft between")
        ArticleFactory(
            title="Draft dated between",
            status=Article.Status.DRAFT,
            published_at=now - timedelta(days=4),
        )
        middle = ArticleFactory(title="Middle", published_at=now - timedelta(days=3))
        newer = ArticleFactory(title="Newer", published_at=now - timedelta(days=1))
        scheduled(title="Scheduled")
        html = get(client, middle)
        [prev] = elements(html, "a", rel="prev")
        [nxt] = elements(html, "a", rel="next")
        assert prev["href"] == older.get_absolute_url()
        assert nxt["href"] == newer.get_absolute_url()
        assert not elements(get(client, newer), "a", rel="next")
        assert not elements(get(client, older), "a", rel="prev")

    def test_same_timestamp_still_orders(self, client):
        when = timezone.now() - timedelta(days=1)
        first, second = ArticleFactory(published_at=when), ArticleFactory(published_at=when)
        [nxt] = elements(get(client, first), "a", rel="next")
        assert nxt["href"] == second.get_absolute_url()


class TestRelated:
    def test_ranked_by_shared_tags_published_only_not_itself(self, client):
        article = ArticleFactory(title="Subject", tags=["a", "b", "c"])
        best = ArticleFactory(title="Shares three", tags=["a", "b", "c"])
        good = ArticleFactory(title="Shares two", tags=["a", "b"])
        ArticleFactory(title="Shares one", tags=["c"])
        ArticleFactory(title="Shares none", tags=["z"])
        draft(title="Draft shares all", tags=["a", "b", "c"])
        scheduled(title="Scheduled shares all", tags=["a", "b", "c"])
        html = get(client, article)
        start = html.index('id="related-title"')
        related = html[start : html.index("</section>", start)]
        assert (
            related.index("Shares three")
            < related.index("Shares two")
            < related.index("Shares one")
        )
        for absent in ("Shares none", "Draft shares", "Scheduled shares"):
            assert absent not in related
        assert best.get_absolute_url() in hrefs(related)
        assert good.get_absolute_url() in hrefs(related)
        assert article.get_absolute_url() not in hrefs(related)

    def test_at_most_five_and_filled_from_the_category(self, client):
        category = CategoryFactory()
        article = ArticleFactory(tags=["t"], category=category)
        for n in range(7):
            ArticleFactory(title=f"Tagged {n}", tags=["t"])
        html = get(client, article)
        start = html.index('id="related-title"')
        related = html[start : html.index("</section>", start)]
        assert related.count("<li>") == 5

        lonely = ArticleFactory(category=category)
        html = get(client, lonely)
        start = html.index('id="related-title"')
        related = html[start : html.index("</section>", start)]
        assert article.get_absolute_url() in hrefs(related)


class TestSharingAndStructuredData:
    def test_meta_description_opengraph_and_canonical(self, client, settings):
        settings.SITE_URL = "https://ink.example"
        article = ArticleFactory(title="Shared title", slug="shared", summary="A short summary.")
        html = get(client, article)
        assert meta(html, "description") == "A short summary."
        assert meta(html, "og:title") == "Shared title"
        assert meta(html, "og:type") == "article"
        assert meta(html, "og:url") == "https://ink.example/articles/shared/"
        assert meta(html, "twitter:card") == "summary_large_image"
        [canonical] = elements(html, "link", rel="canonical")
        assert canonical["href"] == "https://ink.example/articles/shared/"
        assert "<title>Shared title · " in html

    def test_description_falls_back_to_the_preview(self, client):
        article = ArticleFactory(body="The preview is this sentence.")
        assert meta(get(client, article), "description") == "The preview is this sentence."

    def test_json_ld_blog_posting(self, client):
        article = ArticleFactory(title="JSON title", tags=["x"], category=CategoryFactory(name="C"))
        html = get(client, article)
        start = html.index('<script type="application/ld+json">') + len(
            '<script type="application/ld+json">'
        )
        data = json.loads(html[start : html.index("</script>", start)])
        assert data["@type"] == "BlogPosting"
        assert data["headline"] == "JSON title"
        assert data["keywords"] == ["x"]
        assert data["articleSection"] == "C"
        assert data["inLanguage"] == "en"
        assert data["datePublished"]

    def test_article_text_cannot_break_out_of_the_script(self, client):
        hostile = "</script><script>alert(1)</script><!--"
        article = ArticleFactory(title=hostile, summary=hostile)
        html = get(client, article)
        start = html.index('<script type="application/ld+json">')
        end = html.index("</script>", start)
        assert (
            json.loads(html[start + len('<script type="application/ld+json">') : end])["headline"]
            == hostile
        )
        assert "<script>alert(1)" not in html

    def test_drafts_previewed_by_staff_are_not_indexed(self, editor_client):
        html = page_text(editor_client.get(draft().get_absolute_url()))
        assert meta(html, "robots") == "noindex, nofollow"
        assert "application/ld+json" not in html


class TestBudget:
    def test_article_page_within_budget(self, client, django_assert_max_num_queries):
        root = CategoryFactory()
        leaf = CategoryFactory(parent=CategoryFactory(parent=root))
        article = ArticleFactory(category=leaf, tags=["a", "b"], body=THREE_HEADINGS)
        for n in range(8):
            ArticleFactory(tags=["a"], category=leaf, published_at=timezone.now() - timedelta(n))
        with django_assert_max_num_queries(ARTICLE_BUDGET):
            html = get(client, article)
        assert 'id="related-title"' in html and 'rel="prev"' in html and 'rel="next"' in html

    def test_old_slug_redirects(self, client):
        article = ArticleFactory(slug="first")
        article.slug = "second"
        article.save()
        response = client.get(reverse("articles:detail", kwargs={"slug": "first"}))
        assert response.status_code == 301
        assert response["Location"] == article.get_absolute_url()

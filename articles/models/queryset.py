"""ArticleQuerySet: the one vocabulary every public path starts from."""

from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from articles.models.authors import credited, listed_coauthors
from articles.models.changes import ContentQuerySet
from articles.models.taxonomy import listed_tags
from articles.models.translations import (
    other_versions,
    story_pks,
    story_root,
    story_root_id,
    translated_pks,
    version_rank,
)
from articles.models.visibility import ArticleStatus, published_condition


class ArticleQuerySet(ContentQuerySet):
    def published(self):
        """Return the articles readers may see: published, with a date that has come."""
        return self.filter(published_condition())

    def drafts(self):
        return self.filter(status=ArticleStatus.DRAFT)

    def scheduled(self):
        """Return published articles whose date is still in the future."""
        return self.filter(status=ArticleStatus.PUBLISHED, published_at__gt=timezone.now())

    def newest_first(self):
        """Order as every listing does: newest first, the id breaking ties (an index's order)."""
        return self.order_by("-published_at", "-pk")

    def for_listing(self, *, tags=True, versions=True):
        """Shape a list query: joins, tags, bylines and other languages inline; no bodies."""
        shaped = (
            self.with_byline()
            .select_related("category")
            .defer("body", "body_html", "toc", "search_text", "math_glyphs")
            .newest_first()
        )
        if tags:
            shaped = shaped.annotate(listed_tags=listed_tags())
        if versions:
            # The card's "also in" marker: the story's other published versions.
            shaped = shaped.annotate(other_versions=other_versions(self.model.objects.published()))
        return shaped

    def one_per_story(self, language=None):
        """Keep one version of each story among these articles (docs/bilingual.md).

        The one in `language` if the story has it here, else the original, else the
        lowest id. Versions compete only within this selection, so filters narrow
        first: a translator's author page keeps the translation. In SQL: the
        versions that lose are ranked by a window over the translated articles
        alone (a small set, found through Translation), and the listing's index
        scan skips them through a hashed NOT IN; counts of the result count stories.
        """
        ranked = self.filter(pk__in=translated_pks()).annotate(
            story_place=Window(
                RowNumber(),
                partition_by=story_root(),
                order_by=[version_rank(language).asc(), F("pk").asc()],
            )
        )
        return self.exclude(pk__in=ranked.filter(story_place__gt=1).values("pk"))

    def other_stories(self, article):
        """Leave out every version of the article's story, the article included."""
        return self.exclude(pk__in=story_pks(story_root_id(article)))

    def with_byline(self):
        """Load every author with the row: the author joined, the co-authors inline."""
        return self.select_related("author").annotate(listed_coauthors=listed_coauthors())

    def by_author(self, user):
        """Return the articles `user` wrote: as their author or as one of their co-authors."""
        return self.filter(credited(user))

    def previewable_by(self, user):
        """Return what a user may open at an article URL: staff also see drafts."""
        if user.is_authenticated and user.is_staff:
            if user.has_perm("articles.publish_article"):
                return self
            return self.filter(credited(user) | Q(pk__in=self.published().values("pk")))
        return self.published()

"""Move the content generation when a series, translation or co-author link changes a page.

A series' title, description and order show on every part's page, its own page,
its feeds and the sitemap, all cached per generation (articles/caching/freshness.py).
A part that is still a draft shows nowhere, so placing it moves nothing. A
translation link shows as the language switch and hreflang links on both sides. A
co-author shows in the article's byline, feeds, JSON-LD and on their author page;
a co-author's change of name moves the generation through `user_saved` (freshness.py),
as the author's does.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from articles.caching.freshness import bump_content_generation
from articles.models import Article, ArticleAuthor, Series, SeriesPart, Translation


@receiver(post_save, sender=Series, dispatch_uid="freshness_series_saved")
@receiver(post_delete, sender=Series, dispatch_uid="freshness_series_deleted")
def series_changed(sender, instance, raw=False, using=None, **kwargs):
    if not raw:
        bump_content_generation(using)


# Co-author rows follow the same rule as series parts: a row about one article
# moves the generation when that article is published.
@receiver(post_save, sender=ArticleAuthor, dispatch_uid="freshness_coauthor_saved")
@receiver(post_delete, sender=ArticleAuthor, dispatch_uid="freshness_coauthor_deleted")
@receiver(post_save, sender=SeriesPart, dispatch_uid="freshness_series_part_saved")
@receiver(post_delete, sender=SeriesPart, dispatch_uid="freshness_series_part_deleted")
def series_part_changed(sender, instance, raw=False, using=None, **kwargs):
    published = Article.objects.using(using).filter(
        pk=instance.article_id, status=Article.Status.PUBLISHED
    )
    if not raw and published.exists():
        bump_content_generation(using)


@receiver(post_save, sender=Translation, dispatch_uid="freshness_translation_saved")
@receiver(post_delete, sender=Translation, dispatch_uid="freshness_translation_deleted")
def translation_changed(sender, instance, raw=False, using=None, **kwargs):
    published = Article.objects.using(using).filter(
        pk__in=(instance.article_id, instance.source_id), status=Article.Status.PUBLISHED
    )
    if not raw and published.exists():
        bump_content_generation(using)

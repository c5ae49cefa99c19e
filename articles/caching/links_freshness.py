"""Move the content generation when a series or a translation link changes what readers see.

A series' title, description and order show on every part's page, its own page,
its feeds and the sitemap, all cached per generation (articles/caching/token.py).
A part that is still a draft shows nowhere, so placing it moves nothing. A
translation link shows as the language switch and hreflang links on both sides.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from articles.caching.token import move_token
from articles.models import Article, Series, SeriesPart, Translation


@receiver(post_save, sender=Series, dispatch_uid="freshness_series_saved")
@receiver(post_delete, sender=Series, dispatch_uid="freshness_series_deleted")
def series_changed(sender, instance, raw=False, using=None, **kwargs):
    if not raw:
        move_token(using)


@receiver(post_save, sender=SeriesPart, dispatch_uid="freshness_series_part_saved")
@receiver(post_delete, sender=SeriesPart, dispatch_uid="freshness_series_part_deleted")
def series_part_changed(sender, instance, raw=False, using=None, **kwargs):
    published = Article.objects.using(using).filter(
        pk=instance.article_id, status=Article.Status.PUBLISHED
    )
    if not raw and published.exists():
        move_token(using)


@receiver(post_save, sender=Translation, dispatch_uid="freshness_translation_saved")
@receiver(post_delete, sender=Translation, dispatch_uid="freshness_translation_deleted")
def translation_changed(sender, instance, raw=False, using=None, **kwargs):
    published = Article.objects.using(using).filter(
        pk__in=(instance.article_id, instance.source_id), status=Article.Status.PUBLISHED
    )
    if not raw and published.exists():
        move_token(using)

"""Move the content generation when an article's sharing picture changes.

The card is drawn after the article's own save has committed (and moved the
generation), so a page cached in between would keep naming the site card;
moving it again when the card row changes puts the new og:image on the page.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from articles.caching.token import move_token
from articles.models import Article, ArticleCard


@receiver(post_save, sender=ArticleCard, dispatch_uid="freshness_card_saved")
@receiver(post_delete, sender=ArticleCard, dispatch_uid="freshness_card_deleted")
def card_changed(sender, instance, raw=False, using=None, **kwargs):
    published = Article.objects.using(using).filter(
        pk=instance.article_id, status=Article.Status.PUBLISHED
    )
    if not raw and published.exists():
        move_token(using)

"""The review queue on the admin index: drafts whose latest review step is a submission."""

from django import template

from articles.models import Article, ReviewEvent, review_state

register = template.Library()
QUEUE_LENGTH = 10


@register.simple_tag
def review_queue(user):
    """Return (count, first articles) waiting for review, for people who may decide; else None."""
    if not user.has_perm("articles.publish_article"):
        return None
    waiting = (
        Article.objects.annotate(review_state=review_state())
        .filter(review_state=ReviewEvent.Kind.SUBMITTED)
        .with_byline()
        .only("pk", "title", "author__username", "author__first_name", "author__last_name")
        .order_by("updated_at")
    )
    return waiting.count(), list(waiting[:QUEUE_LENGTH])

"""What readers may see: an article's status and the rule that combines it with its date."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


def published_condition():
    """Return what readers may see: published, with a date that has come.

    Articles and their search entries (which mirror the two fields) share it.
    """
    return Q(status=ArticleStatus.PUBLISHED, published_at__lte=timezone.now())

"""An article's sharing picture: the cover the author chose, or a card drawn from its words.

Link previews (og:image, twitter:image) show `ArticleCard.cover` when there is
one, else the generated card, else the site card (docs/media.md). The card is
drawn after the article's save commits and only when its inputs changed: the
file is named by a digest of its words, layout and palette, so an unchanged
article never draws again and a stored card never changes (long cache lifetimes).
"""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from articles.media.cards import CardText, draw_card
from articles.models.authors import join_names
from articles.models.images import process_image

CARD_FOLDER = "cards"
COVER_EXTENSIONS = ["jpg", "jpeg", "png", "gif", "webp"]


def cover_path(instance, filename):
    """Store covers under a random name: an author's file name is not ours to publish."""
    extension = PurePosixPath(filename).suffix.lower().lstrip(".") or "jpg"
    return f"covers/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class ArticleCard(models.Model):
    article = models.OneToOneField(
        "articles.Article",
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="card",
    )
    cover = models.ImageField(
        _("cover image"),
        upload_to=cover_path,
        blank=True,
        width_field="cover_width",
        height_field="cover_height",
        validators=[FileExtensionValidator(COVER_EXTENSIONS)],
        help_text=_(
            "Optional. Shown when the article is shared and at the top of the article; "
            "best at 1200 × 630 pixels or larger. Without one, a card is drawn from the "
            "title, author and category."
        ),
    )
    cover_width = models.PositiveIntegerField(null=True, editable=False)
    cover_height = models.PositiveIntegerField(null=True, editable=False)
    # The drawn card's storage name and the digest of the words it shows.
    generated = models.CharField(max_length=200, blank=True, editable=False)
    inputs = models.CharField(max_length=32, blank=True, editable=False)

    class Meta:
        verbose_name = _("cover and card")
        verbose_name_plural = _("covers and cards")

    def __str__(self):
        return str(self.article)

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        if self.cover:
            # Resized once now, so the article page only looks the variants up.
            process_image(self.cover.name)


def card_text(article):
    """Return the words an article's card shows: every author, joined in the article's language."""
    with translation.override(article.language):
        authors = join_names(person.name for person in article.byline)
    return CardText(
        title=article.title,
        site_name=settings.SITE_NAME,
        author=authors,
        category=article.category.name if article.category_id else "",
    )


def card_name(digest):
    return f"{CARD_FOLDER}/{digest[:2]}/{digest}.png"


def refresh_card(article):
    """Draw and store the article's card if its words changed; return the card row or None."""
    text = card_text(article)
    digest = text.digest()
    card = ArticleCard.objects.filter(article_id=article.pk).first()
    if card is not None and card.inputs == digest and card.generated:
        return card
    name = card_name(digest)
    if not default_storage.exists(name):
        png = draw_card(text)
        if png is None:
            return card  # No font: the site card stands in (cards.card_font logged why).
        name = default_storage.save(name, ContentFile(png))
    card, _created = ArticleCard.objects.update_or_create(
        article_id=article.pk, defaults={"generated": name, "inputs": digest}
    )
    return card

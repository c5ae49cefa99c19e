"""The picture a shared link shows: og:image and a large Twitter card (docs/media.md)."""

from django import template
from django.conf import settings
from django.core.files.storage import default_storage
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles.media.cards import HEIGHT, WIDTH
from articles.media.responsive import picture_html
from articles.models import ArticleCard, process_image

register = template.Library()

SITE_CARD = "img/site-card.png"


def absolute(url):
    """Return a media or static URL as an absolute one; storages on a CDN already are."""
    if url.startswith(("https://", "http://")):
        return url
    return settings.SITE_URL + url


def article_card(article):
    try:
        return article.card
    except ArticleCard.DoesNotExist:
        return None


@register.simple_tag
def article_cover(article):
    """Return the article's cover as a responsive picture fetched first, or nothing."""
    card = article_card(article)
    if card is None or not card.cover:
        return ""
    stored = process_image(card.cover.name)  # Made when the cover was saved; a lookup here.
    if stored is None:
        return ""
    element = picture_html(stored.picture(), {"alt": ""}, eager=True)
    return mark_safe(f'<div class="article-cover">{element}</div>')


def sharing_image(article):
    """Return (absolute URL, width, height) of the picture that stands for the article."""
    card = article_card(article)
    if card is not None and card.cover:
        return absolute(card.cover.url), card.cover_width, card.cover_height
    if card is not None and card.generated:
        return absolute(default_storage.url(card.generated)), WIDTH, HEIGHT
    return absolute(static(SITE_CARD)), WIDTH, HEIGHT


@register.simple_tag
def sharing_image_meta(article):
    """Return the og:image and twitter:card meta elements for an article page."""
    url, width, height = sharing_image(article)
    return format_html(
        '<meta property="og:image" content="{url}">\n'
        '  <meta property="og:image:width" content="{width}">\n'
        '  <meta property="og:image:height" content="{height}">\n'
        '  <meta property="og:image:alt" content="{alt}">\n'
        '  <meta name="twitter:card" content="summary_large_image">\n'
        '  <meta name="twitter:image" content="{url}">',
        url=url,
        width=width or WIDTH,
        height=height or HEIGHT,
        alt=article.title,
    )

"""Social cards: drawn for Chinese and English titles, stored once, shared by absolute URL."""

import logging
import re
from io import BytesIO, StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from PIL import Image, ImageChops

from articles.media import cards
from articles.media.cards import CardText, draw_card
from articles.models import ArticleCard, refresh_card
from tests.factories import ArticleFactory, CategoryFactory, UserFactory

ZH = CardText("注意力机制：从点积到多头注意力", "Inkstone", "王小明", "机器学习")
EN = CardText("Full-text search with PostgreSQL", "Inkstone", "Ada Lovelace", "Databases")
# The title's band on the card (between the category line and the footer rule).
TITLE_BAND = (80, 144, 1120, 440)


def decoded(png):
    image = Image.open(BytesIO(png))
    image.load()
    return image


def inked_pixels(image, box):
    """Count pixels in box that differ from a plain card background."""
    region = image.convert("RGB").crop(box)
    plain = Image.new("RGB", region.size, cards.PALETTE["bg"])
    diff = ImageChops.difference(region, plain).convert("L").point(lambda v: 255 if v > 40 else 0)
    return diff.histogram()[255]


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def no_font(settings, monkeypatch):
    settings.CARD_FONT_PATH = "/nonexistent/font.otf"
    monkeypatch.setattr(cards, "_warned", False)


@pytest.mark.parametrize("text", [ZH, EN], ids=["chinese", "english"])
def test_card_is_a_1200_by_630_png_with_the_title_drawn(text):
    image = decoded(draw_card(text))
    assert (image.format, image.size) == ("PNG", (1200, 630))
    assert inked_pixels(image, TITLE_BAND) > 5000
    untitled = decoded(draw_card(CardText("", text.site_name, text.author, text.category)))
    assert inked_pixels(untitled, TITLE_BAND) == 0


def test_chinese_characters_are_glyphs_not_boxes():
    # Missing glyphs all draw the same box; real glyphs differ character by character.
    first = decoded(draw_card(CardText("注意力机制", "Inkstone", "A", "")))
    swapped = decoded(draw_card(CardText("机制注意力", "Inkstone", "A", "")))
    assert ImageChops.difference(first, swapped).getbbox() is not None


def test_a_long_title_is_cut_above_the_footer():
    image = decoded(draw_card(CardText("很长的标题" * 60, "Inkstone", "A", "分类")))
    footer_gap = (80, 445, 1120, 480)  # between the last title line and the rule
    assert inked_pixels(image, footer_gap) == 0


def test_without_a_font_there_is_no_card_and_the_log_says_why_once(no_font, caplog):
    with caplog.at_level(logging.WARNING, logger="articles.media.cards"):
        assert draw_card(ZH) is None
        assert draw_card(EN) is None
    warnings = [r for r in caplog.records if "Social cards are off" in r.getMessage()]
    assert len(warnings) == 1
    assert "/nonexistent/font.otf" in warnings[0].getMessage()


@pytest.mark.django_db
class TestStoredCards:
    def test_drawn_after_commit_and_only_when_the_words_change(
        self, media_root, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            article = ArticleFactory(title="注意力机制", category=CategoryFactory(name="机器学习"))
        card = ArticleCard.objects.get(article=article)
        stored = list(media_root.rglob("*.png"))
        assert [path.name for path in stored] == [card.generated.rsplit("/", 1)[1]]
        mtime = stored[0].stat().st_mtime_ns
        with django_capture_on_commit_callbacks(execute=True):
            article.body = "A new body does not change the card."
            article.save()
        assert list(media_root.rglob("*.png")) == stored
        assert stored[0].stat().st_mtime_ns == mtime
        with django_capture_on_commit_callbacks(execute=True):
            article.title = "Attention"
            article.save()
        card.refresh_from_db()
        assert len(list(media_root.rglob("*.png"))) == 2
        assert card.generated.endswith(f"{card.inputs}.png")

    def test_refresh_command_redraws_after_an_author_renames(self, media_root):
        author = UserFactory(first_name="Ada", last_name="Old")
        article = ArticleFactory(author=author)
        refresh_card(article)
        before = ArticleCard.objects.get().generated
        author.last_name = "New"
        author.save()
        call_command("refresh_social_cards", stdout=StringIO())
        assert ArticleCard.objects.get().generated != before


def meta_content(html, attribute, name):
    match = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)"', html)
    return match.group(1) if match else None


@pytest.mark.django_db
class TestArticlePage:
    def test_og_image_is_an_absolute_reachable_card(self, client, settings, media_root):
        settings.SITE_URL = "https://ink.example"
        article = ArticleFactory(title="分享卡片")
        refresh_card(article)
        html = client.get(article.get_absolute_url()).content.decode()
        url = meta_content(html, "property", "og:image")
        assert url.startswith("https://ink.example/media/cards/")
        assert meta_content(html, "name", "twitter:card") == "summary_large_image"
        assert meta_content(html, "name", "twitter:image") == url
        response = client.get(url.removeprefix("https://ink.example"))
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        assert "immutable" in response["Cache-Control"]
        body = b"".join(response.streaming_content)
        assert decoded(body).size == (1200, 630)

    def test_without_a_card_the_site_card_is_shared(self, client, settings, no_font):
        settings.SITE_URL = "https://ink.example"
        article = ArticleFactory()
        refresh_card(article)
        html = client.get(article.get_absolute_url()).content.decode()
        url = meta_content(html, "property", "og:image")
        assert url.startswith("https://ink.example/static/img/site-card")
        assert meta_content(html, "name", "twitter:card") == "summary_large_image"
        assert client.get(url.removeprefix("https://ink.example")).status_code == 200

    def test_a_chosen_cover_wins(self, client, settings, media_root):
        settings.SITE_URL = "https://ink.example"
        article = ArticleFactory()
        buffer = BytesIO()
        Image.new("RGB", (1600, 900), "teal").save(buffer, "JPEG")
        card = ArticleCard(article=article)
        card.cover.save("holiday.jpg", ContentFile(buffer.getvalue()), save=True)
        html = client.get(article.get_absolute_url()).content.decode()
        url = meta_content(html, "property", "og:image")
        assert re.fullmatch(r"https://ink\.example/media/covers/\d{4}/\d{2}/[0-9a-f]{32}\.jpg", url)
        assert meta_content(html, "property", "og:image:width") == "1600"
        # The cover heads the article, fetched before anything else, in the right shape.
        cover = re.search(r'<div class="article-cover">.*?</div>', html, re.S).group(0)
        assert 'fetchpriority="high"' in cover and 'loading="lazy"' not in cover
        assert 'width="1600" height="900"' in cover

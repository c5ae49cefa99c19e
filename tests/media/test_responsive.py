"""Images in article bodies: responsive pictures, figures, links to the full size."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image, features

from articles.models import StoredImage, responsive_body
from articles.rendering.pipeline import render_article
from tests.factories import ArticleFactory
from tests.media.images import has_gps, opened, photo


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored(name, data):
    return "/media/" + default_storage.save(name, ContentFile(data))


def img_attributes(html):
    [tag] = re.findall(r"<img\b[^>]*>", html)
    return dict(re.findall(r'([\w-]+)="([^"]*)"', tag))


def test_a_titled_image_alone_in_a_paragraph_is_a_figure():
    html = render_article('![A cat](/media/cat.png "Our cat, asleep")').html
    assert html.startswith("<figure><img")
    assert "<figcaption>Our cat, asleep</figcaption></figure>" in html
    assert 'title="' not in html
    inline = render_article('Look: ![A cat](/media/cat.png "Our cat") here').html
    assert "<figure>" not in inline and 'title="Our cat"' in inline


@pytest.mark.django_db
class TestArticleBodies:
    def test_an_image_in_storage_becomes_a_linked_responsive_picture(self, media_root):
        src = stored("imports/ab/photo.jpg", photo())
        article = ArticleFactory(body=f'Intro.\n\n![A photo]({src} "Taken in Paris")\n')
        html = article.body_html
        attrs = img_attributes(html)
        assert (attrs["width"], attrs["height"]) == ("1500", "2000")
        assert attrs["alt"] == "A photo" and attrs["loading"] == "lazy"
        assert attrs["sizes"].startswith("(min-width: 44rem)")
        widths = [int(w) for w in re.findall(r" (\d+)w", attrs["srcset"])]
        assert widths == [480, 960, 1500]
        assert '<source type="image/webp"' in html
        assert ('<source type="image/avif"' in html) == features.check("avif")
        assert "<figcaption>Taken in Paris</figcaption>" in html
        link = re.search(r'<a class="image-link" href="([^"]+)"><picture>', html).group(1)
        assert link.endswith("/full.jpg")
        # Every picture the page names is stored, upright, and free of GPS.
        for url in {link, *re.findall(r"(/media/variants/[^\s\",]+)", html)}:
            with default_storage.open(url.removeprefix("/media/")) as file:
                data = file.read()
            assert not has_gps(data)
            assert opened(data).height > opened(data).width

    def test_variants_are_made_once_not_on_every_save(self, media_root):
        src = stored("imports/ab/photo.jpg", photo(size=(800, 600), rotated=False))
        article = ArticleFactory(body=f"![x]({src})")
        files = sorted(media_root.rglob("*"))
        article.body += "\n\nMore text."
        article.save()
        assert sorted(media_root.rglob("*")) == files
        assert StoredImage.objects.count() == 1

    def test_an_image_inside_a_link_gets_no_second_link(self, media_root):
        src = stored("uploads/p.png", photo(size=(600, 400), fmt="PNG", rotated=False))
        html = ArticleFactory(body=f"[![x]({src})](https://example.com/)").body_html
        assert "<picture>" in html and 'class="image-link"' not in html

    @pytest.mark.parametrize(
        "src",
        [
            "/media/uploads/missing.png",
            "https://elsewhere.example/cat.png",
            "/media/../settings.py",
        ],
    )
    def test_images_we_do_not_hold_are_left_alone(self, media_root, src):
        article = ArticleFactory(body=f"![x]({src})")
        assert "<picture>" not in article.body_html
        assert not StoredImage.objects.exists()

    def test_a_static_image_keeps_its_file_and_gains_its_size(self, media_root):
        article = ArticleFactory(body="![Heat map](/static/demo/attention-heatmap.png)")
        (img,) = re.findall(r"<img[^>]*>", article.body_html)
        with Image.open(Path(settings.BASE_DIR) / "static/demo/attention-heatmap.png") as image:
            width, height = image.size
        assert f'width="{width}"' in img and f'height="{height}"' in img
        assert 'src="/static/demo/attention-heatmap.png"' in img
        assert "<picture>" not in article.body_html

    @pytest.mark.parametrize("src", ["/static/no-such.png", "/static/css/site.css"])
    def test_a_static_file_that_is_no_image_gets_no_size(self, media_root, src):
        article = ArticleFactory(body=f"![x]({src})")
        assert "width=" not in article.body_html

    def test_a_file_that_is_not_an_image_is_left_alone(self, media_root):
        src = stored("imports/x/fake.png", b"<svg onload=alert(1)></svg>")
        article = ArticleFactory(body=f"![x]({src})")
        assert "<picture>" not in article.body_html and src in article.body_html

    def test_a_body_without_images_costs_no_query(self, django_assert_num_queries):
        html = render_article("Text only, no pictures.").html
        with django_assert_num_queries(0):
            assert responsive_body(html) == html


@pytest.mark.django_db
def test_upload_stores_a_clean_original_and_its_variants(author_client, media_root):
    upload = ContentFile(photo(), name="holiday.jpg")
    response = author_client.post(reverse("markdownx_upload"), {"image": upload})
    assert response.status_code == 200
    url = re.search(r"\((/media/[^)]+)\)", response.json()["image_code"]).group(1)
    with default_storage.open(url.removeprefix("/media/")) as file:
        original = file.read()
    assert not has_gps(original)
    assert opened(original).size == (1500, 2000)
    row = StoredImage.objects.get(name=url.removeprefix("/media/"))
    assert (row.width, row.height) == (1500, 2000)
    assert len(list(media_root.rglob("variants/**/*.*"))) >= 7


@pytest.mark.django_db
def test_variants_are_served_with_their_type_and_a_long_lifetime(client, media_root):
    src = stored("imports/ab/photo.jpg", photo(size=(800, 600), rotated=False))
    html = ArticleFactory(body=f"![x]({src})").body_html
    for url in set(re.findall(r"(/media/variants/[^\s\",]+)", html)):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == {"avif": "image/avif", "webp": "image/webp"}.get(
            url.rsplit(".", 1)[1], "image/jpeg"
        )
        assert "immutable" in response["Cache-Control"]

import json
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

pytestmark = pytest.mark.django_db

UPLOAD_URL = reverse("markdownx_upload")
MARKDOWNIFY_URL = reverse("markdownx_markdownify")


def image_file(fmt="PNG", size=(40, 30), name="diagram.png", content_type="image/png"):
    buffer = BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


def upload(client, file):
    return client.post(UPLOAD_URL, {"image": file}, headers={"x-requested-with": "XMLHttpRequest"})


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_staff_upload_a_png_under_a_random_name(author_client, media_root):
    response = upload(author_client, image_file())
    assert response.status_code == 200
    code = json.loads(response.content)["image_code"]
    assert code.startswith("![](/media/uploads/")
    assert "diagram" not in code
    stored = list(media_root.rglob("*.png"))
    assert len(stored) == 1
    assert len(stored[0].stem) == 32


def test_extension_follows_the_decoded_format_not_the_name(author_client, media_root):
    response = upload(author_client, image_file("JPEG", name="photo.png"))
    assert response.status_code == 200
    assert [p.suffix for p in media_root.rglob("*.*")] == [".jpg"]


def test_anonymous_upload_is_refused(client, media_root):
    response = upload(client, image_file())
    assert response.status_code == 302
    assert not list(media_root.rglob("*.*"))


def test_svg_is_refused(author_client, media_root):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    response = upload(author_client, SimpleUploadedFile("x.svg", svg, "image/svg+xml"))
    assert response.status_code == 400
    assert not list(media_root.rglob("*.*"))


def test_a_renamed_non_image_is_refused(author_client, media_root):
    fake = SimpleUploadedFile("evil.png", b"<?php echo 1; ?>", content_type="image/png")
    response = upload(author_client, fake)
    assert response.status_code == 400
    assert "image" in json.loads(response.content)


def test_truncated_image_is_refused(author_client):
    data = image_file().read()[:60]
    response = upload(author_client, SimpleUploadedFile("cut.png", data, "image/png"))
    assert response.status_code == 400


def test_size_limit(author_client, settings):
    settings.MAX_UPLOAD_BYTES = 100
    response = upload(author_client, image_file(size=(200, 200)))
    assert response.status_code == 400
    assert "limit" in json.loads(response.content)["image"][0]


def test_pixel_limit(author_client, settings):
    settings.MAX_UPLOAD_PIXELS = 1000
    response = upload(author_client, image_file(size=(100, 100)))
    assert response.status_code == 400


def test_preview_renders_through_the_site_renderer(author_client):
    response = author_client.post(MARKDOWNIFY_URL, {"content": "**bold** <script>x</script>"})
    assert response.status_code == 200
    assert "<strong>bold</strong>" in response.content.decode()
    assert "<script" not in response.content.decode()


def test_preview_is_staff_only(client):
    assert client.post(MARKDOWNIFY_URL, {"content": "x"}).status_code == 302


def animation(fmt, frames, size=(200, 200)):
    """Return an animated image of `frames` distinct frames in `fmt`."""
    buffer = BytesIO()
    images = [Image.new("RGB", size, (frame * 7 % 256, 30, 90)) for frame in range(frames)]
    images[0].save(buffer, fmt, save_all=True, append_images=images[1:], duration=40, loop=0)
    return buffer.getvalue()


@pytest.mark.parametrize("fmt, extension", [("GIF", "gif"), ("PNG", "png"), ("WEBP", "webp")])
def test_pixel_limit_counts_every_frame_of_an_animation(author_client, settings, fmt, extension):
    # Each frame is 40,000 pixels: two fit under the limit, five do not.
    settings.MAX_UPLOAD_PIXELS = 100_000
    name = f"anim.{extension}"
    accepted = upload(author_client, SimpleUploadedFile(name, animation(fmt, 2)))
    assert accepted.status_code == 200, accepted.content
    refused = upload(author_client, SimpleUploadedFile(name, animation(fmt, 5)))
    assert refused.status_code == 400
    assert "animation has too many pixels" in refused.content.decode()

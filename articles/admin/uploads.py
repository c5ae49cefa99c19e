"""The editor's endpoints: live preview and image upload, for staff only.

markdownx ships open views; these replace them so anonymous visitors can
neither upload files nor use the renderer, and so every upload is proven to be
a raster image by decoding it, not by trusting its name or content type.
"""

import uuid
from io import BytesIO

from django import forms
from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from PIL import Image, UnidentifiedImageError

from articles.rendering.pipeline import markdownify

# Pillow format name → file extension. No SVG: it can carry script.
ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}


def frames_within(image, limit):
    """Return how many frames an image has, or None once all frames hold over `limit` pixels.

    Browsers decode every frame of an animated GIF, WebP or PNG, so the pixel
    limit counts them all: 150 frames of 2000 × 2000 are 600 million pixels in a
    small file. Frames are counted by seeking, which stops as soon as the limit
    is passed, so a hostile file costs at most the limit to examine.
    """
    width, height = image.size
    frames, total = 1, width * height
    if not getattr(image, "is_animated", False):
        return frames
    while True:
        try:
            image.seek(frames)
        except EOFError:
            return frames
        frames += 1
        total += width * height
        if total > limit:
            return None


class ImageUploadForm(forms.Form):
    image = forms.FileField()

    def clean_image(self):
        upload = self.cleaned_data["image"]
        if upload.size > settings.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The image is %(size)s KB; the limit is %(limit)s KB."),
                params={
                    "size": upload.size // 1024,
                    "limit": settings.MAX_UPLOAD_BYTES // 1024,
                },
            )
        data = upload.read()
        try:
            with Image.open(BytesIO(data)) as probe:
                image_format = probe.format
                width, height = probe.size
                if width * height > settings.MAX_UPLOAD_PIXELS:
                    raise forms.ValidationError(
                        _("The image has too many pixels (%(w)s × %(h)s)."),
                        params={"w": width, "h": height},
                    )
                probe.verify()
            # verify() leaves the image unusable; a full decode catches truncated data.
            with Image.open(BytesIO(data)) as image:
                frames = frames_within(image, settings.MAX_UPLOAD_PIXELS)
                if frames is None:
                    raise forms.ValidationError(
                        _(
                            "The animation has too many pixels: %(w)s × %(h)s in every frame, "
                            "%(limit)s pixels in all at most."
                        ),
                        params={"w": width, "h": height, "limit": settings.MAX_UPLOAD_PIXELS},
                    )
                image.seek(0)
                image.load()
        except (
            UnidentifiedImageError,
            OSError,
            SyntaxError,
            ValueError,
            Image.DecompressionBombError,
        ):
            raise forms.ValidationError(_("This file is not a readable image.")) from None
        if image_format not in ALLOWED_FORMATS:
            raise forms.ValidationError(
                _("Upload a JPEG, PNG, GIF or WebP image."), code="image_format"
            )
        return ContentFile(data, name=f"{uuid.uuid4().hex}.{ALLOWED_FORMATS[image_format]}")

    def save(self):
        """Store the image under a random name and return its URL."""
        image = self.cleaned_data["image"]
        folder = f"{settings.MARKDOWNX_MEDIA_PATH}{timezone.now():%Y/%m}/"
        name = default_storage.save(folder + image.name, image)
        return default_storage.url(name)


@staff_member_required
@require_POST
def image_upload_view(request):
    form = ImageUploadForm(files=request.FILES)
    if not form.is_valid():
        return JsonResponse(form.errors, status=400)
    return JsonResponse({"image_code": f"![]({form.save()})"})


@staff_member_required
@require_POST
def markdownify_view(request):
    content = request.POST.get("content", "")
    limit = settings.MAX_BODY_CHARS
    if len(content) > limit:
        # Saving would be refused anyway; rendering it first would only cost seconds
        # of CPU. markdownx shows any answer in the preview pane, so say why there.
        message = format_html(
            '<p class="preview-refused">{}</p>',
            _("No preview: the article is {length} characters long; the limit is {limit}.").format(
                length=f"{len(content):,}", limit=f"{limit:,}"
            ),
        )
        return HttpResponse(message, status=413)
    return HttpResponse(markdownify(content))

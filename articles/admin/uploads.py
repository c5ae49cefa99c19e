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
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from PIL import Image, UnidentifiedImageError

from articles.media.variants import without_metadata
from articles.models import process_image
from articles.rendering.pipeline import markdownify

# Pillow format name → file extension. No SVG: it can carry script.
ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}


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
        # Upright, and without EXIF (a phone photo's GPS position) even in the original.
        clean = without_metadata(data)
        return ContentFile(clean, name=f"{uuid.uuid4().hex}.{ALLOWED_FORMATS[image_format]}")

    def save(self):
        """Store the image under a random name, make its resized variants, return its URL."""
        image = self.cleaned_data["image"]
        folder = f"{settings.MARKDOWNX_MEDIA_PATH}{timezone.now():%Y/%m}/"
        name = default_storage.save(folder + image.name, image)
        process_image(name)
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
    return HttpResponse(markdownify(request.POST.get("content", "")))

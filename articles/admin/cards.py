"""The cover image box on the article's edit page (docs/media.md)."""

from io import BytesIO

from django import forms
from django.contrib import admin
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image

from articles.admin.inlines import OptionalInlineFormSet
from articles.admin.uploads import ALLOWED_FORMATS
from articles.media.variants import without_metadata
from articles.models import ArticleCard


class ArticleCardForm(forms.ModelForm):
    class Meta:
        model = ArticleCard
        fields = ("cover",)

    def clean_cover(self):
        cover = self.cleaned_data.get("cover")
        if not cover or not hasattr(cover, "content_type"):
            return cover  # Unchanged or cleared.
        data = cover.read()
        # ImageField has decoded it already; the name's extension follows the real format.
        with Image.open(BytesIO(data)) as probe:
            image_format = probe.format
        if image_format not in ALLOWED_FORMATS:
            raise forms.ValidationError(_("Upload a JPEG, PNG, GIF or WebP image."))
        # Upright and without EXIF (a phone photo's GPS position).
        return ContentFile(without_metadata(data), name=f"cover.{ALLOWED_FORMATS[image_format]}")


class ArticleCardInline(admin.StackedInline):
    model = ArticleCard
    form = ArticleCardForm
    formset = OptionalInlineFormSet
    extra = 0
    max_num = 1
    verbose_name = _("cover image")
    verbose_name_plural = _("cover image")

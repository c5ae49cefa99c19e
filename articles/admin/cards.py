"""The cover image box on the article's edit page (docs/media.md)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from articles.admin.inlines import OptionalInlineFormSet
from articles.models import ArticleCard


class ArticleCardInline(admin.StackedInline):
    model = ArticleCard
    formset = OptionalInlineFormSet
    fields = ("cover",)
    extra = 0
    max_num = 1
    verbose_name = _("cover image")
    verbose_name_plural = _("cover image")

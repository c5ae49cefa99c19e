"""Series in the admin: editors manage series and their order; authors place their drafts.

An article's own edit page has a "Series" box (SeriesPartInline), so an author
puts a draft into a series where they write it; whether they may edit that
article at all is ArticleAdmin's rule (articles/admin/site.py). The series
itself (title, description, order of every part) is editors' work.
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from articles.admin.inlines import OptionalInlineFormSet
from articles.models import Series, SeriesPart


class SeriesPartForm(forms.ModelForm):
    class Meta:
        model = SeriesPart
        fields = ("series", "position")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left blank, the article goes after the series' last part.
        self.fields["position"].required = False

    def clean(self):
        cleaned = super().clean()
        series = cleaned.get("series")
        if series is not None and cleaned.get("position") is None:
            cleaned["position"] = series.next_position()
            self.instance.position = cleaned["position"]
        return cleaned


class SeriesPartInline(admin.TabularInline):
    """The series an article belongs to, on the article's edit page."""

    model = SeriesPart
    form = SeriesPartForm
    formset = OptionalInlineFormSet
    extra = 0
    max_num = 1
    verbose_name = _("series")
    verbose_name_plural = _("series")


class SeriesArticleInline(admin.TabularInline):
    """The parts of a series, in order, on the series' edit page."""

    model = SeriesPart
    fields = ("position", "article", "status")
    readonly_fields = ("status",)
    raw_id_fields = ("article",)
    extra = 0
    ordering = ("position",)

    @admin.display(description=_("status"))
    def status(self, part):
        article = part.article
        if article.is_scheduled:
            return _("Scheduled")
        return article.get_status_display()


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "updated_at")
    search_fields = ("title", "slug", "description")
    inlines = (SeriesArticleInline,)

"""Translations in the admin: link an article to its source; see when it fell behind.

The article list has a "translation" column ("may be out of date"), and a
translation's edit page shows the same warning with a diff of what changed in
the source since the translation was last edited (docs/bilingual.md).
"""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from articles.admin.inlines import OptionalInlineFormSet
from articles.models import Translation

OUTDATED = _("Translation may be out of date")


class TranslationInline(admin.StackedInline):
    model = Translation
    fk_name = "article"
    formset = OptionalInlineFormSet
    fields = ("source", "show_notice", "freshness")
    readonly_fields = ("freshness",)
    raw_id_fields = ("source",)
    extra = 0
    max_num = 1
    verbose_name = _("translation of")
    verbose_name_plural = _("translation of")

    @admin.display(description=_("up to date?"))
    def freshness(self, link):
        if not link.pk:
            return "—"
        if not link.is_outdated:
            return _("Up to date with the source.")
        return format_html(
            '<strong class="translation-outdated">{}</strong>'
            '<p>{}</p><pre class="translation-diff">{}</pre>',
            OUTDATED,
            _("What changed in the source since this translation was last edited:"),
            link.source_diff(),
        )


def translation_state(article):
    """Return the admin list's note for an article: out of date, a translation, or nothing."""
    try:
        link = article.translation_of
    except Translation.DoesNotExist:
        return ""
    if link.is_outdated:
        return format_html('<strong class="translation-outdated">{}</strong>', OUTDATED)
    return _("Translation")

"""The site bibliography in the admin; saving it re-renders the articles that cite it."""

from django.contrib import admin, messages
from django.db.models import Q
from django.utils.translation import ngettext

from articles.models import Article, Bibliography
from articles.rendering.citations import parse_bibliography


def articles_citing(keys):
    """Return the articles whose Markdown mentions any of these citation keys."""
    condition = Q()
    for key in keys:
        condition |= Q(body__contains=f"@{key}")
    return Article.objects.filter(condition) if keys else Article.objects.none()


@admin.register(Bibliography)
class BibliographyAdmin(admin.ModelAdmin):
    list_display = ("name", "entry_count", "updated_at")
    search_fields = ("name", "bibtex")

    @admin.display(description="entries")
    def entry_count(self, bibliography):
        return len(parse_bibliography(bibliography.bibtex)[0])

    def save_model(self, request, obj, form, change):
        before = set()
        if change:
            old = Bibliography.objects.filter(pk=obj.pk).values_list("bibtex", flat=True).first()
            before = set(parse_bibliography(old or "")[0])
        super().save_model(request, obj, form, change)
        entries, problems = parse_bibliography(obj.bibtex)
        for problem in problems:
            messages.warning(request, problem)
        citing = list(articles_citing(sorted(before | set(entries))))
        for article in citing:
            article.save()
        if citing:
            messages.info(
                request,
                ngettext(
                    "%(count)d article citing it was re-rendered.",
                    "%(count)d articles citing it were re-rendered.",
                    len(citing),
                )
                % {"count": len(citing)},
            )

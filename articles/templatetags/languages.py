"""The "also in" marker on a listing card: the story's other languages (docs/bilingual.md)."""

from django import template
from django.urls import reverse

from articles.views.translations import LANGUAGE_ORDER, NATIVE_NAMES, hreflang

register = template.Library()


@register.inclusion_tag("includes/other_versions.html")
def other_versions(article):
    """Link the other published versions for_listing() loaded with the article; no query."""
    order = {code: index for index, code in enumerate(LANGUAGE_ORDER)}
    rows = sorted(
        getattr(article, "other_versions", None) or [],
        key=lambda row: (order.get(row["language"], len(order)), row["language"]),
    )
    return {
        "versions": [
            {
                "url": reverse("articles:detail", kwargs={"slug": row["slug"]}),
                "language": row["language"],
                "hreflang": hreflang(row["language"]),
                "name": NATIVE_NAMES.get(row["language"], row["language"]),
            }
            for row in rows
        ]
    }

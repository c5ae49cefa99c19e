"""The site's bibliography: BibTeX that every article's citations may draw on."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BibliographyQuerySet(models.QuerySet):
    def combined_bibtex(self):
        """Return every bibliography's BibTeX as one text, oldest first."""
        return "\n\n".join(self.order_by("pk").values_list("bibtex", flat=True))


class Bibliography(models.Model):
    """A named set of BibTeX entries; an article's own ```bibtex block wins on a clash."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    bibtex = models.TextField(
        _("BibTeX"),
        blank=True,
        help_text=_(
            "BibTeX entries (@article{key, …}) that articles cite with [@key] or @key. "
            "Saving re-renders the articles that cite a key defined here."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = BibliographyQuerySet.as_manager()

    class Meta:
        verbose_name = _("bibliography")
        verbose_name_plural = _("bibliographies")

    def __str__(self):
        return self.name

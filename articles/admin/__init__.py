"""The authors' and editors' desk: model admins, revision history, image uploads.

Django's admin autodiscovery imports `articles.admin`; importing `site` registers
the model admins.
"""

from articles.admin import bibliography, site, tags  # noqa: F401

"""Which language a reader's page speaks (docs/bilingual.md).

A page about content in one language (an article, a series whose parts share a
language) speaks that language, unless the reader chose one: the language
cookie set by the switch. Accept-Language alone is not a choice, so a Chinese
article reads "目录" to an English browser, as the author wrote it to be read.
"""

from django.conf import settings
from django.utils import translation


def speak_content_language(request, language):
    """Activate `language` for this request unless the reader chose an interface language."""
    if not language or settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
        return
    translation.activate(language)
    request.LANGUAGE_CODE = language

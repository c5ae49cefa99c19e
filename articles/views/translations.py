"""One story in several languages on the reader's site (docs/bilingual.md).

The language switch and the hreflang links list the published versions of the
article's story; per-language listings live under /lang/<code>/, beside the
unfiltered ones, so no existing URL changes meaning.
"""

from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from articles.models import Article, Translation, story_versions
from articles.models.translations import story_root_id
from articles.views.listings import ArticleListView
from articles.views.queries import LINK_FIELDS

# Each language named in itself, as a language switch should.
NATIVE_NAMES = {"en": "English", "zh-hans": "简体中文"}
LANGUAGE_ORDER = [code for code, _name in settings.LANGUAGES]


def hreflang(code):
    """Return a language code as BCP 47 writes it: zh-hans → zh-Hans."""
    parts = code.split("-")
    return "-".join([parts[0]] + [part.title() if len(part) == 4 else part for part in parts[1:]])


def language_versions(article):
    """Return the story's published versions (and the article itself), one per language.

    Empty for an article in no story. The article page loads the translation
    link and whether it has translations in its own query, so that case is free.
    """
    root = story_root_id(article)
    if root == article.pk and not getattr(article, "has_translations", True):
        return []
    versions = list(
        story_versions(article, Article.objects.published()).only(*LINK_FIELDS, "language")
    )
    if article.pk not in {version.pk for version in versions}:
        versions.append(article)  # A staff preview of an unpublished version.
    if len(versions) < 2:
        return []
    order = {code: index for index, code in enumerate(LANGUAGE_ORDER)}
    versions.sort(key=lambda version: (order.get(version.language, len(order)), version.pk))
    for version in versions:
        version.is_current = version.pk == article.pk
        version.is_source = version.pk == root
        version.hreflang = hreflang(version.language)
        version.native_name = NATIVE_NAMES.get(version.language, version.language)
    # x-default, for readers in no listed language: the original, else the first.
    default = next((version for version in versions if version.is_source), versions[0])
    for version in versions:
        version.is_default = version is default
    return versions


def outdated_notice(article):
    """Return the source when readers should hear the translation may be out of date."""
    try:
        link = article.translation_of
    except Translation.DoesNotExist:
        return None
    if not link.show_notice:
        return None
    source = Article.objects.published().filter(pk=link.source_id).only(*LINK_FIELDS).first()
    changed = (
        Article.objects.filter(pk=link.source_id, content_updated_at__gt=link.synced_at).exists()
        if link.synced_at
        else False
    )
    return source if source is not None and changed else None


def choose_language(request, language):
    """Remember the reader's interface language in Django's language cookie; go back.

    A plain link, so it works without JavaScript or a form (and keeps pages free
    of CSRF cookies, which would keep them out of the page cache).
    """
    if language not in LANGUAGE_ORDER:
        raise Http404("No such language.")
    back = request.headers.get("referer", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("articles:home")
    response = HttpResponseRedirect(back)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE or 365 * 24 * 60 * 60,
        samesite="Lax",
        secure=request.is_secure(),
    )
    add_never_cache_headers(response)
    return response


class LanguageArticleListView(ArticleListView):
    """The latest published articles in one language: /lang/<code>/."""

    template_name = "articles/language_list.html"

    def dispatch(self, request, *args, **kwargs):
        if kwargs["language"] not in LANGUAGE_ORDER:
            raise Http404("No such language.")
        return super().dispatch(request, *args, **kwargs)

    def narrow(self, articles):
        return articles.filter(language=self.kwargs["language"])

    def story_language(self):
        return self.kwargs["language"]

    def get_page_title(self):
        return _("Articles in %(language)s") % {
            "language": NATIVE_NAMES.get(self.kwargs["language"], self.kwargs["language"])
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(listing_language=self.kwargs["language"], **kwargs)

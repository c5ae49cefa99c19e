"""Canonical URLs, sharing metadata and JSON-LD for search engines."""

import json

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.encoding import escape_uri_path, iri_to_uri
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

# OpenGraph wants language_TERRITORY; these are the territories readers expect.
OG_LOCALES = {"en": "en_US", "zh-hans": "zh_CN"}

# Inside <script>, only these characters can end the element or open a comment;
# JSON allows them escaped, as Django's json_script does.
SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.simple_tag
def absolute_url(path):
    """Return SITE_URL joined to a path that reverse() or get_absolute_url() produced."""
    return settings.SITE_URL + iri_to_uri(path)


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """Return this page's absolute URL: no query string, except ?page=N beyond the first."""
    request = context.get("request")
    if request is None:
        return settings.SITE_URL + "/"
    url = settings.SITE_URL + escape_uri_path(request.path)
    page = context.get("page_obj")
    if page is not None and page.number > 1:
        url += f"?page={page.number}"
    return url


@register.filter
def og_locale(language_code):
    """Return the OpenGraph locale for a language code."""
    return OG_LOCALES.get(str(language_code).lower(), str(language_code).replace("-", "_"))


def script_json(data):
    """Serialize data for a <script> element: nothing inside can close it."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return mark_safe(text.translate(SCRIPT_ESCAPES))


def blog_posting(article, *, tags, description, modified, series=None):
    url = absolute_url(article.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": article.title,
        "description": description,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "inLanguage": article.language,
        "datePublished": article.published_at,
        "dateModified": modified or article.published_at,
        # Always a list, in byline order: schema.org allows several, and one shape
        # is simpler for anyone reading it than "object or array".
        "author": [
            {"@type": "Person", "name": person.name, "url": absolute_url(person.url)}
            for person in article.byline
        ],
        "publisher": {
            "@type": "Organization",
            "name": settings.SITE_NAME,
            "url": settings.SITE_URL + "/",
        },
        "wordCount": article.word_count,
        "keywords": [tag.name for tag in tags],
    }
    if article.category is not None:
        data["articleSection"] = article.category.name
    if series:
        data["isPartOf"] = {
            "@type": "CreativeWorkSeries",
            "name": series.title,
            "url": absolute_url(series.get_absolute_url()),
        }
    return {key: value for key, value in data.items() if value not in (None, "", [])}


@register.simple_tag
def article_json_ld(article, *, tags, description="", modified=None, series=None):
    """Return a <script type="application/ld+json"> element describing the article."""
    data = blog_posting(
        article,
        tags=tags,
        description=description,
        modified=modified,
        series=series,
    )
    return format_html('<script type="application/ld+json">{}</script>', script_json(data))

"""The data: articles, categories, tags, redirects, search entries, delivery bookkeeping."""

from articles.models.article import (
    Article,
    ArticleQuerySet,
    SlugRedirect,
    default_language,
    published_condition,
    validate_body_length,
)
from articles.models.bibliography import Bibliography, BibliographyQuerySet
from articles.models.delivery import ContentGeneration, WebSubPing
from articles.models.search import SearchEntry, SearchEntryQuerySet
from articles.models.taxonomy import Category, TaggedArticle, TagLink, listed_tags

__all__ = [
    "Article",
    "ArticleQuerySet",
    "Bibliography",
    "BibliographyQuerySet",
    "Category",
    "ContentGeneration",
    "SearchEntry",
    "SearchEntryQuerySet",
    "SlugRedirect",
    "TagLink",
    "TaggedArticle",
    "WebSubPing",
    "default_language",
    "listed_tags",
    "published_condition",
    "validate_body_length",
]

"""The data: articles, taxonomy, redirects, search entries, comments, delivery bookkeeping."""

from articles.models.article import (
    Article,
    ArticleQuerySet,
    SlugRedirect,
    default_language,
    published_condition,
    validate_body_length,
)
from articles.models.bibliography import Bibliography, BibliographyQuerySet
from articles.models.comments import (
    BlockedTerm,
    ClosedDiscussion,
    Comment,
    CommentMail,
    CommentPolicy,
    CommentStatus,
)
from articles.models.delivery import ContentGeneration, WebSubPing
from articles.models.desk import ArticleAutosave, PreviewLink, ReviewEvent, review_state
from articles.models.search import SearchEntry, SearchEntryQuerySet
from articles.models.taxonomy import Category, TaggedArticle, TagLink, listed_tags

__all__ = [
    "Article",
    "ArticleAutosave",
    "ArticleQuerySet",
    "Bibliography",
    "BibliographyQuerySet",
    "BlockedTerm",
    "Category",
    "ClosedDiscussion",
    "Comment",
    "CommentMail",
    "CommentPolicy",
    "CommentStatus",
    "ContentGeneration",
    "PreviewLink",
    "ReviewEvent",
    "SearchEntry",
    "SearchEntryQuerySet",
    "SlugRedirect",
    "TagLink",
    "TaggedArticle",
    "WebSubPing",
    "default_language",
    "listed_tags",
    "published_condition",
    "review_state",
    "validate_body_length",
]

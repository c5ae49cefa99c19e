"""The data: articles and their authors, series, taxonomy, redirects, search, comments."""

from articles.models.article import (
    Article,
    SlugRedirect,
    default_language,
    validate_body_length,
)
from articles.models.authors import (
    ArticleAuthor,
    AuthorLink,
    credited,
    join_names,
    listed_coauthors,
)
from articles.models.bibliography import Bibliography, BibliographyQuerySet
from articles.models.cards import ArticleCard, refresh_card
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
from articles.models.images import StoredImage, process_image, responsive_body
from articles.models.queryset import ArticleQuerySet
from articles.models.search import SearchEntry, SearchEntryQuerySet
from articles.models.series import Series, SeriesPart, SeriesQuerySet
from articles.models.taxonomy import Category, TaggedArticle, TagLink, listed_tags
from articles.models.translations import (
    Translation,
    has_translations,
    story_versions,
    sync_translation,
)
from articles.models.visibility import published_condition

__all__ = [
    "Article",
    "ArticleAuthor",
    "ArticleAutosave",
    "ArticleCard",
    "ArticleQuerySet",
    "AuthorLink",
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
    "Series",
    "SeriesPart",
    "SeriesQuerySet",
    "SlugRedirect",
    "StoredImage",
    "TagLink",
    "TaggedArticle",
    "Translation",
    "WebSubPing",
    "credited",
    "default_language",
    "has_translations",
    "join_names",
    "listed_coauthors",
    "listed_tags",
    "process_image",
    "published_condition",
    "refresh_card",
    "responsive_body",
    "review_state",
    "story_versions",
    "sync_translation",
    "validate_body_length",
]

"""The narrow search table: vectors and visibility of each article."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import connection, models
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from articles.models.visibility import ArticleStatus, published_condition
from articles.search.documents import PAIR_CONFIG, SEARCH_CONFIG

_WRITE_SQL = """
WITH d AS (
    SELECT
        d.pk,
        setweight(to_tsvector(%(config)s::regconfig, d.title), 'A') AS title,
        setweight(to_tsvector(%(config)s::regconfig, d.keywords), 'B') AS keywords,
        d.summary, d.body, d.headline_text, d.pairs
    FROM unnest(
        %(pks)s::bigint[], %(titles)s::text[], %(keywords)s::text[],
        %(summaries)s::text[], %(bodies)s::text[], %(headline_texts)s::text[],
        %(pairs)s::text[]
    ) AS d(pk, title, keywords, summary, body, headline_text, pairs)
), article AS (
    UPDATE {article} AS a SET search_text = d.headline_text
    FROM d
    WHERE a.{article_pk} = d.pk
    RETURNING a.{article_pk} AS pk, a.status, a.published_at
)
INSERT INTO {entry} (article_id, status, published_at, title, head, vector)
SELECT
    d.pk, article.status, article.published_at, d.title, d.title || d.keywords,
    d.title || d.keywords
        || setweight(to_tsvector(%(config)s::regconfig, d.summary), 'C')
        || setweight(to_tsvector(%(config)s::regconfig, d.body), 'D')
        || setweight(to_tsvector(%(pair_config)s::regconfig, d.pairs), 'D')
FROM d JOIN article ON article.pk = d.pk
ON CONFLICT (article_id) DO UPDATE SET
    status = EXCLUDED.status, published_at = EXCLUDED.published_at,
    title = EXCLUDED.title, head = EXCLUDED.head, vector = EXCLUDED.vector
"""


class SearchEntryQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_condition())

    def write_documents(self, documents):
        """Store the vectors and headline text of many articles in one statement.

        The search entry takes the article's status and publication date from the
        article row as this statement sees it, so every save, which reindexes,
        keeps them in step.
        """
        if not documents:
            return
        quote = connection.ops.quote_name
        sql = _WRITE_SQL.format(
            article=quote(self.model._meta.get_field("article").related_model._meta.db_table),
            article_pk=quote(self.model._meta.get_field("article").related_model._meta.pk.column),
            entry=quote(self.model._meta.db_table),
        )
        params = {
            "config": SEARCH_CONFIG,
            "pair_config": PAIR_CONFIG,
            "pks": [d.pk for d in documents],
            "titles": [d.title for d in documents],
            "keywords": [d.keywords for d in documents],
            "summaries": [d.summary for d in documents],
            "bodies": [d.body for d in documents],
            "headline_texts": [d.headline_text for d in documents],
            "pairs": [d.pairs for d in documents],
        }
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


class SearchEntry(models.Model):
    """An article's search vectors and visibility, in a narrow table of their own.

    Counting the matches of a common word visits every matching row; here a row
    takes under 300 bytes (the whole vector is TOASTed, the small title and head
    vectors stay in the row), where an article row takes about 2 kB. Kept in
    sync by articles.search.index, which copies `status` and `published_at` from
    the article in the statement that writes the vectors, on every save.
    """

    article = models.OneToOneField(
        "articles.Article", primary_key=True, on_delete=models.CASCADE, related_name="search_entry"
    )
    status = models.CharField(max_length=10, choices=ArticleStatus.choices)
    published_at = models.DateTimeField(null=True)
    # Title (weight A); title, tags and category (A and B), which ranking reads;
    # and everything, summary C and body D included, which matching reads.
    title = SearchVectorField()
    head = SearchVectorField()
    vector = SearchVectorField()

    objects = SearchEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        indexes = [
            # Newest-first walks over the matches of a common word.
            models.Index(
                F("status"),
                F("published_at").desc(),
                F("article").desc(),
                name="search_entry_date_idx",
            ),
            GinIndex(fields=["vector"], name="search_entry_vector_idx"),
            GinIndex(fields=["head"], name="search_entry_head_idx"),
            GinIndex(fields=["title"], name="search_entry_title_idx"),
        ]

    def __str__(self):
        return str(self.article_id)

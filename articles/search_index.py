"""Build each article's weighted full-text vector, with Chinese cut into words.

PostgreSQL's parser keeps a run of Chinese characters as one lexeme, so `模型`
would never match `深度学习模型`. Before PostgreSQL sees any text, every Han run
is replaced by its words from jieba (rjieba), separated by spaces; the 'english'
configuration then stems Latin words and keeps CJK words as they are. Documents
are cut in search mode, which also emits the sub-words of long words, so `注意力`
finds `注意力机制`. The same normalisation runs on queries (articles.search).

Weights: title A, tags and category B, summary C, body D. The body is the text
of the stored HTML without code blocks and math, which would flood the index.
The vectors live in a narrow table of their own (models.SearchEntry): the
whole vector, for matching; the title, tags and category part alone (`head`,
a few hundred bytes kept in the row), which is what ranking reads, as ranking
from the whole vector would fetch kilobytes of TOAST for every match of a
common word; and the title alone, for the first ranking tier. The article row
keeps only the text snippets are cut from (`search_text`).
"""

import html
from dataclasses import dataclass
from html.parser import HTMLParser

import regex
import rjieba
from django.db import connection

SEARCH_CONFIG = "english"
# Beyond this many characters a body adds little to ranking but risks PostgreSQL's
# 1 MB tsvector limit; positions stop growing at 16,383 anyway.
MAX_INDEXED_CHARS = 200_000
INDEX_BATCH_SIZE = 500
# Headline markers: private-use characters, stripped from indexed text so only
# ts_headline can put them in a snippet (articles.search turns them into <mark>).
MARK_START = "\ue000"
MARK_STOP = "\ue001"

# Function words that would match nearly every Chinese article.
CHINESE_STOPWORDS = frozenset("的了是在和与及或也就都而被把之其着个这那")

# Put between the words cut from a Chinese run. PostgreSQL's parser reads this
# ASCII control character as a separator under any locale, and since clean_text()
# removes it from the source, deleting it from a headline restores the original.
WORD_SEPARATOR = "\x1f"

_HAN_RUN = regex.compile(r"[\p{Han}〇]+")
# Non-ASCII punctuation glues to words in PostgreSQL's parser under the C locale;
# ASCII punctuation is left alone (it shapes e-mails, versions, hyphenated words).
_NON_ASCII_MARK = regex.compile(r"(?![\x00-\x7f])[\p{P}\p{S}\p{Z}]")
_UNWANTED = regex.compile(rf"[\p{{Cc}}\p{{Cs}}\p{{Cn}}{MARK_START}{MARK_STOP}]")
_SPACES = regex.compile(r" {2,}")

# Elements whose text never enters the index: code blocks, math, anchor glyphs.
_SKIPPED = {"pre", "math", "script", "style", "template", "svg"}
_BLOCKS = {
    "address", "article", "aside", "blockquote", "br", "dd", "details", "div", "dl", "dt",
    "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
    "li", "main", "nav", "ol", "p", "section", "summary", "table", "td", "th", "tr", "ul",
}  # fmt: skip


def clean_text(text):
    """Turn control characters, NULs, headline markers and wide punctuation into spaces."""
    text = _UNWANTED.sub(" ", text or "")
    return _SPACES.sub(" ", _NON_ASCII_MARK.sub(" ", text))


def segment(text, *, precise=False, stopwords=True):
    """Return cleaned text with every Chinese run replaced by its separated words.

    Search mode (the default) adds sub-words for documents; precise mode gives
    the fewest words, for query terms that must all match. Chinese stopwords are
    dropped unless the text is for display.
    """
    cut = rjieba.cut if precise else rjieba.cut_for_search
    dropped = CHINESE_STOPWORDS if stopwords else frozenset()

    def words(match):
        kept = [word for word in cut(match.group()) if word not in dropped]
        return WORD_SEPARATOR + WORD_SEPARATOR.join(kept) + WORD_SEPARATOR

    return _HAN_RUN.sub(words, clean_text(text)).strip()


class _TextExtractor(HTMLParser):
    """Collect readable text from stored article HTML, skipping code blocks and math."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.skipping = []

    def handle_starttag(self, tag, attrs):
        if tag in _SKIPPED or (tag == "a" and "heading-anchor" in (dict(attrs).get("class") or "")):
            self.skipping.append(tag)
        elif tag in _BLOCKS:
            self.parts.append(" ")
        elif tag == "img" and not self.skipping:
            self.parts.append(" " + (dict(attrs).get("alt") or "") + " ")

    def handle_startendtag(self, tag, attrs):
        if tag not in _SKIPPED:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if self.skipping and tag == self.skipping[-1]:
            self.skipping.pop()
        elif tag in _BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def body_text(body_html):
    """Return the plain text of rendered article HTML without code blocks or math."""
    extractor = _TextExtractor()
    extractor.feed(body_html or "")
    extractor.close()
    return html.unescape("".join(extractor.parts))[:MAX_INDEXED_CHARS]


@dataclass(frozen=True)
class SearchDocument:
    """The normalised text of one article, one string per weight."""

    pk: int
    title: str
    keywords: str
    summary: str
    body: str
    # The summary and body cut in precise mode, so that deleting the separators
    # gives back the original text for snippets.
    headline_text: str


def build_document(*, pk, title, summary, body_html, category_name, tag_names):
    """Return the normalised, weighted text of one article."""
    keywords = " ".join([*sorted(tag_names), category_name or ""])
    body = body_text(body_html)
    return SearchDocument(
        pk=pk,
        title=segment(title),
        keywords=segment(keywords),
        summary=segment(summary),
        body=segment(body),
        headline_text=segment(f"{summary}\n{body}", precise=True, stopwords=False),
    )


_WRITE_SQL = """
WITH d AS (
    SELECT
        d.pk,
        setweight(to_tsvector(%(config)s::regconfig, d.title), 'A') AS title,
        setweight(to_tsvector(%(config)s::regconfig, d.keywords), 'B') AS keywords,
        d.summary, d.body, d.headline_text
    FROM unnest(
        %(pks)s::bigint[], %(titles)s::text[], %(keywords)s::text[],
        %(summaries)s::text[], %(bodies)s::text[], %(headline_texts)s::text[]
    ) AS d(pk, title, keywords, summary, body, headline_text)
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
FROM d JOIN article ON article.pk = d.pk
ON CONFLICT (article_id) DO UPDATE SET
    status = EXCLUDED.status, published_at = EXCLUDED.published_at,
    title = EXCLUDED.title, head = EXCLUDED.head, vector = EXCLUDED.vector
"""


def write_documents(documents):
    """Store the vectors and headline text of many articles in one statement.

    The search entry takes the article's status and publication date from the
    article row as this statement sees it, so every save, which reindexes,
    keeps them in step.
    """
    from articles.models import Article, SearchEntry

    if not documents:
        return
    quote = connection.ops.quote_name
    sql = _WRITE_SQL.format(
        article=quote(Article._meta.db_table),
        article_pk=quote(Article._meta.pk.column),
        entry=quote(SearchEntry._meta.db_table),
    )
    params = {
        "config": SEARCH_CONFIG,
        "pks": [d.pk for d in documents],
        "titles": [d.title for d in documents],
        "keywords": [d.keywords for d in documents],
        "summaries": [d.summary for d in documents],
        "bodies": [d.body for d in documents],
        "headline_texts": [d.headline_text for d in documents],
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def index_article(article):
    """Recompute one saved article's vector from its in-memory fields."""
    tag_names = list(article.tags.values_list("name", flat=True))
    category_name = article.category.name if article.category_id else ""
    write_documents(
        [
            build_document(
                pk=article.pk,
                title=article.title,
                summary=article.summary,
                body_html=article.body_html,
                category_name=category_name,
                tag_names=tag_names,
            )
        ]
    )


def reindex_articles(queryset, *, batch_size=INDEX_BATCH_SIZE, progress=None):
    """Recompute the vectors of every article in a queryset, a batch at a time.

    Return how many articles were indexed; `progress(done)` is called after each batch.
    """
    from articles.models import TaggedArticle

    pks = list(queryset.order_by("pk").values_list("pk", flat=True))
    done = 0
    for start in range(0, len(pks), batch_size):
        batch = pks[start : start + batch_size]
        rows = queryset.model.objects.filter(pk__in=batch).values_list(
            "pk", "title", "summary", "body_html", "category__name"
        )
        tags = {}
        for article_id, name in TaggedArticle.objects.filter(
            content_object_id__in=batch
        ).values_list("content_object_id", "tag__name"):
            tags.setdefault(article_id, []).append(name)
        write_documents(
            [
                build_document(
                    pk=pk,
                    title=title,
                    summary=summary,
                    body_html=body_html,
                    category_name=category_name,
                    tag_names=tags.get(pk, []),
                )
                for pk, title, summary, body_html, category_name in rows
            ]
        )
        done += len(batch)
        if progress:
            progress(done)
    return done


def connect_signals():
    """Keep vectors in sync when tags change or a category or tag is renamed or deleted."""
    from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
    from taggit.models import Tag

    from articles.models import Article, Category

    m2m_changed.connect(_tags_changed, sender=Article.tags.through, dispatch_uid="search_tags")
    for model in (Category, Tag):
        pre_save.connect(_remember_name, sender=model, dispatch_uid=f"search_pre_{model.__name__}")
    post_save.connect(_category_saved, sender=Category, dispatch_uid="search_category")
    post_save.connect(_tag_saved, sender=Tag, dispatch_uid="search_tag")
    pre_delete.connect(_tag_deleting, sender=Tag, dispatch_uid="search_tag_deleting")
    post_delete.connect(_tag_deleted, sender=Tag, dispatch_uid="search_tag_deleted")


def _articles():
    from articles.models import Article

    return Article.objects.all()


def _tags_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not reverse:
        if action in {"post_add", "post_remove", "post_clear"}:
            index_article(instance)
        return
    # Reverse side: the instance is a tag and the article ids are in pk_set, or
    # gone after a clear, so remember them before it.
    if action == "pre_clear":
        instance._search_article_ids = list(
            _articles().filter(tags=instance).values_list("pk", flat=True)
        )
    elif action == "post_clear":
        reindex_articles(_articles().filter(pk__in=getattr(instance, "_search_article_ids", [])))
    elif action in {"post_add", "post_remove"} and pk_set:
        reindex_articles(_articles().filter(pk__in=pk_set))


def _remember_name(sender, instance, raw=False, **kwargs):
    instance._search_old_name = (
        sender.objects.filter(pk=instance.pk).values_list("name", flat=True).first()
        if instance.pk and not raw
        else None
    )


def _renamed(instance, created):
    old = getattr(instance, "_search_old_name", None)
    return not created and old is not None and old != instance.name


def _category_saved(sender, instance, created, **kwargs):
    if _renamed(instance, created):
        reindex_articles(_articles().filter(category=instance))


def _tag_saved(sender, instance, created, **kwargs):
    if _renamed(instance, created):
        reindex_articles(_articles().filter(tags=instance))


def _tag_deleting(sender, instance, **kwargs):
    instance._search_article_ids = list(
        _articles().filter(tags=instance).values_list("pk", flat=True)
    )


def _tag_deleted(sender, instance, **kwargs):
    reindex_articles(_articles().filter(pk__in=getattr(instance, "_search_article_ids", [])))

"""Write search documents to the search table, one article or many at a time.

How a document is built is in articles.search.documents; the signal receivers
that keep vectors in step with tags and category names are in
articles.search.signals.
"""

from articles.models import SearchEntry, TaggedArticle
from articles.search.documents import INDEX_BATCH_SIZE, build_document


def index_article(article):
    """Recompute one saved article's vector from its in-memory fields."""
    SearchEntry.objects.write_documents([article.search_document()])


def reindex_articles(queryset, *, batch_size=INDEX_BATCH_SIZE, progress=None):
    """Recompute the vectors of every article in a queryset, a batch at a time.

    Return how many articles were indexed; `progress(done)` is called after each batch.
    """
    pks = list(queryset.order_by("pk").values_list("pk", flat=True))
    done = 0
    for start in range(0, len(pks), batch_size):
        batch = pks[start : start + batch_size]
        rows = queryset.model.objects.filter(pk__in=batch).values_list(
            "pk", "title", "summary", "body_html", "category__name", "language"
        )
        tags = {}
        for article_id, name in TaggedArticle.objects.filter(
            content_object_id__in=batch
        ).values_list("content_object_id", "tag__name"):
            tags.setdefault(article_id, []).append(name)
        SearchEntry.objects.write_documents(
            [
                build_document(
                    pk=pk,
                    title=title,
                    summary=summary,
                    body_html=body_html,
                    category_name=category_name,
                    tag_names=tags.get(pk, []),
                    language=language,
                )
                for pk, title, summary, body_html, category_name, language in rows
            ]
        )
        done += len(batch)
        if progress:
            progress(done)
    return done

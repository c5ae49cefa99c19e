"""Tag, category and archive summaries for readers, each one query from published()."""

from django.db.models import Count, Max, Q
from django.db.models.functions import TruncMonth
from taggit.models import Tag

from articles.models import Article, Category


def tags_with_counts():
    """Return the tags of published articles, each with `article_count`, by name."""
    published = Article.objects.published()
    return (
        Tag.objects.filter(articles_taggedarticle_items__content_object__in=published)
        # A tag whose name has no letters or digits slugifies to "" and has no page.
        .exclude(slug="")
        .annotate(
            article_count=Count("articles_taggedarticle_items"),
            latest_at=Max("articles_taggedarticle_items__content_object__published_at"),
        )
        .order_by("name")
    )


def archive_months():
    """Return {"month", "count"} rows for months with published articles, newest first."""
    return (
        Article.objects.published()
        .annotate(month=TruncMonth("published_at"))
        .values("month")
        .annotate(count=Count("pk"))
        .order_by("-month")
    )


def category_tree():
    """Return (roots, by_pk): every category with published counts that include subcategories.

    Each category gains `own_count`, `total` (with descendants), `latest_at`,
    `children_nodes` and `depth`. One query; the tree is assembled in Python.
    """
    published = Q(articles__in=Article.objects.published())
    categories = list(
        Category.objects.annotate(
            own_count=Count("articles", filter=published),
            own_latest_at=Max("articles__published_at", filter=published),
        )
    )
    by_pk = {category.pk: category for category in categories}
    roots = []
    for category in categories:
        category.children_nodes = []
    for category in categories:
        parent = by_pk.get(category.parent_id)
        (parent.children_nodes if parent else roots).append(category)

    def roll_up(node, depth, path):
        node.depth = depth
        node.total, node.latest_at = node.own_count, node.own_latest_at
        for child in node.children_nodes:
            if child.pk in path:  # A cycle slipped past validation; don't loop forever.
                continue
            roll_up(child, depth + 1, path | {child.pk})
            node.total += child.total
            if child.latest_at and (node.latest_at is None or child.latest_at > node.latest_at):
                node.latest_at = child.latest_at

    for root in roots:
        roll_up(root, 0, {root.pk})
    return roots, by_pk


def category_ancestors(category):
    """Return the categories from the root down to `category`, querying only for a subcategory."""
    if category is None:
        return []
    if category.parent_id is None:
        return [category]
    rows = {row.pk: row for row in Category.objects.only("pk", "parent_id", "name", "slug")}
    chain, node, seen = [category], rows.get(category.parent_id), {category.pk}
    while node is not None and node.pk not in seen:
        chain.append(node)
        seen.add(node.pk)
        node = rows.get(node.parent_id)
    return list(reversed(chain))

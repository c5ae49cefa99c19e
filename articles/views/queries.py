"""Query helpers shared by the reader's pages, the sidebars and the sitemap.

Each starts from `Article.objects.published()`; tag, category and archive
summaries are one query each. Lists show one version of each story and count
stories, not versions, so a count always matches its listing (docs/bilingual.md).
"""

from datetime import timedelta

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Count, F, Max, Q
from django.db.models.functions import Coalesce, TruncMonth
from django.utils.translation import get_language
from taggit.models import Tag

from articles.caching.entries import cached
from articles.caching.plain import from_row_data, row_data
from articles.models import Article, Category, TaggedArticle
from articles.models.translations import translated_pks

# Fields a link to an article needs; used by the small lists on the article page.
LINK_FIELDS = ("pk", "title", "slug", "language", "published_at")
RELATED_LIMIT = 5
TOC_MIN_HEADINGS = 3
# Search engines show about this much of a meta description.
DESCRIPTION_CHARS = 200
# An edit shown as "updated" must come this long after publication; typo fixes
# made on the day of publishing are not news to readers.
UPDATE_THRESHOLD = timedelta(days=1)


def display_name(user):
    return user.get_full_name() or user.get_username()


def ancestors_from(category, by_pk):
    chain, node, seen = [], category, set()
    while node is not None and node.pk not in seen:
        chain.append(node)
        seen.add(node.pk)
        node = by_pk.get(node.parent_id)
    return list(reversed(chain))


def descendants_of(category):
    ids, stack = [], [category]
    while stack:
        node = stack.pop()
        if node.pk not in ids:
            ids.append(node.pk)
            stack.extend(node.children_nodes)
    return ids


def material_update(article):
    """Return when the content last changed, if that was well after it appeared, else None."""
    updated = article.content_updated_at
    if updated is None or article.published_at is None:
        return None
    # Measured from the later of publication and creation: an article imported
    # with an old date was "changed" when it was created, which is no news.
    appeared = max(article.published_at, article.created_at)
    return updated if updated - appeared > UPDATE_THRESHOLD else None


def neighbour(article, *, older):
    """Return the published story just before (older) or after this one, or None.

    Steps through the listing the reader came from: one version per story, in the
    interface language when there is one, never a version of this article's story.
    """
    if not article.is_public:
        return None
    when, pk = article.published_at, article.pk
    if older:
        # The bound on published_at alone lets the index scan start at this article.
        condition = Q(published_at__lte=when) & (
            Q(published_at__lt=when) | Q(published_at=when, pk__lt=pk)
        )
        order = ("-published_at", "-pk")
    else:
        condition = Q(published_at__gte=when) & (
            Q(published_at__gt=when) | Q(published_at=when, pk__gt=pk)
        )
        order = ("published_at", "pk")
    # Collapsed before this story is left out: PostgreSQL then plans the ranking
    # window over the translated articles alone (docs/bilingual.md, "Lists").
    stories = Article.objects.published().one_per_story(get_language()).other_stories(article)
    return stories.filter(condition).order_by(*order).only(*LINK_FIELDS).first()


def related_articles(article, tags):
    """Return up to five published articles sharing the most tags, in one query.

    Articles of the same category fill in when too few share a tag, so the
    list usually has three to five entries; one version of each story, none of
    this article's own.
    """
    tag_ids = [tag.id for tag in tags]
    shared = Count("tagged_items", filter=Q(tagged_items__tag_id__in=tag_ids), distinct=True)
    # Candidates first (sharing a tag, or the category), so the count runs over
    # them rather than over every published article: 2.4x faster at 10,000.
    sharing = TaggedArticle.objects.filter(tag_id__in=tag_ids).values("content_object_id")
    candidates = Q(pk__in=sharing)
    if article.category_id:
        candidates |= Q(category_id=article.category_id)
    # Each story in the reader's language when it has one, then narrowed (as in
    # neighbour(), the order that keeps the ranking window small).
    related = (
        Article.objects.published()
        .one_per_story(get_language())
        .other_stories(article)
        .filter(candidates)
        .annotate(shared_tags=shared)
    )
    return list(
        related.order_by("-shared_tags", "-published_at", "-pk").only(*LINK_FIELDS)[:RELATED_LIMIT]
    )


def story_count(prefix="", **extra):
    """Return an aggregate: how many stories the group's articles tell (docs/bilingual.md)."""
    story = Coalesce(F(f"{prefix}translation_of__source_id"), F(f"{prefix}id"))
    return Count(story, filter=Q(**extra) if extra else None, distinct=True)


def tags_with_counts():
    """Return the tags of published articles, each with `article_count` (stories), by name."""
    published = Article.objects.published()
    return (
        Tag.objects.filter(articles_taggedarticle_items__content_object__in=published)
        # A tag whose name has no letters or digits slugifies to "" and has no page.
        .exclude(slug="")
        .annotate(
            article_count=story_count("articles_taggedarticle_items__content_object__"),
            latest_at=Max("articles_taggedarticle_items__content_object__published_at"),
        )
        .order_by("name")
    )


class StoryCount:
    """Stories in several groups together: a story told in two languages may sit in two.

    Each group gives its count of stories and the ids of those among them that have
    more than one version (`translated_stories()`); only those can be counted twice,
    and there are few, so the union is taken over them alone.
    """

    def __init__(self):
        self.alone, self.shared = 0, set()

    def add(self, count, translated):
        self.alone += count - len(translated)
        self.shared.update(translated)

    @property
    def total(self):
        return self.alone + len(self.shared)


def translated_stories(*, prefix="", **extra):
    """Return an aggregate: the distinct ids of the group's stories that have translations."""
    story = Coalesce(F(f"{prefix}translation_of__source_id"), F(f"{prefix}id"))
    translated = Q(**{f"{prefix}id__in": translated_pks()})
    return ArrayAgg(story, filter=translated & Q(**extra), distinct=True, default=[])


def archive_months():
    """Return {"month", "count", "translated"} rows for months with articles, newest first.

    A month counts stories; a story whose versions appeared in two months counts in
    both (each month's page lists it). `translated` lets a year count it once.
    """
    return (
        Article.objects.published()
        .annotate(month=TruncMonth("published_at"))
        .values("month")
        .annotate(count=story_count(), translated=translated_stories())
        .order_by("-month")
    )


def category_rows():
    """Return every category as plain data, with its own published stories and latest date.

    One query over every published article: the part of category_tree() worth caching.
    """
    published = Article.objects.published()
    rows = Category.objects.annotate(
        own_count=story_count("articles__", articles__in=published),
        own_translated=translated_stories(prefix="articles__", articles__in=published),
        own_latest_at=Max("articles__published_at", filter=Q(articles__in=published)),
    )
    extra = ("own_count", "own_translated", "own_latest_at")
    return [row_data(row, extra=extra) for row in rows]


def shared_category_tree(request):
    """Return category_tree() from rows computed once per content generation."""
    return category_tree(cached("data", ("categories",), category_rows, request=request))


def category_tree(rows=None):
    """Return (roots, by_pk): every category with published counts that include subcategories.

    Each category gains `total` (stories, with descendants), `latest_at`,
    `children_nodes` and `depth`. From category_rows() (queried when not given);
    the tree is assembled in Python. A story's versions may sit in two categories
    of one subtree, so totals are StoryCounts, not sums: they match what the
    category's listing shows.
    """
    categories = [from_row_data(Category, row) for row in rows or category_rows()]
    by_pk = {category.pk: category for category in categories}
    roots = []
    for category in categories:
        category.children_nodes = []
    for category in categories:
        parent = by_pk.get(category.parent_id)
        (parent.children_nodes if parent else roots).append(category)

    def roll_up(node, depth, path, *counts):
        # Every category's stories count towards itself and each of its ancestors.
        node.depth, node.latest_at = depth, node.own_latest_at
        stories = StoryCount()
        for count in (stories, *counts):
            count.add(node.own_count, node.own_translated)
        for child in node.children_nodes:
            if child.pk in path:  # A cycle slipped past validation; don't loop forever.
                continue
            roll_up(child, depth + 1, path | {child.pk}, stories, *counts)
            if child.latest_at and (node.latest_at is None or child.latest_at > node.latest_at):
                node.latest_at = child.latest_at
        node.total = stories.total

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

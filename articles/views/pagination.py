"""A paginator whose cost does not grow with the number of articles.

- The count is cached per content generation, so the `COUNT(*)` over every
  published article runs once per change, not once per request; so are each
  page's ids (with the fragments: FRAGMENT_CACHE), fetched with the count in
  one round trip.
- A page first finds its ten ids with an index-only scan, reading from the
  nearer end, so the last page is as cheap as the first; the rows with their
  joins are loaded only for the cards that are not cached (docs/performance.md).
"""

from collections.abc import Sequence
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Func, IntegerField, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.functional import cached_property

from articles.caching.entries import cached, is_enabled, lookup, make_key, remember
from articles.caching.shown import note_articles_shown
from articles.models.translations import story_root

# A page this close to either end reads its rows' updated_at with its ids:
# the scan then visits at most this many rows besides the page's own.
SHALLOW_ROWS = 100


class ListingPaginator(Paginator):
    def __init__(
        self, object_list, per_page, *, listing=None, request=None, known_count=None, **kwargs
    ):
        super().__init__(object_list, per_page, **kwargs)
        # What the listing is (listing_identity()): its count and page ids are
        # cached under it, per content token.
        self.listing = listing
        self.request = request
        # Given by a view that already has the count (from the cache, or from the
        # query that looked up its tag or author), and is then trusted as is.
        self.known_count = known_count

    @cached_property
    def count(self):
        if self.known_count is not None:
            return self.known_count
        if self.listing is None:
            return Paginator.count.func(self)
        return cached(
            "count", (self.listing,), lambda: Paginator.count.func(self), request=self.request
        )

    def page(self, number):
        queryset = self.object_list
        if not isinstance(queryset, QuerySet) or not queryset.ordered:
            return super().page(number)
        ids_key = self.ids_key(number)
        versions = self.cached_ids(ids_key) if ids_key else None
        number = self.validate_number(number)
        if versions is None:
            versions = self.read_page(queryset, number)
            if ids_key:
                remember({ids_key: versions})
        note_articles_shown(self.request, [pk for pk, _updated_at in versions])
        return self._get_page(PageRows(queryset, versions), number, self)

    def ids_key(self, number):
        """Return the cache key of a page's ids, or None when they are not cached."""
        if self.listing is None or not is_enabled("ids", self.request):
            return None
        try:
            number = int(number)
        except (TypeError, ValueError):
            return None  # validate_number() answers that.
        parts = (self.listing, self.per_page, self.orphans, number)
        return make_key("ids", parts, request=self.request)

    def cached_ids(self, ids_key):
        """Return the page's cached ids, fetching the count in the same round trip."""
        keys = [ids_key]
        count_key = None
        if self.known_count is None and "count" not in self.__dict__:
            count_key = make_key("count", (self.listing,), request=self.request)
            keys.append(count_key)
        found = lookup(keys)
        if count_key in found:
            # Seeds the cached property, as count() itself would have.
            self.__dict__["count"] = found[count_key]
        return found.get(ids_key)

    def read_page(self, queryset, number):
        """Return ((pk, updated_at), ...) for a page: its ids, and what its cards are keyed by.

        Near either end the ids come with their rows' updated_at; deeper, the ids
        come from an index-only scan (OFFSET skips index entries, not rows) and
        their updated_at from a second query by primary key.
        """
        if not is_enabled("card", self.request):
            return tuple((pk, None) for pk in self.read_ids(queryset, number))
        bottom, top, from_end = self.bounds(number)
        if min(bottom, from_end) <= SHALLOW_ROWS:
            return self.read_slice(queryset.values_list("pk", "updated_at"), bottom, top, from_end)
        pks = self.read_ids(queryset, number)
        found = dict(queryset.model.objects.filter(pk__in=pks).values_list("pk", "updated_at"))
        return tuple((pk, found.get(pk)) for pk in pks)

    def read_ids(self, queryset, number):
        # The ids alone come from an index-only scan, read from the nearer end.
        bottom, top, from_end = self.bounds(number)
        return self.read_slice(queryset.values_list("pk", flat=True), bottom, top, from_end)

    def bounds(self, number):
        """Return the page's first and past-last positions, and how far its end is from the last."""
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return bottom, top, self.count - top

    def read_slice(self, rows, bottom, top, from_end):
        if bottom <= from_end:
            return tuple(rows[bottom:top])
        return tuple(rows.reverse()[from_end : self.count - bottom])[::-1]


class PageRows(Sequence):
    """A page's articles: their ids at once, their rows only when something reads them.

    The listing templates render each article as a card cached per article
    version ({% article_cards %}), so on most requests the ids are all a page
    needs; `fetch()` loads just the articles whose cards are missing.
    """

    def __init__(self, queryset, versions):
        self.queryset = queryset
        self.pks = [pk for pk, _updated_at in versions]
        # Each article's updated_at (None when cards are not cached): the cards' keys.
        self.versions = dict(versions)
        self._rows = None

    def fetch(self, pks):
        """Return {pk: article} for the given ids of this page, in one query."""
        if self._rows is not None:
            wanted = set(pks)
            return {article.pk: article for article in self._rows if article.pk in wanted}
        # The listing's filters, shaped for display: joins, tags, no bodies.
        rows = self.queryset.filter(pk__in=list(pks)).for_listing()
        return {article.pk: article for article in rows}

    @property
    def rows(self):
        if self._rows is None:
            found = self.fetch(self.pks)
            self._rows = [found[pk] for pk in self.pks if pk in found]
        return self._rows

    def __len__(self):
        return len(self.pks)

    def __getitem__(self, index):
        return self.rows[index]

    def __iter__(self):
        return iter(self.rows)


def listing_identity(request, params=None):
    """Return what names a listing in the cache: its path and query, less the page.

    A view that normalises its parameters passes them as `params` instead.
    """
    if params is None:
        query = request.GET.copy()
        query.pop("page", None)
        encoded = query.urlencode()
    else:
        encoded = urlencode(params)
    return f"{request.path}?{encoded}"


def story_count_subquery(queryset):
    """Return an expression counting the stories in `queryset` (usually filtered by OuterRef).

    Stories, not articles: what `queryset.one_per_story()` would list. COUNT as a
    plain function rather than an aggregate keeps Django from adding a GROUP BY,
    so the subquery yields one number, 0 when nothing matches.
    """
    stories = Func(story_root(), template="COUNT(DISTINCT %(expressions)s)")
    counted = queryset.order_by().annotate(n=stories).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)

"""A paginator whose cost does not grow with the number of articles.

- The count is cached per content generation, so the `COUNT(*)` over every
  published article runs once per change, not once per request; so are each
  page's ids (with the fragments: FRAGMENT_CACHE), fetched with the count in
  one round trip.
- A page first finds its ten ids with an index-only scan, reading from the
  nearer end, so the last page is as cheap as the first; the rows with their
  joins are loaded only for the cards that are not cached (docs/performance.md).
"""

import hashlib
from collections.abc import Sequence
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Func, IntegerField, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.functional import cached_property
from django.utils.translation import get_language

from articles.caching import generation_cache
from articles.models.translations import story_root


class ListingPaginator(Paginator):
    def __init__(self, object_list, per_page, *, count_key=None, known_count=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count_key = count_key
        # Given by a view that already has the count (from the cache, or from the
        # query that looked up its tag or author), and is then trusted as is.
        self.known_count = known_count

    @cached_property
    def count(self):
        if self.known_count is not None:
            return self.known_count
        if self.count_key is None:
            return Paginator.count.func(self)
        value = generation_cache.get(self.count_key)
        if value is None:
            value = Paginator.count.func(self)
            generation_cache.set(self.count_key, value)
        return value

    def page(self, number):
        queryset = self.object_list
        if not isinstance(queryset, QuerySet) or not queryset.ordered:
            return super().page(number)
        ids_key = self.ids_key(number)
        pks = self.cached_ids(ids_key) if ids_key else None
        number = self.validate_number(number)
        if pks is None:
            pks = self.read_ids(queryset, number)
            if ids_key:
                generation_cache.set(ids_key, pks)
        return self._get_page(PageRows(queryset, pks), number, self)

    def ids_key(self, number):
        """Return the cache key of a page's ids, or None when they are not cached."""
        if self.count_key is None or not settings.FRAGMENT_CACHE:
            return None
        try:
            number = int(number)
        except (TypeError, ValueError):
            return None  # validate_number() answers that.
        # Per language: a listing shows each story in the reader's language when it
        # can (one_per_story), so the ids differ by language; the count does not.
        return f"{self.count_key}:ids:{get_language()}:{self.per_page}:{self.orphans}:{number}"

    def cached_ids(self, ids_key):
        """Return the page's cached ids, fetching the count in the same round trip."""
        keys = [ids_key]
        if self.known_count is None and "count" not in self.__dict__:
            keys.append(self.count_key)
        found = generation_cache.get_many(keys)
        if self.count_key in found:
            # Seeds the cached property, as count() itself would have.
            self.__dict__["count"] = found[self.count_key]
        return found.get(ids_key)

    def read_ids(self, queryset, number):
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        from_end = self.count - top
        # The ids alone come from an index-only scan, read from the nearer end.
        ids = queryset.values_list("pk", flat=True)
        if bottom <= from_end:
            return tuple(ids[bottom:top])
        return tuple(ids.reverse()[from_end : self.count - bottom])[::-1]


class PageRows(Sequence):
    """A page's articles: their ids at once, their rows only when something reads them.

    The listing templates render each article as a card cached per content
    generation ({% article_cards %}), so on most requests the ids are all a page
    needs; `fetch()` loads just the articles whose cards are missing.
    """

    def __init__(self, queryset, pks):
        self.queryset = queryset
        self.pks = pks
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


def count_key(request, token, params=None):
    """Return the cache key of a listing's count: its path and query, less the page.

    A view that normalises its parameters passes them as `params` instead.
    """
    if params is None:
        query = request.GET.copy()
        query.pop("page", None)
        encoded = query.urlencode()
    else:
        encoded = urlencode(params)
    listing = f"{request.path}?{encoded}".encode()
    return f"count:{token}:{hashlib.blake2b(listing, digest_size=16).hexdigest()}"


def story_count_subquery(queryset):
    """Return an expression counting the stories in `queryset` (usually filtered by OuterRef).

    Stories, not articles: what `queryset.one_per_story()` would list. COUNT as a
    plain function rather than an aggregate keeps Django from adding a GROUP BY,
    so the subquery yields one number, 0 when nothing matches.
    """
    stories = Func(story_root(), template="COUNT(DISTINCT %(expressions)s)")
    counted = queryset.order_by().annotate(n=stories).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)

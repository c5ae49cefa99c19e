"""A paginator whose cost does not grow with the number of articles.

- The count is cached per content generation, so the `COUNT(*)` over every
  published article runs once per change, not once per request.
- A deep page first finds its ten ids with an index-only scan, then loads just
  those rows with their joins; pages past the middle count from the oldest end,
  so the last page is as cheap as the first (docs/performance.md).
"""

import hashlib
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import caches
from django.core.paginator import Paginator
from django.db.models import F, Func, IntegerField, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.functional import cached_property

# Up to this offset a plain LIMIT/OFFSET with joins is as cheap as two queries.
SHALLOW_OFFSET = 100


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
        cache = caches[settings.PAGE_CACHE_ALIAS]
        value = cache.get(self.count_key)
        if value is None:
            value = Paginator.count.func(self)
            cache.set(self.count_key, value, settings.PAGE_CACHE_SECONDS)
        return value

    def page(self, number):
        queryset = self.object_list
        if not isinstance(queryset, QuerySet) or not queryset.ordered:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        from_end = self.count - top
        if min(bottom, from_end) <= SHALLOW_OFFSET:
            if bottom <= from_end:
                items = list(queryset[bottom:top])
            else:
                items = list(queryset.reverse()[from_end : self.count - bottom])[::-1]
        else:
            ids = queryset.values_list("pk", flat=True)
            ids = (
                ids[bottom:top]
                if bottom <= from_end
                else ids.reverse()[from_end : self.count - bottom]
            )
            # The filtered query keeps the listing's order, joins and prefetches.
            items = list(queryset.filter(pk__in=list(ids)))
        return self._get_page(items, number, self)


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


def count_subquery(queryset):
    """Return an expression counting `queryset` (usually filtered by OuterRef) inline.

    COUNT as a plain function rather than an aggregate keeps Django from adding a
    GROUP BY, so the subquery yields one number, 0 when nothing matches.
    """
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)

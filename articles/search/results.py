"""Page through every match of a query, tier by tier, with an exact count (docs/search.md)."""

import functools
from contextlib import contextmanager

import psycopg
from django.contrib.postgres.search import (
    SearchVectorExact,
)
from django.db import OperationalError, connections, transaction
from django.db.models import F

from articles.models import Article, SearchEntry
from articles.search.query import (
    _headline,
    _rank,
    build_highlight_query,
    build_tsquery,
    parse_query,
)

# A ranking tier with more matches than this is paged newest first instead of
# by rank: ranking means computing every match before showing the first.
RANKED_TIER_LIMIT = 200
# How long a tier query may walk the date index before it is retried another way.
WALK_TIMEOUT_MS = 100
# A row the date walk reads costs about this many rows of a bitmap scan: the walk
# fetches the row's TOASTed vector to test it (measured: 8 µs against 0.3 µs).
WALK_ROW_COST = 25


class SearchResults:
    """Published articles matching a query in search_articles() order, for the paginator.

    Everything but the page's own rows is read from SearchEntry, whose narrow
    rows keep an exact count of a common word cheap (docs/search.md). One ORDER
    BY over every match would make PostgreSQL rank them all, so each tier
    (title, then tags and category, then the rest) is read on its own: a tier
    of at most RANKED_TIER_LIMIT matches whole and ranked as in search_articles()
    (which a test checks), a larger one newest first, only as deep as the page
    needs. A tier's size is counted only when a page lies beyond its first
    RANKED_TIER_LIMIT + 1 matches; the last tier's is the rest of the total.
    """

    def __init__(self, raw_query, *, total=None):
        # A result shows no tags: loading them was a third of the page's cost.
        self.articles = Article.objects.published().for_listing(tags=False, versions=False)
        if total is not None:
            self.total = total  # counted before, for the same content
        groups = parse_query(raw_query)
        self.tsquery = build_tsquery(groups)
        self.highlight = build_highlight_query(groups)
        if self.tsquery is None:
            self.tiers = []
            return
        entries = SearchEntry.objects.published()
        self.matches = entries.filter(vector=self.tsquery)
        in_title = SearchVectorExact(F("title"), self.tsquery)
        in_head = SearchVectorExact(F("head"), self.tsquery)
        # A title or head match is a match of the whole vector, unless a word is
        # excluded: the summary or body may hold it.
        excluding = any(term.excluded for group in groups for term in group)
        heads = self.matches if excluding else entries
        self.tiers = [
            heads.filter(in_title),
            heads.filter(in_head).exclude(in_title),
            self.matches.exclude(in_head),
        ]
        self._probes, self._sizes = {}, {}

    @functools.cached_property
    def total(self):
        return _count(self.matches) if self.tiers else 0

    def count(self):
        return self.total

    def __len__(self):
        return self.total

    def __getitem__(self, key):
        if not isinstance(key, slice) or key.step is not None:
            raise TypeError("SearchResults supports only slices without a step.")
        pks = self.ids(key.start or 0, min(key.stop, self.total))
        if not pks:
            return []
        # Rows, joins, headlines and tags only for the page, in one query (plus prefetch).
        page = self.articles.filter(pk__in=pks).annotate(headline=_headline(self.highlight))
        rows = page.in_bulk(pks)
        return [rows[pk] for pk in pks if pk in rows]

    def ids(self, bottom, top):
        """Return the ids of the matches at positions bottom to top, in order."""
        pks, start = [], 0
        for number in range(len(self.tiers)):
            if start >= top:
                break
            lo, hi = max(bottom - start, 0), top - start
            size = self._known_size(number)
            if size is None:
                # A large title or keyword tier: its newest matches may be all the page needs.
                probe = self._probe(number)
                if hi <= len(probe):
                    return pks + probe[lo:hi]
                # Its title and head vectors are in the row: no scan of it is slow.
                size = self._sizes.setdefault(number, self.tiers[number].count())
            if lo < size:
                pks += self._read(number, size, lo, min(hi, size))
            start += size
        return pks

    def _known_size(self, number):
        """Return a tier's size if known without counting it, else None."""
        if number == len(self.tiers) - 1:
            # Reached only past the other tiers, whose sizes are then known.
            return self.total - sum(self._sizes[n] for n in range(number))
        if number not in self._sizes and len(self._probe(number)) <= RANKED_TIER_LIMIT:
            self._sizes[number] = len(self._probe(number))
        return self._sizes.get(number)

    def _probe(self, number):
        """Return a title or keyword tier's first RANKED_TIER_LIMIT + 1 ids.

        Read newest first with a LIMIT, which PostgreSQL can serve by walking the
        date index over the small, untoasted title and head vectors; a tier that
        fits under RANKED_TIER_LIMIT is then sorted by rank (stable, so recency
        still breaks ties).
        """
        if number not in self._probes:
            rows = list(self._newest(number, with_rank=True)[: RANKED_TIER_LIMIT + 1])
            ranked = len(rows) <= RANKED_TIER_LIMIT
            self._probes[number] = _ranked(rows) if ranked else [pk for pk, _rank in rows]
        return self._probes[number]

    def _read(self, number, size, lo, hi):
        """Return the ids at positions lo to hi of a tier of `size` matches."""
        if number < len(self.tiers) - 1:
            probe = self._probe(number)
            if size <= RANKED_TIER_LIMIT or hi <= len(probe):
                return probe[lo:hi]
            ids, backwards = self._slice(number, size, lo, hi)
            return list(ids)[::-1] if backwards else list(ids)
        if size <= RANKED_TIER_LIMIT:
            # The whole body tier, ranked: few rows, so the GIN postings find
            # them, never a walk of the date index or a scan of every vector.
            return _ranked(_fetch(self._newest(number, with_rank=True), index_walk=False))[lo:hi]
        ids, backwards = self._slice(number, size, lo, hi)
        if self._walk_pays(size, min(hi, size - lo)):
            pks = _fetch_guarded(ids)
        else:
            pks = _fetch(ids, index_walk=False)
        return pks[::-1] if backwards else pks

    def _slice(self, number, size, lo, hi):
        """Return the query for positions lo to hi of a large tier, and whether it runs backwards.

        Past the middle, the positions are counted from the oldest end, as for the
        listings (articles.views.pagination): PostgreSQL then sorts, or walks, only
        that far from the end.
        """
        from_end = size - hi
        if from_end >= lo:
            return self._newest(number)[lo:hi], False
        oldest = self.tiers[number].order_by("published_at", "article_id")
        return oldest.values_list("article_id", flat=True)[from_end : size - lo], True

    def _newest(self, number, *, with_rank=False):
        tier = self.tiers[number].order_by("-published_at", "-article_id")
        if with_rank:
            # The body tier has no head match: it ranks by the whole vector.
            vector = "vector" if number == len(self.tiers) - 1 else "head"
            rank = _rank(F(vector), self.tsquery)
            return tier.annotate(rank=rank).values_list("article_id", "rank")
        return tier.values_list("article_id", flat=True)

    def _walk_pays(self, size, depth):
        """Return whether walking the date index beats a bitmap scan of every match.

        The walk reads about depth × (visible articles) / size rows and fetches
        each one's TOASTed vector; the bitmap scan reads every match's row, but
        only the row.
        """
        visible = _estimated_rows(self.matches)
        return visible > 0 and depth * visible * WALK_ROW_COST < size * self.total


def _ranked(rows):
    return [pk for pk, _rank in sorted(rows, key=lambda row: row[1], reverse=True)]


def _estimated_rows(queryset):
    """Return PostgreSQL's estimate of the rows of a query's table, or -1 if never analysed."""
    table = queryset.model._meta.db_table
    with connections[queryset.db].cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
        row = cursor.fetchone()
    return row[0] if row else -1


@contextmanager
def _planner(using, **settings):
    """Apply planner settings to the enclosed queries, then restore the previous values.

    The settings are local to a transaction, which is opened here if none is;
    inside an outer one (tests, ATOMIC_REQUESTS) they would outlive the block,
    so they are restored explicitly. Names and values are our own constants.
    """
    connection = connections[using]
    previous = {}

    def apply(**values):
        names = list(values)
        cursor.execute(
            "SELECT " + ", ".join(["current_setting(%s), set_config(%s, %s, true)"] * len(names)),
            [param for name in names for param in (name, name, values[name])],
        )
        row = cursor.fetchone()
        for index, name in enumerate(names):
            previous.setdefault(name, row[2 * index])

    with transaction.atomic(using=using), connection.cursor() as cursor:
        apply(**settings)
        try:
            yield apply
        finally:
            names = list(previous)
            cursor.execute(
                "SELECT " + ", ".join(["set_config(%s, %s, true)"] * len(names)),
                [param for name in names for param in (name, previous[name])],
            )


def _count(queryset):
    """Count with a bitmap scan of the GIN index, never a sequential scan.

    PostgreSQL costs `@@` like any operator and does not know that testing a
    row means fetching its TOASTed vector; the search entries' heap is small, so
    for a common word a sequential scan looks about as cheap (on a narrower
    variant of the table it was chosen: 800 ms against 20 ms at 100,000 articles).
    """
    with _planner(queryset.db, enable_seqscan="off"):
        return queryset.count()


def _fetch(queryset, *, index_walk=True):
    """Evaluate a query that tests whole vectors, without a sequential scan.

    With index_walk=False PostgreSQL must also leave the date index alone and
    intersect the GIN postings, then sort what it found.
    """
    settings = {"enable_seqscan": "off"}
    if not index_walk:
        settings["enable_indexscan"] = "off"
    with _planner(queryset.db, **settings):
        return list(queryset)


def _fetch_guarded(queryset):
    """Evaluate a query; if it runs too long, rerun it with index walks disabled.

    PostgreSQL assumes words are independent, so for `introduction 概率` (two
    words never in the same article) it expects thousands of matches and walks
    the date index newest first, reading every article's vector to find 39.
    The exact counts usually steer clear of that (_walk_pays), but they rest on
    an estimate of the table's size. Cancelled after WALK_TIMEOUT_MS, the query
    is rerun without index scans, which makes PostgreSQL intersect the GIN
    postings instead.
    """
    using = queryset.db
    with _planner(using, enable_seqscan="off", statement_timeout=f"{WALK_TIMEOUT_MS}ms") as apply:
        try:
            with transaction.atomic(using=using):
                return list(queryset)
        except OperationalError as error:
            if not isinstance(error.__cause__, psycopg.errors.QueryCanceled):
                raise
        apply(statement_timeout="0", enable_indexscan="off")
        return list(queryset)

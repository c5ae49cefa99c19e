"""Web-search style queries over the article vectors built by articles.search_index.

Syntax, as on web search engines: words must all match, `"quoted phrase"`
matches words in order, `-word` excludes, and `OR` between two terms accepts
either. The query is parsed here in Python and every term reaches PostgreSQL
as a bound parameter of plainto_tsquery or phraseto_tsquery, so no input can
become tsquery or SQL syntax. Terms are normalised like documents: Chinese cut
into words (precise mode for plain terms, whose words are ANDed; search mode
for phrases, to reproduce the documents' word sequence).
"""

import functools
import html
from dataclasses import dataclass

import psycopg
import regex
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorExact,
    SearchVectorField,
)
from django.db import OperationalError, connections, transaction
from django.db.models import F, Func
from django.utils.safestring import mark_safe

from articles.search_index import (
    MARK_START,
    MARK_STOP,
    SEARCH_CONFIG,
    WORD_SEPARATOR,
    clean_text,
    segment,
)

# Beyond this many matches (20 pages) the page says "more than" and stops
# paginating: an exact count of a word found in 50,000 articles costs more than
# the search, and nobody reads page 21 of a search.
MAX_COUNTED_RESULTS = 200
# A ranking tier with more matches than this is paged newest first instead of
# by rank: ranking means computing every match before showing the first.
RANKED_TIER_LIMIT = 200
# How long a tier query may walk the date index before it is retried another way.
WALK_TIMEOUT_MS = 100
# Longer queries are cut rather than refused: nobody types 200 characters by hand,
# and a bound keeps the tsquery small.
MAX_QUERY_CHARS = 200
# ts_rank_cd weights for D (body), C (summary), B (tags, category), A (title);
# ranking reads search_head, which holds only A and B.
RANK_WEIGHTS = [0.1, 0.2, 0.4, 1.0]
HEADLINE_OPTIONS = {
    "start_sel": MARK_START,
    "stop_sel": MARK_STOP,
    "max_words": 40,
    "min_words": 15,
    "short_word": 1,
    "max_fragments": 2,
    "fragment_delimiter": " … ",
}

_TOKEN = regex.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORDLIKE = regex.compile(r"[\p{L}\p{N}]")
_MARKED = regex.compile(rf"{MARK_START}([^{MARK_START}{MARK_STOP}]*){MARK_STOP}")


@dataclass(frozen=True)
class Term:
    text: str
    phrase: bool = False
    excluded: bool = False

    def tsquery(self):
        """Return this term as a parameterised SearchQuery."""
        query = SearchQuery(
            segment(self.text, precise=not self.phrase),
            config=SEARCH_CONFIG,
            search_type="phrase" if self.phrase else "plain",
        )
        return ~query if self.excluded else query


def normalise_query(raw):
    """Return a query with NULs and control characters removed, cut to a sane length."""
    text = (raw or "")[:MAX_QUERY_CHARS]
    text = text.replace("“", '"').replace("”", '"').replace("＂", '"')
    return clean_text(text).strip()


def parse_query(raw):
    """Parse web-search syntax into groups of terms: AND between groups, OR within one.

    Return an empty list when nothing searchable is left (empty, punctuation only,
    operators only, or only exclusions, which would match nearly everything).
    """
    groups, join_next = [], False
    for match in _TOKEN.finditer(normalise_query(raw)):
        minus, quoted, bare = match.groups()
        if bare is not None and bare.upper() == "OR":
            join_next = bool(groups)
            continue
        if quoted is not None:
            term = Term(quoted, phrase=True, excluded=bool(minus))
        else:
            excluded = bare.startswith("-") and len(bare) > 1
            term = Term(bare[1:] if excluded else bare, excluded=excluded)
        if not _WORDLIKE.search(term.text):
            continue
        if join_next:
            groups[-1].append(term)
        else:
            groups.append([term])
        join_next = False
    if not any(not term.excluded for group in groups for term in group):
        return []
    return groups


def build_tsquery(groups):
    """Combine parsed term groups into one SearchQuery, or None for an empty query."""
    combined = None
    for group in groups:
        either = None
        for term in group:
            either = term.tsquery() if either is None else either | term.tsquery()
        combined = either if combined is None else combined & either
    return combined


class WeightFilter(Func):
    """Keep only the lexemes of a vector that carry the given weights (ts_filter)."""

    function = "ts_filter"
    output_field = SearchVectorField()

    def __init__(self, vector, weights, **extra):
        # Weights are our own constants, never user input.
        if not set(weights) <= set("abcd"):
            raise ValueError(f"unknown weights {weights!r}")
        super().__init__(
            vector, template=f"%(function)s(%(expressions)s, '{{{','.join(weights)}}}')", **extra
        )


# Ranking tiers, then recency. Body-only matches have no title or keyword match
# and a zero head rank, so among them the newest come first.
ORDERING = ("-title_match", "-keyword_match", "-rank", "-published_at", "-pk")


def _annotate(queryset, tsquery, *, headline=True):
    queryset = queryset.annotate(
        title_match=SearchVectorExact(WeightFilter(F("search_head"), "a"), tsquery),
        keyword_match=SearchVectorExact(F("search_head"), tsquery),
        rank=SearchRank(F("search_head"), tsquery, weights=RANK_WEIGHTS, cover_density=True),
    )
    if headline:
        queryset = queryset.annotate(
            headline=SearchHeadline(
                "search_text", tsquery, config=SEARCH_CONFIG, **HEADLINE_OPTIONS
            )
        )
    return queryset


def search_articles(queryset, raw_query):
    """Filter, rank and annotate a headline: title matches first, then tags and category.

    Title and keyword matches are ordered by the weighted cover density of the
    title, tags and category (`search_head`), then by recency; articles that
    match only in the summary or body come after them, newest first.
    """
    tsquery = build_tsquery(parse_query(raw_query))
    if tsquery is None:
        return queryset.none()
    return _annotate(queryset.filter(search_vector=tsquery), tsquery).order_by(*ORDERING)


class SearchResults:
    """The results of search_articles(), fetched a page at a time, for the paginator.

    One ORDER BY over every match makes PostgreSQL rank them all, and a common
    word matches half the articles. Here each tier (title, then tags and
    category, then the rest) is read on its own, newest first, so PostgreSQL
    can walk the date index and stop early; a tier small enough is ranked as
    in search_articles() (which a test checks). Title and tag tiers read only
    search_head, never the TOASTed whole vector. Counting stops past
    MAX_COUNTED_RESULTS, so at most that many ids are ever read.
    """

    def __init__(self, queryset, raw_query):
        self.queryset = queryset
        self.tsquery = build_tsquery(parse_query(raw_query))
        if self.tsquery is None:
            self.tiers = []
            return
        in_title = SearchVectorExact(WeightFilter(F("search_head"), "a"), self.tsquery)
        in_head = SearchVectorExact(F("search_head"), self.tsquery)
        self.tiers = [
            queryset.filter(in_head, in_title),
            queryset.filter(in_head).exclude(in_title),
            queryset.filter(search_vector=self.tsquery).exclude(in_head),
        ]

    @functools.cached_property
    def ordered_pks(self):
        """Return the ids of the first MAX_COUNTED_RESULTS + 1 matches, in order.

        Each tier is read newest first with a LIMIT, which PostgreSQL can serve by
        walking the date index; a tier that fits under RANKED_TIER_LIMIT is then
        sorted by rank here (stable, so recency still breaks ties).
        """
        pks, wanted = [], MAX_COUNTED_RESULTS + 1
        for number, tier in enumerate(self.tiers):
            if len(pks) >= wanted:
                break
            ids = (
                _annotate(tier, self.tsquery, headline=False)
                .order_by("-published_at", "-pk")
                .values_list("pk", "rank")[: max(wanted - len(pks), RANKED_TIER_LIMIT + 1)]
            )
            # Only the last tier reads the TOASTed vectors, where a wrong plan hurts.
            rows = _fetch_guarded(ids) if number == len(self.tiers) - 1 else list(ids)
            if len(rows) <= RANKED_TIER_LIMIT:
                rows.sort(key=lambda row: row[1], reverse=True)
            pks += [pk for pk, _rank in rows]
        return pks[:wanted]

    @property
    def is_capped(self):
        return len(self.ordered_pks) > MAX_COUNTED_RESULTS

    def count(self):
        return min(len(self.ordered_pks), MAX_COUNTED_RESULTS)

    def __len__(self):
        return self.count()

    def __getitem__(self, key):
        if not isinstance(key, slice) or key.step is not None:
            raise TypeError("SearchResults supports only slices without a step.")
        pks = self.ordered_pks[key.start or 0 : min(key.stop, self.count())]
        # Rows, joins, headlines and tags only for the page, in one query (plus prefetch).
        page = _annotate(self.queryset.filter(pk__in=pks), self.tsquery).in_bulk(pks)
        return [page[pk] for pk in pks]


def _fetch_guarded(queryset):
    """Evaluate a query; if it runs too long, rerun it with index walks disabled.

    PostgreSQL assumes words are independent, so for `introduction 概率` (two
    words never in the same article) it expects thousands of matches and walks
    the date index newest first, reading every article's vector to find 39.
    Cancelled after WALK_TIMEOUT_MS, the query is rerun without index scans,
    which makes PostgreSQL intersect the GIN postings instead.
    """
    connection = connections[queryset.db]
    with transaction.atomic(using=queryset.db), connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('statement_timeout'),"
            " set_config('statement_timeout', %s, true)",
            [f"{WALK_TIMEOUT_MS}ms"],
        )
        previous = cursor.fetchone()[0]
        try:
            try:
                with transaction.atomic(using=queryset.db):
                    return list(queryset)
            except OperationalError as error:
                if not isinstance(error.__cause__, psycopg.errors.QueryCanceled):
                    raise
            cursor.execute(
                "SELECT set_config('statement_timeout', '0', true),"
                " set_config('enable_indexscan', 'off', true)"
            )
            return list(queryset)
        finally:
            cursor.execute(
                "SELECT set_config('statement_timeout', %s, true),"
                " set_config('enable_indexscan', 'on', true)",
                [previous],
            )


def snippet_html(headline):
    """Return a headline as safe HTML: everything escaped, then the markers made <mark>."""
    text = (headline or "").replace(WORD_SEPARATOR, "")
    escaped = html.escape(text, quote=True)
    marked = _MARKED.sub(r"<mark>\1</mark>", escaped)
    return mark_safe(marked.replace(MARK_START, "").replace(MARK_STOP, ""))

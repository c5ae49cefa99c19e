"""Web-search style queries over the article vectors built by articles.search_index.

Syntax, as on web search engines: words must all match, `"quoted phrase"`
matches words in order, `-word` excludes, and `OR` between two terms accepts
either. The query is parsed here in Python and every term reaches PostgreSQL
as a bound parameter of plainto_tsquery or phraseto_tsquery, so no input can
become tsquery or SQL syntax. Terms are normalised like documents: Chinese cut
into words (precise mode for plain terms, whose words are ANDed; search mode
for phrases, to reproduce the documents' word sequence).
"""

import html
from dataclasses import dataclass

import regex
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorExact,
    SearchVectorField,
)
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

# Longer queries are cut rather than refused: nobody types 200 characters by hand,
# and a bound keeps the tsquery small.
MAX_QUERY_CHARS = 200
# ts_rank_cd weights for D (body, not in search_head), C (summary), B (tags,
# category), A (title).
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


def search_articles(queryset, raw_query):
    """Filter, rank and annotate a headline: title matches first, then tags and category.

    Within a tier articles are ordered by the weighted cover density of their
    title, tags, category and summary, then by recency; articles matching only
    in the body are therefore newest first. Ranking reads only the small
    `search_head` vector, so a word found in half the articles stays fast.
    """
    tsquery = build_tsquery(parse_query(raw_query))
    if tsquery is None:
        return queryset.none()
    return (
        queryset.filter(search_vector=tsquery)
        .annotate(
            title_match=SearchVectorExact(WeightFilter(F("search_head"), "a"), tsquery),
            keyword_match=SearchVectorExact(WeightFilter(F("search_head"), "ab"), tsquery),
            rank=SearchRank(F("search_head"), tsquery, weights=RANK_WEIGHTS, cover_density=True),
            headline=SearchHeadline(
                "search_text", tsquery, config=SEARCH_CONFIG, **HEADLINE_OPTIONS
            ),
        )
        .order_by("-title_match", "-keyword_match", "-rank", "-published_at", "-pk")
    )


def snippet_html(headline):
    """Return a headline as safe HTML: everything escaped, then the markers made <mark>."""
    text = (headline or "").replace(WORD_SEPARATOR, "")
    escaped = html.escape(text, quote=True)
    marked = _MARKED.sub(r"<mark>\1</mark>", escaped)
    return mark_safe(marked.replace(MARK_START, "").replace(MARK_STOP, ""))

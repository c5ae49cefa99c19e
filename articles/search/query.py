"""Web-search style queries over the article vectors built by articles.search.index.

Syntax, as on web search engines: words must all match, `"quoted phrase"`
matches words in order, `-word` excludes, and `OR` between two terms accepts
either. The query is parsed here in Python and every term reaches PostgreSQL
as a bound parameter of plainto_tsquery or phraseto_tsquery, so no input can
become tsquery or SQL syntax. Terms are normalised like documents: Chinese cut
into words (precise mode for plain terms, whose words are ANDed; search mode
for phrases, to reproduce the documents' word sequence).
"""

from dataclasses import dataclass

import regex
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorExact,
)
from django.db.models import F

from articles.search.documents import (
    MARK_START,
    MARK_STOP,
    SEARCH_CONFIG,
    clean_text,
    segment,
)

# Longer queries are cut rather than refused: nobody types 200 characters by hand,
# and a bound keeps the tsquery small.
MAX_QUERY_CHARS = 200
# ts_rank_cd weights for D (body), C (summary), B (tags, category), A (title);
# ranking reads the search entry's head, which holds only A and B.
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


# Ranking tiers, then recency. Body-only matches have no title or keyword match
# and a zero head rank, so among them the newest come first.
ORDERING = ("-title_match", "-keyword_match", "-rank", "-published_at", "-pk")


def _rank(vector, tsquery):
    return SearchRank(vector, tsquery, weights=RANK_WEIGHTS, cover_density=True)


def _headline(tsquery):
    return SearchHeadline("search_text", tsquery, config=SEARCH_CONFIG, **HEADLINE_OPTIONS)


def search_articles(queryset, raw_query):
    """Filter, rank and annotate a headline: title matches first, then tags and category.

    Title and keyword matches are ordered by the weighted cover density of the
    title, tags and category (the entry's `head`), then by recency; articles
    that match only in the summary or body come after them, newest first.
    """
    tsquery = build_tsquery(parse_query(raw_query))
    if tsquery is None:
        return queryset.none()
    return (
        queryset.filter(search_entry__vector=tsquery)
        .annotate(
            title_match=SearchVectorExact(F("search_entry__title"), tsquery),
            keyword_match=SearchVectorExact(F("search_entry__head"), tsquery),
            rank=_rank(F("search_entry__head"), tsquery),
            headline=_headline(tsquery),
        )
        .order_by(*ORDERING)
    )

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
from django.db.models import Case, F, FloatField, When

from articles.search.documents import (
    MARK_START,
    MARK_STOP,
    PAIR_CONFIG,
    SEARCH_CONFIG,
    WORD_SEPARATOR,
    bigrams,
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
        """Return this term as a parameterised SearchQuery.

        A plain term with Chinese in it also matches through the character pairs
        indexed beside the words (documents.bigrams()), so characters that
        straddle the segmenter's words (任何工, 友自己) still find the article.
        """
        query = SearchQuery(
            segment(self.text, precise=not self.phrase),
            config=SEARCH_CONFIG,
            search_type="phrase" if self.phrase else "plain",
        )
        pairs = bigrams(self.text)
        if not pairs or self.phrase:
            return ~query if self.excluded else query
        by_pairs = SearchQuery(pairs, config=PAIR_CONFIG, search_type="plain")
        # Excluded: neither the words nor the pairs may match.
        return (~query & ~by_pairs) if self.excluded else (query | by_pairs)


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


def build_highlight_query(groups):
    """Return a SearchQuery matching any word of the wanted terms, for picking snippets.

    The search itself needs all of a term's words (or all its character pairs);
    a snippet should show where any of them occurs, and the snippet text holds
    the segmenter's words only, never the pairs. Every word is a bound parameter.
    """
    combined = None
    for term in (term for group in groups for term in group if not term.excluded):
        words = segment(term.text, precise=True).replace(WORD_SEPARATOR, " ").split()
        for word in dict.fromkeys(words + bigrams(term.text).split()):
            query = SearchQuery(word, config=SEARCH_CONFIG, search_type="plain")
            combined = query if combined is None else combined | query
    return combined


def build_tsquery(groups):
    """Combine parsed term groups into one SearchQuery, or None for an empty query."""
    combined = None
    for group in groups:
        either = None
        for term in group:
            either = term.tsquery() if either is None else either | term.tsquery()
        combined = either if combined is None else combined & either
    return combined


# Ranking tiers, then rank, then recency. Title and keyword matches rank by
# their head; body-only matches by the whole vector (docs/search.md).
ORDERING = ("-title_match", "-keyword_match", "-rank", "-published_at", "-pk")


def _rank(vector, tsquery):
    return SearchRank(vector, tsquery, weights=RANK_WEIGHTS, cover_density=True)


def _headline(query):
    return SearchHeadline("search_text", query, config=SEARCH_CONFIG, **HEADLINE_OPTIONS)


def search_articles(queryset, raw_query):
    """Filter, rank and annotate a headline: title matches first, then tags and category.

    Title and keyword matches are ordered by the weighted cover density of the
    title, tags and category (the entry's `head`), then by recency; articles
    that match only in the summary or body come after them, by the cover
    density of their whole vector, then by recency.
    """
    groups = parse_query(raw_query)
    tsquery = build_tsquery(groups)
    if tsquery is None:
        return queryset.none()
    return (
        queryset.filter(search_entry__vector=tsquery)
        .annotate(
            title_match=SearchVectorExact(F("search_entry__title"), tsquery),
            keyword_match=SearchVectorExact(F("search_entry__head"), tsquery),
        )
        .annotate(
            rank=Case(
                When(keyword_match=True, then=_rank(F("search_entry__head"), tsquery)),
                default=_rank(F("search_entry__vector"), tsquery),
                output_field=FloatField(),
            ),
            headline=_headline(build_highlight_query(groups)),
        )
        .order_by(*ORDERING)
    )

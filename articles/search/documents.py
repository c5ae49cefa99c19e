"""Build each article's weighted full-text vector, with Chinese cut into words.

PostgreSQL's parser keeps a run of Chinese characters as one lexeme, so `模型`
would never match `深度学习模型`. Before PostgreSQL sees any text, every Han run
is replaced by its words from jieba (rjieba), separated by spaces; the 'english'
configuration then stems Latin words and keeps CJK words as they are. Documents
are cut in search mode, which also emits the sub-words of long words, so `注意力`
finds `注意力机制`. The same normalisation runs on queries (articles.search.query).

Weights: title A, tags and category B, summary C, body D. The body is the text
of the stored HTML without code blocks and math, which would flood the index.
The vectors live in a narrow table of their own (models.SearchEntry): the
whole vector, for matching; the title, tags and category part alone (`head`,
a few hundred bytes kept in the row), which is what ranking reads, as ranking
from the whole vector would fetch kilobytes of TOAST for every match of a
common word; and the title alone, for the first ranking tier. The article row
keeps only the text snippets are cut from (`search_text`).
"""

import html
from dataclasses import dataclass
from html.parser import HTMLParser

import regex
import rjieba

from articles.rendering.preview import heading_end, placeholders

SEARCH_CONFIG = "english"
# Character pairs are indexed and queried as they are: no stemming, no stopwords.
PAIR_CONFIG = "simple"
# Beyond this many characters a body adds little to ranking but risks PostgreSQL's
# 1 MB tsvector limit; positions stop growing at 16,383 anyway.
MAX_INDEXED_CHARS = 200_000
INDEX_BATCH_SIZE = 500
# Headline markers: private-use characters, stripped from indexed text so only
# ts_headline can put them in a snippet (articles.search.query turns them into <mark>).
MARK_START = "\ue000"
MARK_STOP = "\ue001"

# Function words that would match nearly every Chinese article.
CHINESE_STOPWORDS = frozenset("的了是在和与及或也就都而被把之其着个这那")

# Put between the words cut from a Chinese run. PostgreSQL's parser reads this
# ASCII control character as a separator under any locale, and since clean_text()
# removes it from the source, deleting it from a headline restores the original.
WORD_SEPARATOR = "\x1f"

_HAN_RUN = regex.compile(r"[\p{Han}〇]+")
# Non-ASCII punctuation glues to words in PostgreSQL's parser under the C locale;
# ASCII punctuation is left alone (it shapes e-mails, versions, hyphenated words).
_NON_ASCII_MARK = regex.compile(r"(?![\x00-\x7f])[\p{P}\p{S}\p{Z}]")
_UNWANTED = regex.compile(rf"[\p{{Cc}}\p{{Cs}}\p{{Cn}}{MARK_START}{MARK_STOP}]")
_SPACES = regex.compile(r" {2,}")
# Where snippets show a placeholder instead of what the index leaves out.
_PLACEHOLDERS = {"pre": "code", "math": "math"}

# Elements whose text never enters the index: code blocks, math, anchor glyphs.
_SKIPPED = {"pre", "math", "script", "style", "template", "svg"}
_BLOCKS = {
    "address", "article", "aside", "blockquote", "br", "dd", "details", "div", "dl", "dt",
    "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
    "li", "main", "nav", "ol", "p", "section", "summary", "table", "td", "th", "tr", "ul",
}  # fmt: skip
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def clean_text(text):
    """Turn control characters, NULs, headline markers and wide punctuation into spaces."""
    text = _UNWANTED.sub(" ", text or "")
    return _SPACES.sub(" ", _NON_ASCII_MARK.sub(" ", text))


def segment(text, *, precise=False, stopwords=True):
    """Return cleaned text with every Chinese run replaced by its separated words.

    Search mode (the default) adds sub-words for documents; precise mode gives
    the fewest words, for query terms that must all match. Chinese stopwords are
    dropped unless the text is for display.
    """
    cut = rjieba.cut if precise else rjieba.cut_for_search
    dropped = CHINESE_STOPWORDS if stopwords else frozenset()

    def words(match):
        kept = [word for word in cut(match.group()) if word not in dropped]
        return WORD_SEPARATOR + WORD_SEPARATOR.join(kept) + WORD_SEPARATOR

    return _HAN_RUN.sub(words, clean_text(text)).strip()


class _TextExtractor(HTMLParser):
    """Collect readable text from stored article HTML, skipping code blocks and math.

    `shown` gets the same text with a placeholder where a code block or a formula
    was, for snippets: "drops below roughly [math]." reads, "roughly ." does not.
    """

    def __init__(self, words=None, language=""):
        super().__init__(convert_charrefs=True)
        self.language = language
        self.parts = []
        self.shown = []
        self.skipping = []
        self.words = words or {}
        self.last_shown = ""

    def handle_starttag(self, tag, attrs):
        if tag in _SKIPPED or (tag == "a" and "heading-anchor" in (dict(attrs).get("class") or "")):
            if not self.skipping and tag in _PLACEHOLDERS:
                placeholder = self.words.get(_PLACEHOLDERS[tag], "")
                # "[code] [code] [code]" says no more than one "[code]".
                if self.last_shown != placeholder:
                    # A code block stands apart; a formula sits in its sentence.
                    self.shown.append(f" {placeholder} " if tag == "pre" else placeholder)
                    self.last_shown = placeholder
            self.skipping.append(tag)
        elif tag in _BLOCKS:
            self._add(" ")
        elif tag == "img" and not self.skipping:
            self._add(" " + (dict(attrs).get("alt") or "") + " ")

    def _add(self, text):
        self.parts.append(text)
        self.shown.append(text)
        if text.strip():
            self.last_shown = text

    def handle_startendtag(self, tag, attrs):
        if tag not in _SKIPPED:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if self.skipping and tag == self.skipping[-1]:
            self.skipping.pop()
        elif tag in _HEADINGS and not self.skipping:
            # "Where it goes wrong. The quantity…", as previews read, not "wrong The".
            self.shown.append(heading_end(self.last_shown, self.language))
            self.parts.append(" ")
        elif tag in _BLOCKS:
            self._add(" ")

    def handle_data(self, data):
        if not self.skipping:
            self._add(data)


def body_texts(body_html, language=""):
    """Return the text to index and the text to show in snippets, for rendered HTML."""
    extractor = _TextExtractor(placeholders(language), language)
    extractor.feed(body_html or "")
    extractor.close()
    indexed = html.unescape("".join(extractor.parts))[:MAX_INDEXED_CHARS]
    shown = _SPACES.sub(" ", html.unescape("".join(extractor.shown)))[:MAX_INDEXED_CHARS]
    return indexed, shown


def body_text(body_html):
    """Return the plain text of rendered article HTML without code blocks or math."""
    return body_texts(body_html)[0]


def display_text(text):
    """Return text for snippets: Chinese cut into words, punctuation kept.

    Every word and mark is set off by WORD_SEPARATOR, which the PostgreSQL
    parser reads as a break and snippet_html() deletes, so the snippet gives
    back the author's own punctuation ("怀疑人生，设得太大").
    """
    text = _UNWANTED.sub(" ", text or "")
    text = _NON_ASCII_MARK.sub(lambda m: f"{WORD_SEPARATOR}{m.group()}{WORD_SEPARATOR}", text)
    return _HAN_RUN.sub(_precise_words, _SPACES.sub(" ", text)).strip()


def _precise_words(match):
    return WORD_SEPARATOR + WORD_SEPARATOR.join(rjieba.cut(match.group())) + WORD_SEPARATOR


def bigrams(text):
    """Return every pair of neighbouring Han characters in text, space-separated.

    Indexed beside the segmenter's words (at the lowest weight), they let a query
    that cuts across word boundaries (任何工 in 任何工作) still find the article;
    articles.search asks for them as an alternative to the query's own words.
    """
    pairs = []
    for run in _HAN_RUN.findall(text or ""):
        pairs.extend(run[index : index + 2] for index in range(len(run) - 1))
    return " ".join(pairs)


@dataclass(frozen=True)
class SearchDocument:
    """The normalised text of one article, one string per weight."""

    pk: int
    title: str
    keywords: str
    summary: str
    body: str
    # The summary and body cut in precise mode, punctuation and placeholders
    # kept, so that deleting the separators gives back the text for snippets.
    headline_text: str
    # Han character pairs of the title, summary and body (see bigrams()).
    pairs: str = ""


def build_document(*, pk, title, summary, body_html, category_name, tag_names, language=""):
    """Return the normalised, weighted text of one article."""
    keywords = " ".join([*sorted(tag_names), category_name or ""])
    body, shown = body_texts(body_html, language)
    return SearchDocument(
        pk=pk,
        title=segment(title),
        keywords=segment(keywords),
        summary=segment(summary),
        body=segment(body),
        headline_text=display_text(f"{summary}\n{shown}"),
        pairs=bigrams(f"{title}\n{summary}\n{body}"),
    )

"""Turn a ts_headline snippet into safe HTML with whole matched words in <mark>.

ts_headline marks the lexemes it matched, which may be a piece of a word: the
segmenter cut 互相关 into 互相|关, or a stem sits inside a longer Latin word.
Marks are widened to whole Latin words, the query's Chinese terms are marked
wherever they occur literally, and touching marks are joined, so readers see
the words they typed highlighted whole (docs/search.md, "Snippets").
"""

import html

import regex
from django.utils.safestring import mark_safe

from articles.rendering.preview import PLACEHOLDERS
from articles.search.documents import MARK_START, MARK_STOP, WORD_SEPARATOR
from articles.search.query import parse_query

_MARKED = regex.compile(rf"{MARK_START}([^{MARK_START}{MARK_STOP}]*){MARK_STOP}")
# Letters and digits of a Latin word, which a mark is widened over.
_LATIN_WORD_CHAR = regex.compile(r"[\p{Latin}\p{N}_]")
_HAN = regex.compile(r"\p{Han}")


# ts_headline cuts at tokens, and "[", a placeholder's word and "]" are three: a snippet
# could start "公式]就是…" or end "…，[公式". The cut placeholder is made whole again.
_WORDS = "|".join(
    sorted({word[1:-1] for words in PLACEHOLDERS.values() for word in words.values()})
)
_CUT_START = regex.compile(rf"^(\s*)({_WORDS})\]")
_CUT_END = regex.compile(rf"\[({_WORDS})?\s*$")


def _whole_placeholders(text, spans):
    """Return (text, spans) with a placeholder cut at either end made whole."""
    if start := _CUT_START.match(text):
        text = f"{start.group(1)}[{text[start.end(1) :]}"
        spans = [(left + 1, right + 1) for left, right in spans]
    if end := _CUT_END.search(text):
        text = text[: end.start()] + (f"[{end.group(1)}]" if end.group(1) else "")
    return text, spans


def snippet_html(headline, query=""):
    """Return a headline as safe HTML: everything escaped, then the matches made <mark>."""
    text, spans = _whole_placeholders(*_unmark((headline or "").replace(WORD_SEPARATOR, "")))
    spans = [_whole_word(text, start, end) for start, end in spans]
    for term in _chinese_terms(query):
        spans += [match.span() for match in regex.finditer(regex.escape(term), text, regex.I)]
    parts, last = [], 0
    for start, end in _merged(spans):
        parts.append(html.escape(text[last:start], quote=True))
        parts.append(f"<mark>{html.escape(text[start:end], quote=True)}</mark>")
        last = end
    parts.append(html.escape(text[last:], quote=True))
    return mark_safe("".join(parts))


def _unmark(text):
    """Return text without headline markers, and the spans paired markers enclosed.

    Stray markers are dropped; the indexed text never holds any, so only
    ts_headline can open a mark.
    """
    plain, spans, length, last = [], [], 0, 0
    for match in _MARKED.finditer(text):
        before = _strip_markers(text[last : match.start()])
        inner = match.group(1)
        plain += [before, inner]
        length += len(before)
        spans.append((length, length + len(inner)))
        length += len(inner)
        last = match.end()
    plain.append(_strip_markers(text[last:]))
    return "".join(plain), spans


def _strip_markers(text):
    return text.replace(MARK_START, "").replace(MARK_STOP, "")


def _whole_word(text, start, end):
    while start > 0 and _LATIN_WORD_CHAR.match(text[start - 1]):
        start -= 1
    while end < len(text) and _LATIN_WORD_CHAR.match(text[end]):
        end += 1
    return start, end


def _chinese_terms(query):
    """Return the query's wanted terms that hold Chinese.

    Latin terms are left to ts_headline, which matches them stemmed (kernels, kernel).
    """
    return [
        term.text.strip()
        for group in parse_query(query)
        for term in group
        if not term.excluded and _HAN.search(term.text)
    ]


def _merged(spans):
    """Return spans sorted, with overlapping or touching ones joined."""
    merged = []
    for start, end in sorted(span for span in spans if span[1] > span[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged

"""Plain-text previews, word counts and reading times from the Markdown token stream.

Text comes from tokens, never from regexes over HTML: headings, emphasis and
links give their text, code and display math give a short localized placeholder,
images give their alt text. Width is measured in terminal columns (a CJK
character counts 2) and cuts fall only between grapheme clusters.
"""

import math
import unicodedata
from dataclasses import dataclass

import regex
import rjieba
from django.conf import settings

from articles.rendering.math_markdown import MATH_TOKEN_TYPES
from articles.rendering.math_text import readable_math
from articles.rendering.raw_html import inline_math, shown_as_text, visible_text

PLACEHOLDERS = {
    "en": {"code": "[code]", "math": "[math]", "image": "[image]", "table": "[table]"},
    "zh": {"code": "[代码]", "math": "[公式]", "image": "[图片]", "table": "[表格]"},
}
# A table whose text would take more than this share of the preview is shown as a placeholder.
TABLE_SHARE = 1 / 3
# Compared with all whitespace removed, so "<!--more-->" counts too.
EXCERPT_MARKERS = {"<!--more-->", "<!--truncate-->"}
INLINE_MATH_MAX_CHARS = 24
ELLIPSIS = "…"

# Kinds of text a segment can hold, and where each one counts.
TEXT = "text"  # prose: previewed and counted
CODE = "code"  # inline code: previewed, not counted
ATOM = "atom"  # placeholder or short math: previewed whole or not at all, not counted
ASIDE = "aside"  # footnotes: counted, not previewed
BREAK = "break"  # block or line boundary; its text says which (below)
MARKER = "marker"  # excerpt marker

_CJK = r"\p{Han}\p{Hiragana}\p{Katakana}"
_CJK_CHAR = regex.compile(rf"[{_CJK}]")
_LATIN_WORD = regex.compile(
    rf"[^\s{_CJK}\p{{P}}\p{{S}}\p{{C}}]+(?:['’.\-][^\s{_CJK}\p{{P}}\p{{S}}\p{{C}}]+)*"
)
_WIDE = regex.compile(rf"[{_CJK}\p{{Hangul}}\u3000-\u303f\uff00-\uffef]")
_HAN = regex.compile(r"\p{Han}")
# Characters of a Han run read on each side of a cut to find the word it splits.
WORD_CONTEXT = 16
_CLUSTER = regex.compile(r"\X", regex.DOTALL)
_SPACES = regex.compile(r"\s+")
# Trailing characters that look broken at the end of a cut preview.
_DANGLING = {"Zs", "Po", "Ps", "Pi", "Pd", "Pc", "Sm"}


# Where a block ends, strongest last: the separator printed there when the text
# before it ends without punctuation. Chinese runs a heading into the next
# sentence otherwise ("本周话题数字游民今天…"); see docs/markdown.md.
LINE_END, BLOCK_END, CELL_END, ITEM_END, HEADING_END = range(5)
BREAK_KINDS = {
    "heading_close": HEADING_END,
    "list_item_close": ITEM_END,
    "tr_close": ITEM_END,
    "td_close": CELL_END,
    "th_close": CELL_END,
}
SEPARATORS = {
    "en": {LINE_END: " ", BLOCK_END: " ", CELL_END: ", ", ITEM_END: "; ", HEADING_END: ". "},
    "zh": {
        LINE_END: "",
        BLOCK_END: "\u3000",
        CELL_END: "，",
        ITEM_END: "；",
        HEADING_END: "\u3000",
    },
}
# Text ending in one of these needs no separator, only the space between words.
_PAUSES = set("。！？；：，、….!?;:,—")


@dataclass
class Segment:
    kind: str
    text: str = ""
    end: int = BLOCK_END  # for breaks: which kind of boundary


def heading_end(text, language):
    """Return what follows a heading whose text is `text`, in running text of `language`."""
    if text.rstrip()[-1:] in _PAUSES:
        return " "
    return SEPARATORS["zh" if (language or "").lower().startswith("zh") else "en"][HEADING_END]


def placeholders(language):
    """Return the placeholder strings for a Django language code."""
    return PLACEHOLDERS["zh"] if (language or "").lower().startswith("zh") else PLACEHOLDERS["en"]


def segments_from_tokens(tokens, language):
    """Flatten block tokens into text segments in reading order."""
    words = placeholders(language)
    segments = []
    aside_depth = 0
    skip_depth = 0
    table_starts = []
    for token in tokens:
        kind = ASIDE if aside_depth else TEXT
        if token.type == "footnote_block_open":
            aside_depth += 1
        elif token.type == "footnote_block_close":
            aside_depth -= 1
        elif token.type == "alert_title_open":
            skip_depth += 1
        elif token.type == "alert_title_close":
            skip_depth -= 1
        elif skip_depth:
            continue
        elif token.type == "inline":
            segments.extend(_inline_segments(token.children or [], kind, words))
        elif token.type in ("fence", "code_block"):
            if token.type == "fence" and token.info.strip().lower() == "math":
                segments.append(Segment(ATOM, words["math"]))
            else:
                segments.append(Segment(ATOM, words["code"]))
        elif token.type in MATH_TOKEN_TYPES:
            segments.append(Segment(ATOM, words["math"]))
        elif token.type == "html_block" and _is_marker(token.content):
            segments.append(Segment(MARKER))
        elif token.type == "html_block" and shown_as_text(token.content):
            segments.append(Segment(kind, visible_text(token.content)))
        if token.type == "table_open":
            table_starts.append(len(segments))
        elif token.type == "table_close" and table_starts:
            _fold_table(segments, table_starts.pop(), words)
        if token.nesting == -1 or token.type in ("fence", "code_block", "math_block", "hr"):
            segments.append(Segment(BREAK, end=BREAK_KINDS.get(token.type, BLOCK_END)))
    return segments


def _fold_table(segments, start, words):
    """Replace a table's cells with one placeholder when they would fill much of the preview."""
    width = sum(display_width(s.text) for s in segments[start:] if s.kind in (TEXT, CODE, ATOM))
    if width > settings.PREVIEW_WIDTH * TABLE_SHARE:
        segments[start:] = [Segment(ATOM, words["table"])]


def _inline_segments(children, kind, words):
    for child, in_math in zip(children, inline_math(children), strict=True):
        if child.type == "text":
            yield Segment(kind, child.content)
        elif child.type == "code_inline":
            yield Segment(CODE if kind == TEXT else kind, child.content)
        elif child.type in ("xref", "citation"):
            # References read as their numbers ("Figure 2", "(Vaswani et al., 2017)").
            yield Segment(ATOM, child.content)
        elif child.type in ("softbreak", "hardbreak"):
            yield Segment(BREAK, end=LINE_END)
        elif child.type == "image":
            alt = "".join(_alt_part(grand) for grand in child.children or [])
            yield Segment(kind, alt) if alt.strip() else Segment(ATOM, words["image"])
        elif child.type == "math_inline":
            readable = readable_math(child.content.strip())
            if readable and len(readable) <= INLINE_MATH_MAX_CHARS:
                yield Segment(ATOM, readable)
            else:
                yield Segment(ATOM, words["math"])
        elif child.type == "math_inline_double":
            yield Segment(ATOM, words["math"])
        elif child.type == "html_inline" and _is_marker(child.content):
            yield Segment(MARKER)
        elif child.type == "html_inline" and shown_as_text(child.content, in_math):
            yield Segment(kind, child.content)
        elif child.children:
            yield from _inline_segments(child.children, kind, words)


def _alt_part(token):
    if token.type.startswith("math_inline"):
        return readable_math(token.content.strip()) or token.content.strip()
    return token.content


def _is_marker(content):
    return "".join(content.split()).lower() in EXCERPT_MARKERS


def count_words(segments):
    """Return (CJK characters, Latin words) in prose, leaving out code and math."""
    cjk = latin = 0
    for segment in segments:
        if segment.kind in (TEXT, ASIDE):
            cjk += len(_CJK_CHAR.findall(segment.text))
            latin += len(_LATIN_WORD.findall(segment.text))
    return cjk, latin


def reading_minutes(cjk_chars, latin_words):
    """Return whole minutes to read, at least one, at the configured rates."""
    minutes = (
        cjk_chars / settings.READING_CJK_CHARS_PER_MINUTE
        + latin_words / settings.READING_LATIN_WORDS_PER_MINUTE
    )
    return max(1, math.floor(minutes + 0.5))


def _separator(end, before, after, language, atom_edge):
    """Return what goes between two pieces of preview text across a boundary."""
    last = before[-1:]
    if not last or last.isspace():
        return ""
    both_wide = bool(_WIDE.match(last) and _WIDE.match(after[:1]))
    if end == LINE_END or atom_edge or last in _PAUSES:
        return "" if both_wide else " "
    separator = SEPARATORS["zh" if language.lower().startswith("zh") else "en"][end]
    return separator if separator.strip() or not both_wide else separator or ""


def _join(segments, language):
    """Return preview text with spaces collapsed, atom spans, and whether a marker was hit."""
    parts = []
    atoms = []
    length = 0
    pending = None  # the strongest boundary since the last text
    last_atom = None  # the placeholder text that ends the preview so far, if any
    folded = set(placeholders(language).values())
    for segment in segments:
        if segment.kind == MARKER:
            return "".join(parts), atoms, True
        if segment.kind == BREAK:
            pending = segment.end if pending is None else max(pending, segment.end)
            continue
        if segment.kind == ASIDE:
            continue
        text = segment.text if segment.kind == ATOM else _SPACES.sub(" ", segment.text)
        if not text:
            continue
        if segment.kind == ATOM and text in folded and text == last_atom:
            pending = None
            continue  # "[code] [code] [code]" says no more than "[code]"
        if pending is not None and parts:
            atom_edge = segment.kind == ATOM or last_atom is not None
            gap = _separator(pending, parts[-1], text.lstrip(), language, atom_edge)
            if gap:
                parts.append(gap)
                length += len(gap)
        pending = None
        if (not parts or parts[-1][-1:].isspace()) and text.startswith(" "):
            text = text[1:]
            if not text:
                continue
        if segment.kind == ATOM:
            atoms.append((length, length + len(text)))
        last_atom = text if segment.kind == ATOM else None
        parts.append(text)
        length += len(text)
    return "".join(parts), atoms, False


def cluster_width(cluster):
    """Return the columns a grapheme cluster takes: 2 for wide, 0 for bare marks."""
    if "\ufe0f" in cluster:
        return 2
    width = 0
    for character in cluster:
        east_asian = unicodedata.east_asian_width(character)
        if east_asian in ("W", "F"):
            return 2
        if not width and unicodedata.category(character) not in ("Mn", "Me", "Cf"):
            width = 1
    return width


def display_width(text):
    """Return the display width of text in columns."""
    return sum(cluster_width(cluster) for cluster in _CLUSTER.findall(text))


def _is_run(cluster):
    # Runs are stretches that must not be split: Latin words, numbers, URLs.
    first = cluster[0]
    return not first.isspace() and unicodedata.east_asian_width(first) not in ("W", "F")


def _word_boundary(text, offset):
    """Return offset moved back to the start of the Chinese word it falls inside, if any."""
    if not (0 < offset < len(text) and _HAN.match(text[offset - 1]) and _HAN.match(text[offset])):
        return offset
    # Words are short: the segmenter needs only the Han run's stretch around the cut.
    start = offset
    while start > max(offset - WORD_CONTEXT, 0) and _HAN.match(text[start - 1]):
        start -= 1
    end = offset
    while end < min(offset + WORD_CONTEXT, len(text)) and _HAN.match(text[end]):
        end += 1
    starts = [start + begin for _word, begin, _end in rjieba.tokenize(text[start:end])]
    return max((position for position in starts if position <= offset), default=offset)


def truncate(text, width, atoms=()):
    """Return text cut to width columns at a clean boundary, ending in "…" when cut."""
    clusters = [(match.start(), match.group()) for match in _CLUSTER.finditer(text)]
    if sum(cluster_width(cluster) for _start, cluster in clusters) <= width:
        return text
    budget = max(width - cluster_width(ELLIPSIS), 0)
    used = 0
    cut = 0  # index into clusters: keep clusters[:cut]
    while cut < len(clusters) and used + cluster_width(clusters[cut][1]) <= budget:
        used += cluster_width(clusters[cut][1])
        cut += 1
    hard_cut = cut
    # Never split a Latin word, number or URL: back up to where the run starts.
    while 0 < cut < len(clusters) and _is_run(clusters[cut - 1][1]) and _is_run(clusters[cut][1]):
        cut -= 1
    if cut == 0:
        cut = hard_cut  # one unbroken run longer than the whole preview
    offset = clusters[cut][0] if cut < len(clusters) else len(text)
    offset = _word_boundary(text, offset)
    for start, end in atoms:
        if start < offset < end:
            offset = start
    floor = max((end for _start, end in atoms if end <= offset), default=0)
    kept = text[:offset]
    while len(kept) > floor and unicodedata.category(kept[-1]) in _DANGLING:
        kept = kept[:-1]
    return kept.rstrip() + ELLIPSIS


@dataclass(frozen=True)
class Preview:
    text: str
    word_count: int
    reading_minutes: int


def build_preview(tokens, *, language, summary=""):
    """Return the preview text, word count and reading time for parsed tokens."""
    segments = segments_from_tokens(tokens, language)
    cjk, latin = count_words(segments)
    text, atoms, at_marker = _join(segments, language)
    summary = _SPACES.sub(" ", summary or "").strip()
    if summary:
        text = summary
    elif at_marker:
        text = text.strip()
    else:
        text = truncate(text.rstrip(), settings.PREVIEW_WIDTH, atoms)
    return Preview(text=text, word_count=cjk + latin, reading_minutes=reading_minutes(cjk, latin))

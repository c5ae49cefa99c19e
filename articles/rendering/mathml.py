"""Keep math away from Markdown and typeset it as MathML on the server.

Math is recognised by markdown-it rules (`math_markdown`), so emphasis, escapes
and raw HTML never apply inside it; LaTeX that KaTeX lacks is rewritten first
(`math_latex`). KaTeX (`katex`) turns each formula into MathML and
`mathml_core` rewrites that into MathML Core, which Chromium, Firefox and Safari
lay out with the site's math font. Readers need no JavaScript and feed readers
get the same markup as the page. What authors can write: docs/math.md.
"""

import collections
import hashlib
import html
import threading

from articles.rendering import katex
from articles.rendering.math_latex import is_multline, normalize_latex, row_tags
from articles.rendering.mathml_core import katex_to_core

CACHE_SIZE = 8192
ERROR_LABELS = {"en": "Math error", "zh": "公式错误"}


class MathError(ValueError):
    """Raised when LaTeX cannot become clean MathML."""


class _Cache:
    """A small LRU of typeset formulas, keyed by a hash of source and mode."""

    def __init__(self, size):
        self.size = size
        self.entries = collections.OrderedDict()
        self.lock = threading.Lock()

    @staticmethod
    def key(source, display):
        return hashlib.blake2b(f"{int(display)}\0{source}".encode(), digest_size=16).digest()

    def get(self, key):
        with self.lock:
            value = self.entries.get(key)
            if value is not None:
                self.entries.move_to_end(key)
            return value

    def put(self, key, value):
        with self.lock:
            self.entries[key] = value
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self):
        with self.lock:
            self.entries.clear()


_cache = _Cache(CACHE_SIZE)


def clear_math_cache():
    """Forget every typeset formula (benchmarks measure cold rendering)."""
    _cache.clear()


def _finish(source, display, answer):
    """Return (True, MathML Core) or (False, one-line reason) for KaTeX's answer."""
    if not answer.ok:
        return False, katex.error_reason(answer.text)
    refused = katex.untrusted_command(answer.text)
    if refused:
        return False, f"{refused} is not allowed here"
    try:
        core = katex_to_core(
            answer.text,
            source=source,
            display=display,
            multline=is_multline(source),
            tags=row_tags(source),
        )
    except RecursionError:
        # KaTeX accepted it, but the tree is deeper than Python walks comfortably.
        return False, "formula nests too deeply"
    except Exception as error:  # A post-processing bug must not cost the article.
        return False, f"could not convert KaTeX output ({type(error).__name__})"
    return True, core


def _display_only(pair, answer):
    message = answer.text
    return (
        not pair[1]
        and not answer.ok
        and ("only in display mode" in message or "only in display equations" in message)
    )


def typeset(pairs):
    """Return (ok, MathML or reason) for each (source, display), typesetting misses in one batch."""
    results = [None] * len(pairs)
    missing = {}
    for index, (source, display) in enumerate(pairs):
        key = _Cache.key(source, display)
        cached = _cache.get(key)
        if cached is None:
            missing.setdefault(key, []).append(index)
        else:
            results[index] = cached
    if missing:
        keys = list(missing)
        sources = [pairs[missing[key][0]] for key in keys]
        answers = katex.typeset_many([(normalize_latex(s, display=d), d) for s, d in sources])
        # align, gather, \tag... are display-only in KaTeX; written inside $...$
        # they are typeset as display math and still set inline.
        retry = [i for i, answer in enumerate(answers) if _display_only(sources[i], answer)]
        if retry:
            again = katex.typeset_many(
                [(normalize_latex(sources[i][0], display=True), True) for i in retry]
            )
            for i, answer in zip(retry, again, strict=True):
                answers[i] = answer
        for key, (source, display), answer in zip(keys, sources, answers, strict=True):
            result = _finish(source, display, answer)
            _cache.put(key, result)
            for index in missing[key]:
                results[index] = result
    return results


def convert_latex(source, *, display):
    """Return MathML for LaTeX source or raise MathError."""
    ok, text = typeset([(source.strip(), display)])[0]
    if not ok:
        raise MathError(text)
    return text


def render_math(source, *, display, block=False, language="en", typeset_already=None):
    """Return MathML for source, or its escaped source in a marked error box.

    Display math written inside a paragraph gets a span (styled as a block):
    a div there would end the paragraph when the browser parses it.
    typeset_already maps (source, display) to results typeset for the whole
    document (`typeset_document`), which spares a lookup per formula.
    """
    source = source.strip()
    tag = "div" if block else "span"
    found = typeset_already.get((source, display)) if typeset_already else None
    ok, text = found or typeset([(source, display)])[0]
    if not ok:
        label = ERROR_LABELS["zh" if language.lower().startswith("zh") else "en"]
        return (
            f'<{tag} class="math-error">'
            f'<span class="math-error-reason">{label}: {html.escape(text)}</span> '
            f"<code>{html.escape(source)}</code></{tag}>"
        )
    if display:
        return f'<{tag} class="math-display">{text}</{tag}>'
    return text

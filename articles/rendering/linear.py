"""Keep markdown-it's look-ahead linear: guards around rules that search from every position.

Several inline rules search forward from each candidate opener: a link label
for its "]", a bare autolink by slicing the rest of the paragraph. On a body
made of openers that is a search per character, quadratic in the body. These
wrappers answer the search once per paragraph and remember it, so rendering
stays linear (docs/markdown.md, "Linear time"); the rules themselves are
unchanged and see the same input whenever they could match.
"""

import re

# A GFM extended autolink ends at whitespace or "<"; none is longer than this.
AUTOLINK_MAX_CHARS = 4096
# What an autolink rule may look back at: an e-mail's local part is at most 64.
PENDING_KEEP_CHARS = 256
_AUTOLINK_END = re.compile(r"[\s<]")
AUTOLINK_RULES = ("gfm_autolink_www", "gfm_autolink_protocol", "gfm_autolink_email")
BRACKET_RULES = ("link", "image", "footnote_ref")


def _memo(state, name):
    # Per inline state (one paragraph) and per posMax: link text is parsed with a
    # shorter posMax, and an answer found under one limit says nothing of another.
    return state.__dict__.setdefault(name, {}).setdefault(state.posMax, [None, None])


def _next_match(state, pattern, name, start):
    """Return the start of `pattern`'s next match at or after `start`, or -1, remembering it.

    Positions grow within a paragraph, so an answer stays valid until the
    position passes it: each stretch of the paragraph is searched once.
    """
    memo = _memo(state, name)
    searched_from, found = memo
    if searched_from is None or start < searched_from or (found >= 0 and start > found):
        match = pattern.search(state.src, start, state.posMax)
        found = match.start() if match else -1
        memo[:] = [start, found]
    return found


def _last_closing_bracket(state):
    memo = _memo(state, "_last_bracket")
    if memo[0] is None:
        memo[:] = [0, state.src.rfind("]", 0, state.posMax)]
    return memo[1]


def needs_closing_bracket(rule):
    """Skip a link, image or footnote rule when no "]" follows: it cannot match."""

    def tokenize(state, silent):
        if _last_closing_bracket(state) <= state.pos:
            return False
        return rule(state, silent)

    return tokenize


def within_word(rule):
    """Show an autolink rule only the text up to the next whitespace, and a short pending.

    The GFM autolink rules copy the rest of the paragraph at every "@", "www."
    and ":", and search the whole pending text for a protocol name; a link
    cannot reach past whitespace, and what they look for before the trigger
    (a protocol, an e-mail's local part) is short, so they lose nothing.
    """

    def tokenize(state, silent):
        if silent:
            return False  # These rules never match in silent mode (link labels).
        if len(state.pending) > 2 * PENDING_KEEP_CHARS:
            # Flush all but the tail as text, as any pushed token would.
            tail = state.pending[-PENDING_KEEP_CHARS:]
            state.pending = state.pending[:-PENDING_KEEP_CHARS]
            state.pushPending()
            state.pending = tail
        end = _next_match(state, _AUTOLINK_END, "_autolink_end", state.pos)
        limit = state.posMax if end < 0 else end
        limit = min(limit, state.pos + AUTOLINK_MAX_CHARS)
        if limit >= state.posMax:
            return rule(state, silent)
        saved, state.posMax = state.posMax, limit
        try:
            return rule(state, silent)
        finally:
            state.posMax = saved

    return tokenize


def bound_lookahead(md):
    """Wrap md's look-ahead rules (call after every plugin is loaded)."""
    for names, wrapper in ((BRACKET_RULES, needs_closing_bracket), (AUTOLINK_RULES, within_word)):
        for rule in md.inline.ruler.__rules__:
            if rule.name in names:
                md.inline.ruler.at(rule.name, wrapper(rule.fn))

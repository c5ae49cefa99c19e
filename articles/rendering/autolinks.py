"""Bare-URL autolinks that also work in Chinese text.

GFM ends a bare URL only at whitespace and `<`, and starts one only after
whitespace or `*_~(`. Chinese puts no spaces around a URL, so
`见https://example.com/a，以及www.example.com。` would give no link, or one that
swallows "，以及" (and `。` becomes a dot in the host once the URL is normalized).
These rules replace mdit-py-plugins' `www.` and `http(s)://` scanners (their
matching helpers still decide what a URL is): a URL may follow a CJK character
and ends before a CJK character, CJK punctuation or a full-width bracket.
"""

import regex
from mdit_py_plugins.gfm_autolink._match import (
    check_prev,
    match_any_email,
    match_http,
    match_www,
)

# CJK text, CJK punctuation, full-width forms and the curly quotes Chinese uses.
# Browsers copy a URL with Chinese in it percent-encoded, so a Han character
# after a bare URL is prose; `<https://…/中文>` still links such a URL whole.
_STOP = (
    r"\s<\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}\u3000-\u303f\uff00-\uffef"
    r"\u2018\u2019\u201c\u201d\u2026\u2014"
)
_CANDIDATE = regex.compile(rf"[^{_STOP}]*")
# A bare URL is read at most this far, so a megabyte of "http:http:…" stays linear.
MAX_URL_CHARS = 4096
_PROTOCOL = regex.compile(r"(https?)$")
# An e-mail local part is at most 64 characters: bounds the scan at every `_`.
_LOCAL_PART = regex.compile(r"[A-Za-z0-9.+\-_]{0,64}$")
_LOCAL_REST = regex.compile(r"[A-Za-z0-9.+\-_]{0,64}@")
_CJK = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}\u3000-\u303f\uff00-\uffef]")


def _may_follow(character):
    return not character or check_prev(character) or bool(_CJK.match(character))


def _candidate(state, start):
    """Return the text from start up to the first space, `<` or CJK stop mark."""
    match = _CANDIDATE.match(state.src, start, min(state.posMax, start + MAX_URL_CHARS))
    return state.src[start : match.end()]


def _push_link(state, url, label):
    href = state.md.normalizeLink(url)
    if not state.md.validateLink(href):
        return False
    token = state.push("link_open", "a", 1)
    token.attrs = {"href": href}
    token.markup = token.info = "autolink"
    token = state.push("text", "", 0)
    token.content = state.md.normalizeLinkText(label)
    token = state.push("link_close", "a", -1)
    token.markup = token.info = "autolink"
    return True


def www_rule(state, silent):
    """Link `www.example.com/…` (trigger: `w`)."""
    pos = state.pos
    if silent or state.linkLevel > 0 or not state.src.startswith("www.", pos):
        return False
    before = state.pending[-1:] if state.pending else state.src[pos - 1 : pos]
    if not _may_follow(before):
        return False
    result = match_www(_candidate(state, pos))
    if result is None:
        return False
    url, length = result
    if not _push_link(state, url, state.src[pos : pos + length]):
        return False
    state.pos += length
    return True


def protocol_rule(state, silent):
    """Link `http(s)://…`, whose scheme the text rule already put in pending (trigger: `:`)."""
    pos = state.pos
    if silent or state.linkLevel > 0 or state.src[pos] != ":":
        return False
    match = _PROTOCOL.search(state.pending[-6:])
    if match is None:
        return False
    scheme = match.group(1)
    if not _may_follow(state.src[pos - len(scheme) - 1 : pos - len(scheme)]):
        return False
    result = match_http(scheme + _candidate(state, pos))
    if result is None:
        return False
    url, length = result
    state.pending = state.pending[: -len(scheme)]
    if not _push_link(state, url, url):
        state.pending += scheme
        return False
    state.pos += length - len(scheme)
    return True


def underscore_email_rule(state, silent):
    """Link an e-mail address whose local part holds `_` (trigger: `_`, before emphasis).

    The plugin's e-mail rule looks back from `@` through the pending text, but
    the emphasis rule has already taken every `_` out of it, so
    `first_last@example.com` would link only `last@example.com`.
    """
    pos = state.pos
    if silent or state.linkLevel > 0 or state.src[pos] != "_":
        return False
    rest = _LOCAL_REST.match(state.src, pos, min(pos + 66, state.posMax))
    if rest is None:
        return False
    before = _LOCAL_PART.search(state.pending[-64:]).group()
    start = pos - len(before)
    if start > 0 and not check_prev(state.src[start - 1]):
        return False
    result = match_any_email(state.src[start : state.posMax], 0, None)
    if result is None or result[1] <= len(before) + 1:
        return False
    url, length = result
    if before:
        state.pending = state.pending[: -len(before)]
    if not _push_link(state, url, state.src[start : start + length]):
        state.pending += before
        return False
    state.pos = start + length
    return True


def autolink_plugin(md):
    """Replace the GFM plugin's www and protocol autolink rules with the CJK-aware ones."""
    md.inline.ruler.at("gfm_autolink_www", www_rule)
    md.inline.ruler.at("gfm_autolink_protocol", protocol_rule)
    md.inline.ruler.before("emphasis", "underscore_email", underscore_email_rule)

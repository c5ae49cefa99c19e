"""Two places where markdown-it-py reads a backslash differently from CommonMark.

A backslash escapes only ASCII punctuation; before anything else it is a
literal character. markdown-it-py's escape rule swallows the character after
every backslash, so the first of two trailing spaces in `a\\␠␠⏎` disappears and
the line break with it; its link destination parser stops at `\\␠`, so
`[a](/url\\ )` is no link at all.
"""

import string

from markdown_it.helpers import parseLinkDestination
from markdown_it.rules_inline import escape


def backslash_rule(state, silent):
    """Keep a backslash before a non-punctuation character as text, else escape as usual."""
    pos = state.pos
    if state.src[pos] != "\\" or pos + 1 >= state.posMax:
        return escape(state, silent)
    following = state.src[pos + 1]
    if following == "\n" or following in string.punctuation:
        return escape(state, silent)
    if not silent:
        state.pending += "\\"
    state.pos = pos + 1
    return True


def link_destination(string, pos, maximum):
    """Parse a link destination, reading `\\␠` as a literal backslash ending it."""
    result = parseLinkDestination(string, pos, maximum)
    end = result.pos if result.ok else pos
    if string[pos : pos + 1] != "<" and string.startswith("\\ ", end):
        return parseLinkDestination(string, pos, end + 1)
    return result


class Helpers:
    """markdown-it's helpers with the link destination parser replaced."""

    def __init__(self, helpers):
        self.parseLinkLabel = helpers.parseLinkLabel
        self.parseLinkTitle = helpers.parseLinkTitle
        self.parseLinkDestination = link_destination

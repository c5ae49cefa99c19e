"""Citations in Pandoc's syntax, from BibTeX, with a References list (docs/markdown.md).

`[@key]`, `[@key, p. 3]`, `[see @a; @b]` cite in parentheses (or brackets, in
the numeric style); `@key` alone cites in the text ("Vaswani et al. (2017)").
Entries come from a ```` ```bibtex ```` block in the article, which is not
shown, and from the site's bibliography (editable in the admin); the article's
entries win when both have a key. pybtex parses BibTeX and formats the
reference list; each entry is parsed on its own, so one broken entry is a
problem listed for the author and the others still work.

A bracketed citation of an unknown key shows a marked `[@key?]`; a bare `@word`
that is no known key stays text, so a handle such as @someone is left alone.
"""

import functools
import html

import regex
from markdown_it import MarkdownIt
from markdown_it.token import Token
from pybtex.backends.html import Backend as HtmlBackend
from pybtex.database import parse_string
from pybtex.plugin import find_plugin

STYLES = ("author-year", "numeric")
HEADINGS = {"en": "References", "zh": "参考文献"}
ET_AL = {"en": "et al.", "zh": "等"}
_KEY = r"[\w](?:[\w:.#$%&\-+?<>~/]*[\w])?"
_ITEM = regex.compile(rf"^\s*(.*?)(-?)@({_KEY})\s*(?:,\s*(.*?))?\s*$", regex.S)
_BRACKET = regex.compile(r"\[([^\[\]\n]{1,500})\](?![(\[])")
_BARE = regex.compile(rf"@({_KEY})")
_ENTRY_START = regex.compile(r"^[ \t]*@\w+\s*[{(]", regex.M)
_SAFE_URL = regex.compile(r"^https?://", regex.I)
# Fields a reference list never shows; dropping them keeps a 1 MB abstract cheap.
_UNUSED_FIELDS = ("abstract", "file", "keywords", "annote", "note_internal", "mendeley-tags")


def _language(env):
    return "zh" if env.get("language", "").lower().startswith("zh") else "en"


@functools.lru_cache(maxsize=32)
def parse_bibliography(text, first_line=1):
    """Return ({key: entry}, [problems]) for BibTeX text, one entry at a time.

    `first_line` is the article line the text starts on, for the problems' line numbers.
    """
    entries, problems = {}, []
    starts = [match.start() for match in _ENTRY_START.finditer(text or "")]
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(text)
        chunk = text[start:end]
        line = text.count("\n", 0, start) + first_line
        try:
            data = parse_string(chunk, "bibtex")
        except Exception as error:  # pybtex raises several unrelated types
            problems.append(f"BibTeX entry at line {line}: {error}")
            continue
        for key, entry in data.entries.items():
            for name in _UNUSED_FIELDS:
                entry.fields.pop(name, None)
            for name in ("url", "doi"):
                value = entry.fields.get(name, "")
                if name == "url" and value and not _SAFE_URL.match(value):
                    entry.fields.pop(name)
                    problems.append(f"BibTeX entry {key!r}: only http(s) URLs are linked.")
            entries.setdefault(key, entry)
    return entries, problems


def _authors(entry, language):
    people = entry.persons.get("author") or entry.persons.get("editor") or []
    names = [" ".join(person.last_names) or str(person) for person in people]
    names = [name.replace("{", "").replace("}", "") for name in names]
    if not names:
        return entry.fields.get("title", "?")[:40]
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return f"{names[0]} and {names[1]}" if language == "en" else f"{names[0]}、{names[1]}"
    return f"{names[0]} {ET_AL[language]}"


def _year(entry):
    return entry.fields.get("year", "n.d.")


class Citations:
    """The entries an article may cite and the order they were first cited in."""

    def __init__(self, entries, style, language):
        self.entries = entries
        self.style = style if style in STYLES else "author-year"
        self.language = language
        self.order = []

    def cite(self, key):
        if key in self.entries and key not in self.order:
            self.order.append(key)

    def number(self, key):
        return self.order.index(key) + 1

    def label(self, key, locator, *, textual):
        entry = self.entries[key]
        if self.style == "numeric":
            inner = f"{self.number(key)}" + (f", {locator}" if locator else "")
            return f"{_authors(entry, self.language)} [{inner}]" if textual else inner
        year = _year(entry) + (f", {locator}" if locator else "")
        if textual:
            return f"{_authors(entry, self.language)} ({year})"
        return f"{_authors(entry, self.language)}, {year}"

    def sorted_keys(self):
        if self.style == "numeric":
            return list(self.order)
        return sorted(
            self.order,
            key=lambda k: (_authors(self.entries[k], "en").lower(), _year(self.entries[k])),
        )


def _bracketed(state, silent):
    """Inline rule: [@key], [@key, p. 3], [see @a; @b]."""
    if state.src[state.pos] != "[" or "@" not in state.src[state.pos : state.pos + 502]:
        return False
    match = _BRACKET.match(state.src, state.pos)
    if not match:
        return False
    items = []
    for part in match.group(1).split(";"):
        item = _ITEM.match(part)
        if not item:
            return False
        prefix, _suppress, key, locator = item.groups()
        items.append((key, (locator or "").strip(), prefix.strip()))
    if not silent:
        token = state.push("citation", "", 0)
        token.meta = {"items": items, "textual": False}
        token.content = match.group(0)
    state.pos = match.end()
    return True


def _bare(state, silent):
    """Inline rule: @key in running text, only for keys the bibliography has."""
    pos = state.pos
    if state.src[pos] != "@" or (pos > 0 and regex.match(r"[A-Za-z0-9_@.]", state.src[pos - 1])):
        return False
    match = _BARE.match(state.src, pos)
    entries = state.env.get("bibliography_entries") or {}
    if not match or match.group(1) not in entries:
        return False
    if not silent:
        token = state.push("citation", "", 0)
        token.meta = {"items": [(match.group(1), "", "")], "textual": True}
        token.content = match.group(0)
    state.pos = match.end()
    return True


def _collect(state):
    """Core rule before inline parsing: gather the article's and the site's entries."""
    env = state.env
    site_entries, problems = parse_bibliography(env.get("bibliography", "") or "")
    entries = dict(site_entries)
    for token in state.tokens:
        if token.type == "fence" and token.info.strip().lower() in ("bibtex", "bib"):
            # Its own type: the entries are data, never shown as a code block.
            token.type = "bibtex_block"
            first_line = token.map[0] + 2 if token.map else 1
            article_entries, article_problems = parse_bibliography(token.content, first_line)
            entries.update(article_entries)
            problems = problems + article_problems
    env["bibliography_entries"] = entries
    env.setdefault("problems", []).extend(problems)


def _number(state):
    """Core rule after inline parsing: order citations and append the References list."""
    env = state.env
    citations = Citations(
        env.get("bibliography_entries") or {},
        env.get("citation_style", "author-year"),
        _language(env),
    )
    for token in state.tokens:
        for child in token.children or []:
            if child.type == "citation":
                for key, _locator, _prefix in child.meta["items"]:
                    if key in citations.entries:
                        citations.cite(key)
                    else:
                        env.setdefault("problems", []).append(
                            f"Unknown citation key {key!r}: no BibTeX entry has it."
                        )
    env["citations"] = citations
    for token in state.tokens:
        for child in token.children or []:
            if child.type == "citation":
                child.content = citation_text(child, env)
    if citations.order:
        block = Token("html_block", "", 0)
        block.content = references_html(citations, env.setdefault("problems", []))
        state.tokens.append(block)


def references_html(citations, problems=None):
    """Return the References section for the cited entries, formatted by pybtex.

    An entry missing a field its type requires (a book without a publisher) is
    still listed, in a plain form, and named in `problems`.
    """
    style = find_plugin("pybtex.style.formatting", "unsrt")()
    backend = HtmlBackend()
    items = []
    for key in citations.sorted_keys():
        entry = citations.entries[key]
        try:
            formatted = style.format_entry(key, entry).text.render(backend)
        except Exception as error:  # pybtex's FieldIsMissing and template errors
            if problems is not None:
                problems.append(f"BibTeX entry {key!r}: {error}.")
            formatted = _plain_reference(entry, citations.language)
        marker = (
            f'<span class="reference-number">[{citations.number(key)}]</span> '
            if citations.style == "numeric"
            else ""
        )
        items.append(f'<li id="ref-{html.escape(key)}">{marker}{formatted}</li>')
    heading = HEADINGS[citations.language]
    return (
        f'<section class="references"><h2 id="references">{heading}</h2>'
        f'<ol class="references-list">{"".join(items)}</ol></section>\n'
    )


def _plain_reference(entry, language):
    parts = [_authors(entry, language), entry.fields.get("title", ""), _year(entry)]
    text = ". ".join(html.escape(part.replace("{", "").replace("}", "")) for part in parts if part)
    url = entry.fields.get("url")
    link = f' <a href="{html.escape(url)}">{html.escape(url)}</a>' if url else ""
    return f"{text}.{link}"


def _render_citation(self, tokens, index, options, env):
    token = tokens[index]
    citations = env.get("citations")
    parts = []
    for key, locator, prefix in token.meta["items"]:
        if citations is None or key not in citations.entries:
            parts.append(
                f'<span class="citation-missing" title="Unknown citation key">'
                f"[@{html.escape(key)}?]</span>"
            )
            continue
        text = citations.label(key, locator, textual=token.meta["textual"])
        lead = f"{html.escape(prefix)} " if prefix else ""
        parts.append(
            f'{lead}<a class="citation" href="#ref-{html.escape(key)}">{html.escape(text)}</a>'
        )
    if token.meta["textual"]:
        return "".join(parts)
    located = any(locator for _key, locator, _prefix in token.meta["items"])
    joined = ", " if citations and citations.style == "numeric" and not located else "; "
    opening, closing = ("[", "]") if citations and citations.style == "numeric" else ("(", ")")
    return f'<span class="citation-group">{opening}{joined.join(parts)}{closing}</span>'


def citation_plugin(md: MarkdownIt):
    """Parse Pandoc citations against BibTeX entries and append a References list."""
    md.inline.ruler.before("link", "citation", _bracketed)
    md.inline.ruler.before("text", "citation_bare", _bare)
    md.core.ruler.before("inline", "bibliography", _collect)
    md.core.ruler.push("citations", _number)
    md.add_render_rule("citation", _render_citation)
    md.add_render_rule("bibtex_block", lambda self, tokens, index, options, env: "")


def citation_text(token, env):
    """Return a citation token as plain text, for previews and search."""
    citations = env.get("citations")
    labels = [
        citations.label(key, locator, textual=token.meta["textual"])
        if citations is not None and key in citations.entries
        else f"[@{key}?]"
        for key, locator, _prefix in token.meta["items"]
    ]
    if token.meta["textual"] or citations is None:
        return "; ".join(labels)
    if citations.style == "numeric":
        located = any(locator for _key, locator, _prefix in token.meta["items"])
        return "[" + ("; " if located else ", ").join(labels) + "]"
    return "(" + "; ".join(labels) + ")"

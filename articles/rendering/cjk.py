"""Typography for Chinese text mixed with Latin: emphasis dots and spacing.

Chinese emphasis is shown with dots under each character (site.css); they are
for CJK characters only, so in a Chinese article the Latin runs inside an
emphasis are wrapped in `<span class="latin">`, which keeps italics instead.

Pangu spacing (settings.PANGU_SPACING, off by default) puts a thin space
between CJK characters and Latin letters or digits at render time: the stored
Markdown is untouched, and so are code spans, code blocks and math.
"""

import html

import regex

THIN_SPACE = "\u2009"

_CJK = r"\p{Han}\p{Hiragana}\p{Katakana}"
_LATIN_RUN = regex.compile(r"[\p{Latin}\p{N}](?:[\p{Latin}\p{N}'’.,:;!?&\- ]*[\p{Latin}\p{N}])?")
_CJK_CHAR = regex.compile(rf"[{_CJK}]")
_ALNUM = regex.compile(r"[A-Za-z0-9]")
_CJK_THEN_ALNUM = regex.compile(rf"(?<=[{_CJK}])(?=[A-Za-z0-9])|(?<=[A-Za-z0-9])(?=[{_CJK}])")
# Tokens whose text sits beside prose without being changed by the spacing.
_ATOMS = {"code_inline", "math_inline", "math_inline_double"}
_TRANSPARENT = {
    "em_open", "em_close", "strong_open", "strong_close", "s_open", "s_close", "link_open",
    "link_close",
}  # fmt: skip


def _is_chinese(env):
    return env.get("language", "").lower().startswith("zh")


def render_em_open(self, tokens, index, options, env):
    env["emphasis_depth"] = env.get("emphasis_depth", 0) + 1
    return self.renderToken(tokens, index, options, env)


def render_em_close(self, tokens, index, options, env):
    env["emphasis_depth"] = max(env.get("emphasis_depth", 0) - 1, 0)
    return self.renderToken(tokens, index, options, env)


def render_text(self, tokens, index, options, env):
    content = tokens[index].content
    if not env.get("emphasis_depth") or not _is_chinese(env):
        return html.escape(content, quote=False)
    parts, last = [], 0
    for match in _LATIN_RUN.finditer(content):
        parts.append(html.escape(content[last : match.start()], quote=False))
        parts.append(f'<span class="latin">{html.escape(match.group(), quote=False)}</span>')
        last = match.end()
    parts.append(html.escape(content[last:], quote=False))
    return "".join(parts)


def _needs_space(before, after):
    return bool(
        before
        and after
        and (
            (_CJK_CHAR.match(before) and _ALNUM.match(after))
            or (_ALNUM.match(before) and _CJK_CHAR.match(after))
        )
    )


def _edges(token):
    """Return a text-bearing token's first and last characters; code and math read as Latin."""
    if token.type == "text":
        return token.content[:1], token.content[-1:]
    return ("a", "a") if token.content.strip() else ("", "")


def pangu_spacing(state):
    """Insert thin spaces between CJK and Latin letters or digits in prose (core rule)."""
    if not state.env.get("pangu_spacing"):
        return
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        previous = None  # the last text or atom, with only emphasis or link markup since
        for child in block.children:
            if child.type in _TRANSPARENT:
                continue
            if child.type != "text" and child.type not in _ATOMS:
                previous = None
                continue
            if child.type == "text":
                child.content = _CJK_THEN_ALNUM.sub(THIN_SPACE, child.content)
            if previous is not None and _needs_space(_edges(previous)[1], _edges(child)[0]):
                # The space goes on the prose side, never inside code or a formula.
                if child.type == "text":
                    child.content = THIN_SPACE + child.content
                elif previous.type == "text":
                    previous.content += THIN_SPACE
            previous = child

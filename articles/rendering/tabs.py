"""Tab groups: `::: tabs` around one fenced block per tab (docs/markdown.md, "Tabs").

A tab holding more than one block (prose, several cells) is spelled
`::: tab Label` … `:::` inside a `:::: tabs` group; the d2lbook importer writes
that form.

Each tab is a `<details name="…">` element. Details sharing a name form an
exclusive group, so without JavaScript a click on a tab's label opens its code
and closes the others; `static/css/content.css` lays the labels out as a tab row
and `static/js/code.js` remembers the reader's choice across the page. Where
none of that applies (feed readers, old browsers) the tabs read as a sequence.
"""

import html
import re

from mdit_py_plugins.container import container_plugin

GROUP = "tabs"
TAB = "tab"
MAX_LABEL_CHARS = 80


def _render_group(self, tokens, index, options, env):
    if tokens[index].nesting == 1:
        return '<div class="code-tabs">\n'
    return "</div>\n"


def _render_tab(self, tokens, index, options, env):
    token = tokens[index]
    if token.nesting == -1:
        return "</div></details>\n" if token.meta.get("tab_group") else "</div>\n"
    if "tab_group" not in token.meta:
        # A `::: tab` outside any group is just a box of content.
        return "<div>\n"
    label = " ".join(token.info.strip()[len(TAB) :].split())[:MAX_LABEL_CHARS]
    opening = wrap_tab("", label=label or "Tab", **_place(token)).removesuffix("</details>\n")
    return f'{opening}<div class="code-tab-body">\n'


def _place(token):
    return {"group": token.meta["tab_group"], "position": token.meta["tab_position"]}


def _number_tabs(state):
    """Mark each tab (a fence or a `::: tab`) with its group number and position."""
    group, position, depth, open_tabs = 0, 0, 0, []
    for token in state.tokens:
        if token.type == f"container_{GROUP}_open":
            depth += 1
            if depth == 1:
                group += 1
                position = 0
        elif token.type == f"container_{GROUP}_close":
            depth = max(depth - 1, 0)
        elif token.type == f"container_{TAB}_open":
            inside_group = depth > 0 and not open_tabs
            open_tabs.append(token if inside_group else None)
            if inside_group:
                token.meta.update(tab_group=group, tab_position=position)
                position += 1
        elif token.type == f"container_{TAB}_close":
            opener = open_tabs.pop() if open_tabs else None
            if opener is not None:
                token.meta["tab_group"] = opener.meta["tab_group"]
        elif token.type == "fence" and depth and not open_tabs:
            token.meta.update(tab_group=group, tab_position=position)
            position += 1


def tabs_plugin(md):
    """Add the `::: tabs` and `::: tab Label` containers and number the tabs."""
    container_plugin(md, GROUP, render=_render_group)
    container_plugin(md, TAB, render=_render_tab)
    md.core.ruler.push("number_tabs", _number_tabs)


def wrap_tab(inner_html, *, label, group, position):
    """Return a rendered block wrapped as one tab of its group (the first one open)."""
    opened = " open" if position == 0 else ""
    return (
        f'<details class="code-tab" name="code-tabs-{group}"{opened}>'
        f'<summary class="code-tab-label">{html.escape(label)}</summary>'
        f"{inner_html}</details>\n"
    )


_DETAILS_TAG = re.compile(r"<details\b([^>]*)>|</details>")
_TAB_LABEL = re.compile(r'<summary class="code-tab-label">(.*?)</summary>', re.DOTALL)


def tabs_in_sequence(html_text):
    """Return stored HTML with every tab shown one after another, each under its label.

    Feed readers run no script and often ignore `<details>`; a reader of the feed
    should see every framework's code, not only the first.
    """
    stack = []

    def replace(match):
        if match.group(0) != "</details>":
            is_tab = 'class="code-tab"' in match.group(1)
            stack.append(is_tab)
            return '<div class="code-tab">' if is_tab else match.group(0)
        return "</div>" if stack and stack.pop() else match.group(0)

    html_text = _DETAILS_TAG.sub(replace, html_text)
    return _TAB_LABEL.sub(r"<p><strong>\1</strong></p>", html_text)

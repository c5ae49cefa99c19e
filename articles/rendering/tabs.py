"""Tab groups: `::: tabs` around one fenced block per tab (docs/markdown.md, "Tabs").

Each tab is a `<details name="…">` element. Details sharing a name form an
exclusive group, so without JavaScript a click on a tab's label opens its code
and closes the others; `static/css/code.css` lays the labels out as a tab row
and `static/js/code.js` remembers the reader's choice across the page. Where
none of that applies (feed readers, old browsers) the tabs read as a sequence.
"""

import html
import re

from mdit_py_plugins.container import container_plugin

GROUP = "tabs"


def _render_container(self, tokens, index, options, env):
    if tokens[index].nesting == 1:
        return '<div class="code-tabs">\n'
    return "</div>\n"


def _number_tabs(state):
    """Mark each fence inside a tab group with its group number and position."""
    group, position, depth = 0, 0, 0
    for token in state.tokens:
        if token.type == f"container_{GROUP}_open":
            depth += 1
            if depth == 1:
                group += 1
                position = 0
        elif token.type == f"container_{GROUP}_close":
            depth = max(depth - 1, 0)
        elif token.type == "fence" and depth:
            token.meta["tab_group"] = group
            token.meta["tab_position"] = position
            position += 1


def tabs_plugin(md):
    """Add the `::: tabs` container and number the fences inside it."""
    container_plugin(md, GROUP, render=_render_container)
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

"""Rewrite static-site Markdown dialects into the plain Markdown Inkstone renders.

Three dialects meet an importer in practice (docs/import-export.md):

- Hexo tag plugins: `{% note %}`, `{% codeblock %}`, `{% raw %}`, `{% asset_img %}`.
- d2lbook, the notebook-flavoured Markdown of *Dive into Deep Learning*: roles such
  as :label:`x` and :numref:`x`, framework tabs (`:begin_tab:` blocks and code cells
  opening with `#@tab`), `#@save` markers and a `toc` block.
- pandoc-style code info strings, `{.python .input}`.

Everything works line by line and leaves fenced code alone, except for the
d2lbook markers that live inside code cells. Excerpt markers (`<!-- more -->`)
are ordinary HTML comments and pass through untouched.

Each dialect is its own module (`hexo`, `d2lbook`); `fences` finds the fenced
code they must leave alone. This module holds the options and runs them in order.
"""

import re
from dataclasses import dataclass, field

from articles.portability.dialects.d2lbook import rewrite_d2lbook
from articles.portability.dialects.fences import FENCE
from articles.portability.dialects.hexo import rewrite_hexo

FRAMEWORK_CHOICES = ("tabs", "first", "all")


@dataclass(frozen=True)
class DialectOptions:
    hexo: bool = True
    d2lbook: bool = True
    # d2lbook framework tabs: "tabs" (a `:::: tabs` group, every framework kept),
    # one framework by name ("pytorch"), "first" or "all" (one after another).
    d2l_tab: str = "tabs"
    pandoc: bool = True


@dataclass
class Converted:
    body: str
    warnings: list = field(default_factory=list)  # (body line, message)


def convert(body, options=DialectOptions(), *, asset_folder=""):
    """Return the body rewritten into plain Markdown, with warnings by body line."""
    warnings = []
    lines = body.split("\n")
    if options.hexo:
        lines = rewrite_hexo(lines, warnings, asset_folder)
    if options.d2lbook:
        lines = rewrite_d2lbook(lines, options.d2l_tab)
    if options.pandoc:
        lines = [_pandoc_fence(line) for line in lines]
    return Converted("\n".join(lines), warnings)


def pandoc_language(info):
    """Return the language of a pandoc-style info string: `{.python .input}` → `python`."""
    inner = info.strip()
    if not (inner.startswith("{") and inner.endswith("}")):
        return inner
    inner = inner[1:-1]
    classes = re.findall(r"(?:^|\s)\.([\w+#-]+)", inner)
    if classes:
        return classes[0]
    words = [word for word in inner.split() if "=" not in word and not word.startswith("#")]
    return words[0] if words else ""


def _pandoc_fence(line):
    match = FENCE.match(line)
    if match and match.group(3).strip().startswith("{"):
        return f"{match.group(1)}{match.group(2)}{pandoc_language(match.group(3))}"
    return line

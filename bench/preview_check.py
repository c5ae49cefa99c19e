"""Check the dev corpus previews: blocks kept apart, Chinese cut between words.

Run: .venv/bin/python bench/preview_check.py [--list]

A preview passes the separator check when every heading, paragraph, list item
and table cell whose text it shows whole is followed by whitespace, punctuation
or the end of the preview, never glued to the next block ("本周话题数字游民今天").
A Chinese preview passes the cut check when the text before its "…" ends on a
word boundary of rjieba's segmentation, or on punctuation.
"""

import os
import sys
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_config.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402
import regex  # noqa: E402
import rjieba  # noqa: E402
from django.conf import settings  # noqa: E402

django.setup()

from articles.rendering.pipeline import markdown_parser, render_article  # noqa: E402
from bench.corpus import corpus_dir, split_front_matter  # noqa: E402

BLOCK_OPENERS = {"heading_open", "paragraph_open", "th_open", "td_open"}
PLAIN_CHILDREN = {"text", "softbreak", "em_open", "em_close", "strong_open", "strong_close"}
_SPACES = regex.compile(r"\s+")
_HAN_RUN = regex.compile(r"\p{Han}+")


def read_corpus():
    """Return [(name, language, body)] for the dev articles."""
    articles = []
    for path in sorted((corpus_dir() / "dev").glob("*.md")):
        meta, body = split_front_matter(path.read_text(encoding="utf-8"))
        language = "zh-hans" if str(meta.get("lang", "")).startswith("zh") else "en"
        articles.append((path.name, language, body))
    return articles


def block_texts(body, language):
    """Return the plain text of every block made only of text (no math, code or images)."""
    tokens = markdown_parser().parse(body, {"language": language})
    texts = []
    for index, token in enumerate(tokens[:-1]):
        inline = tokens[index + 1]
        if token.type not in BLOCK_OPENERS or inline.type != "inline":
            continue
        children = inline.children or []
        if any(child.type not in PLAIN_CHILDREN for child in children):
            continue
        text = _SPACES.sub(" ", "".join(c.content or " " for c in children)).strip()
        if len(text) >= 2:
            texts.append(text)
    return texts


def is_separator(character):
    return character.isspace() or unicodedata.category(character)[0] in "PZ"


def glued_blocks(preview, texts):
    """Return the blocks shown whole in the preview and glued to what follows them.

    A block is looked for where one can start (right after the previous block
    or after a separator); a short one (a heading such as 计算机) may also occur
    inside a later paragraph, so it counts as glued only if no occurrence is
    followed by a separator.
    """
    glued, position = [], 0
    for text in texts:
        # Where a block starts: right after the previous one, or after a separator.
        ends = [
            position + match.end()
            for match in regex.finditer(regex.escape(text), preview[position:])
            if match.start() == 0 or is_separator(preview[position + match.start() - 1])
        ]
        if not ends:
            continue
        good = [end for end in ends if end == len(preview) or is_separator(preview[end])]
        # A block that ends in punctuation ("…开始。") needs nothing more after it.
        if good or is_separator(text[-1]):
            position = (good or ends)[0]
            continue
        glued.append(preview[max(ends[0] - 12, 0) : ends[0] + 8])
        position = ends[0]
    return glued


def cut_inside_word(preview, full):
    """Return the cut's surroundings if a Chinese preview is cut inside a word, else ''."""
    if not preview.endswith("…") or len(preview) < 2:
        return ""
    kept = preview[:-1]
    if is_separator(kept[-1]):
        return ""
    offset = full.find(kept[-12:])
    if offset < 0:
        return ""
    at = offset + len(kept[-12:])
    if at >= len(full) or not (_HAN_RUN.match(full[at - 1]) and _HAN_RUN.match(full[at])):
        return ""
    run = _HAN_RUN.search(full, max(at - 30, 0))
    while run and run.end() < at:
        run = _HAN_RUN.search(full, run.end())
    if not run or run.start() >= at:
        return ""
    bounds = {start for _word, start, _end in rjieba.tokenize(run.group())}
    return "" if at - run.start() in bounds else full[at - 6 : at] + "|" + full[at : at + 4]


def main():
    articles = read_corpus()
    separated = zh_total = zh_clean_cuts = 0
    report = []
    for name, language, body in articles:
        preview = render_article(body, language=language).preview
        glued = glued_blocks(preview, block_texts(body, language))
        separated += not glued
        if glued:
            report.append(f"  glued {name}: {glued[:3]}")
        if language == "zh-hans":
            zh_total += 1
            width = settings.PREVIEW_WIDTH
            settings.PREVIEW_WIDTH = 10**7
            full = render_article(body, language=language).preview
            settings.PREVIEW_WIDTH = width
            inside = cut_inside_word(preview, full)
            zh_clean_cuts += not inside
            if inside:
                report.append(f"  cut inside a word {name}: {inside}")
    total = len(articles)
    print(f"separator check: {separated}/{total} previews pass = {100 * separated / total:.1f}%")
    print(f"Chinese cut on a word boundary: {zh_clean_cuts}/{zh_total}")
    if "--list" in sys.argv:
        print("\n".join(report))


if __name__ == "__main__":
    main()

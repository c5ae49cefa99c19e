"""Size and cost of each article's own math font: `python bench/math_fonts.py`.

Renders the demo articles (and the corpus, when ../shared/corpus is there), cuts
the font for each one's formulas as an article page would, and prints the bytes
against the site-wide files a page would otherwise fetch, with the CPU time of
one cut (made once per distinct set of characters, then kept in storage).
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_config.settings")
os.environ.setdefault("DEBUG", "true")

import django

django.setup()

import logging  # noqa: E402

from django.conf import settings  # noqa: E402

from articles.media.math_fonts import source_path  # noqa: E402
from articles.rendering.math_assets import FONT_FILES, subset_woff2  # noqa: E402
from articles.rendering.math_glyphs import math_code_points  # noqa: E402
from articles.rendering.pipeline import render_article  # noqa: E402
from bench.corpus import corpus_dir, split_front_matter  # noqa: E402

DEMO = Path(settings.BASE_DIR) / "articles" / "demo" / "articles"
FONTS = Path(settings.MATH_ASSETS_DIR) / "static" / "fonts"


def site_wide_bytes(codes):
    """What the site-wide faces would cost this page: each file whose ranges it touches."""
    total = 0
    for name, ranges in FONT_FILES.items():
        if any(start <= code <= end for code in codes for start, end in ranges):
            total += (FONTS / name).stat().st_size
    return total


def main():
    logging.disable(logging.INFO)
    source = source_path().read_bytes()
    files = sorted(DEMO.glob("*.md"))
    if (corpus_dir() / "dev").is_dir():
        files += sorted((corpus_dir() / "dev").rglob("*.md"))
    rows = []
    for path in files:
        meta, body = split_front_matter(path.read_text(encoding="utf-8"))
        html = render_article(body, language=meta.get("language", "en")).html
        codes = math_code_points(html)
        if not codes:
            continue
        started = time.process_time()
        data = subset_woff2(source, codes)
        seconds = time.process_time() - started
        rows.append((path.name[:40], len(codes), len(data), site_wide_bytes(codes), seconds))
    print(f"{'article':<42}{'chars':>6}{'own font':>10}{'site-wide':>11}{'cut (CPU)':>11}")
    for name, chars, own, site, seconds in rows:
        print(f"{name:<42}{chars:>6}{own:>10,}{site:>11,}{seconds * 1000:>9.0f} ms")
    own = sorted(row[2] for row in rows)
    site = sorted(row[3] for row in rows)
    print(
        f"\n{len(rows)} articles with math; own font median {own[len(own) // 2]:,} B "
        f"(max {own[-1]:,}), site-wide median {site[len(site) // 2]:,} B (max {site[-1]:,})"
    )


if __name__ == "__main__":
    main()

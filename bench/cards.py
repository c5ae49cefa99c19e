"""Time social card drawing for a Chinese and an English title: `python bench/cards.py`."""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_config.settings")
os.environ.setdefault("DEBUG", "true")

import django

django.setup()

from articles.media.cards import CardText, draw_card  # noqa: E402

TITLES = {
    "zh": "注意力机制：从点积到多头注意力的完整推导与 PyTorch 实现",
    "en": "A practical guide to PostgreSQL full-text search with ranking and headlines",
}


def main(rounds=10):
    draw_card(CardText("warm up", "Inkstone", "A", ""))  # loads the font once
    for language, title in TITLES.items():
        started = time.perf_counter()
        for n in range(rounds):
            png = draw_card(CardText(f"{title} {n}", "Inkstone", "Ada Lovelace", "机器学习"))
        elapsed = (time.perf_counter() - started) / rounds
        print(f"{language}: {elapsed * 1000:.0f} ms per card, {len(png) // 1024} KiB")


if __name__ == "__main__":
    main()

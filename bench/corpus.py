"""Where the shared article corpus lives, and how its files are split; used by tests and bench."""

import os
from pathlib import Path

import yaml

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def corpus_dir():
    """Return the corpus directory (env INKSTONE_CORPUS overrides the default)."""
    return Path(os.environ.get("INKSTONE_CORPUS") or DEFAULT_CORPUS)


def split_front_matter(text):
    """Return (front matter dict, Markdown body) for a file with YAML front matter."""
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end >= 0:
            return yaml.safe_load(text[4:end]) or {}, text[end + 5 :]
    return {}, text

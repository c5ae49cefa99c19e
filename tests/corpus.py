"""Find the shared test corpus beside the repository, or skip clearly without it."""

import os
from pathlib import Path

import pytest
import yaml

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def corpus_dir():
    """Return the corpus directory (env INKSTONE_CORPUS overrides the default)."""
    return Path(os.environ.get("INKSTONE_CORPUS") or DEFAULT_CORPUS)


def require_corpus(*parts):
    """Return a path inside the corpus, skipping the test when it is missing."""
    path = corpus_dir().joinpath(*parts)
    if not path.exists():
        pytest.skip(
            f"corpus not found at {path}; it lives in ../shared/corpus beside the repo "
            "(set INKSTONE_CORPUS to point elsewhere)"
        )
    return path


def split_front_matter(text):
    """Return (front matter dict, Markdown body) for a file with YAML front matter."""
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end >= 0:
            return yaml.safe_load(text[4:end]) or {}, text[end + 5 :]
    return {}, text


def dev_articles():
    """Return [(path, front matter, body)] for the dev articles, sorted by name."""
    directory = require_corpus("dev")
    articles = []
    for path in sorted(directory.glob("*.md")):
        meta, body = split_front_matter(path.read_text(encoding="utf-8"))
        articles.append((path, meta, body))
    return articles


@pytest.fixture
def corpus():
    """Give a test the corpus directory, skipping when it is absent."""
    return require_corpus()

"""Find the shared test corpus beside the repository, or skip clearly without it.

Locating and splitting files is shared with the benchmarks (bench.corpus).
"""

import pytest

from bench.corpus import corpus_dir, split_front_matter


def require_corpus(*parts):
    """Return a path inside the corpus, skipping the test when it is missing."""
    path = corpus_dir().joinpath(*parts)
    if not path.exists():
        pytest.skip(
            f"corpus not found at {path}; it lives in ../shared/corpus beside the repo "
            "(set INKSTONE_CORPUS to point elsewhere)"
        )
    return path


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

"""Fixtures of the feed tests: a site address and a small published/draft/scheduled world."""

import pytest

from tests.factories import ArticleFactory, CategoryFactory, draft, scheduled
from tests.feeds.helpers import SITE


@pytest.fixture
def site(db, settings):
    settings.SITE_URL = SITE
    settings.WEBSUB_HUB_URL = None
    return settings


@pytest.fixture
def world(site, author):
    """One published article in a tagged subcategory, plus its draft and scheduled twins."""
    parent = CategoryFactory(name="Machine learning", slug="ml")
    child = CategoryFactory(name="Transformers", slug="transformers", parent=parent)
    shared = {"author": author, "category": child, "tags": ["深度学习", "python"]}
    return {
        "parent": parent,
        "child": child,
        "public": ArticleFactory(title="Visible article", **shared),
        "draft": draft(title="Draft article", **shared),
        "scheduled": scheduled(title="Scheduled article", **shared),
    }

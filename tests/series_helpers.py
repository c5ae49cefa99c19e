"""A series of five parts: two published, one scheduled, one draft, one published last."""

from articles.models import Series, SeriesPart
from tests.factories import ArticleFactory, draft, scheduled


def make_series(title="Attention from scratch", description="A five-part walk through."):
    """Return (series, parts by name); positions deliberately not in creation order."""
    series = Series.objects.create(title=title, description=description)
    parts = {
        "third": ArticleFactory(title="Third: multi-head"),
        "first": ArticleFactory(title="First: dot products"),
        "draft": draft(title="Secret draft part"),
        "scheduled": scheduled(title="Scheduled part"),
        "fifth": ArticleFactory(title="Fifth: transformers"),
    }
    order = ((3, "third"), (1, "first"), (2, "draft"), (4, "scheduled"), (5, "fifth"))
    for position, name in order:
        SeriesPart.objects.create(series=series, article=parts[name], position=position)
    return series, parts

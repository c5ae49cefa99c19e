"""Sidebar blocks: recent articles, archive months and the tag cloud; one query each."""

import math

from django import template

from articles.models import Article
from articles.views.queries import archive_months as published_months
from articles.views.queries import tags_with_counts

register = template.Library()

RECENT_LIMIT = 5
CLOUD_LIMIT = 40
CLOUD_WEIGHTS = 5


@register.inclusion_tag("includes/sidebar_recent.html")
def recent_articles(exclude=None, limit=RECENT_LIMIT):
    """List the newest published articles, leaving out the one being read."""
    articles = Article.objects.published().order_by("-published_at", "-pk")
    if exclude is not None and exclude.pk:
        articles = articles.exclude(pk=exclude.pk)
    fields = ("pk", "title", "slug", "language", "published_at")
    return {"articles": list(articles.only(*fields)[:limit])}


@register.inclusion_tag("includes/sidebar_archive.html")
def archive_months(current_year=None):
    """List the months with published articles, grouped by year, newest first."""
    years = []
    for row in published_months():
        month = row["month"]
        if not years or years[-1]["year"] != month.year:
            years.append({"year": month.year, "months": [], "count": 0})
        years[-1]["months"].append(row)
        years[-1]["count"] += row["count"]
    for position, year in enumerate(years):
        # The newest year and the one being browsed start unfolded.
        year["is_open"] = position == 0 or year["year"] == current_year
    return {"years": years}


@register.inclusion_tag("includes/sidebar_tags.html")
def tag_cloud(limit=CLOUD_LIMIT):
    """Show the most used tags alphabetically, weighted 1-5 by how often they are used."""
    tags = list(tags_with_counts().order_by("-article_count", "name")[:limit])
    if tags:
        low = math.log(min(tag.article_count for tag in tags))
        high = math.log(max(tag.article_count for tag in tags))
        spread = high - low or 1
        for tag in tags:
            scaled = (math.log(tag.article_count) - low) / spread
            tag.weight = 1 + round(scaled * (CLOUD_WEIGHTS - 1))
    tags.sort(key=lambda tag: tag.name.casefold())
    return {"tags": tags}

"""Sidebar blocks: recent articles, archive months and the tag cloud; one query each."""

import math

from django import template
from django.utils.translation import get_language

from articles.models import Article
from articles.views.queries import LINK_FIELDS, StoryCount, tags_with_counts
from articles.views.queries import archive_months as published_months

register = template.Library()

RECENT_LIMIT = 5
CLOUD_LIMIT = 40
CLOUD_WEIGHTS = 5


@register.inclusion_tag("includes/sidebar_recent.html")
def recent_articles(exclude=None, limit=RECENT_LIMIT):
    """List the newest published stories, one version each, leaving out the one being read.

    The version in the interface language when the story has one; the page being
    read is left out with its translations (docs/bilingual.md).
    """
    stories = Article.objects.published().one_per_story(get_language())
    if exclude is not None and exclude.pk:
        stories = stories.other_stories(exclude)
    stories = stories.newest_first()
    return {"articles": list(stories.only(*LINK_FIELDS)[:limit])}


@register.inclusion_tag("includes/sidebar_archive.html")
def archive_months(current_year=None):
    """List the months with published articles, grouped by year, newest first."""
    years, stories = [], []
    for row in published_months():
        month = row["month"]
        if not years or years[-1]["year"] != month.year:
            years.append({"year": month.year, "months": []})
            stories.append(StoryCount())
        years[-1]["months"].append(row)
        # A story whose versions appeared in two months of a year counts once in it.
        stories[-1].add(row["count"], row["translated"])
    for year, count in zip(years, stories, strict=True):
        year["count"] = count.total
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

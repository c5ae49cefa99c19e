"""Shared helpers of the search tests."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.search.query import search_articles

SEARCH_URL = reverse("articles:search")


def found(query):
    return list(search_articles(Article.objects.published(), query).values_list("title", flat=True))


def days_ago(days):
    return timezone.now() - timedelta(days=days)

from django import template
from django.utils.formats import number_format

from articles.search.results import snippet_html

register = template.Library()


@register.filter
def search_snippet(headline):
    """Render a search headline as escaped text with the matches in <mark>."""
    return snippet_html(headline)


@register.filter
def grouped(number):
    """Format a count with the active language's digit grouping: 12,345 in English."""
    return number_format(number, force_grouping=True)

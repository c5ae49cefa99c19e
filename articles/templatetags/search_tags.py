from django import template
from django.utils.formats import number_format

from articles.search.snippets import snippet_html

register = template.Library()


@register.filter
def search_snippet(headline, query=""):
    """Render a search headline as escaped text with the matched words in <mark>."""
    return snippet_html(headline, query)


@register.filter
def grouped(number):
    """Format a count with the active language's digit grouping: 12,345 in English."""
    return number_format(number, force_grouping=True)

from django import template

from articles.search import snippet_html

register = template.Library()


@register.filter
def search_snippet(headline):
    """Render a search headline as escaped text with the matches in <mark>."""
    return snippet_html(headline)

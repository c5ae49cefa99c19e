"""Markup rendered once per process and language: {% chrome "name" %}…{% endchrome %}.

For the parts of every page that depend only on settings, URLs, static file
names and translations (the header, the footer, the stylesheet and feed
links), never on content or on the request. Profiling showed the base template
costing more than the rest of a listing page; these parts were most of it.
A settings change (tests use them) forgets everything rendered so far.
"""

from django import template
from django.core.signals import setting_changed
from django.urls import get_script_prefix
from django.utils.translation import get_language

register = template.Library()

_rendered = {}


def forget(**kwargs):
    _rendered.clear()


setting_changed.connect(forget, dispatch_uid="chrome_forget")


class ChromeNode(template.Node):
    def __init__(self, nodelist, name):
        self.nodelist = nodelist
        self.name = name

    def render(self, context):
        key = (self.name, get_language(), get_script_prefix())
        html = _rendered.get(key)
        if html is None:
            html = _rendered[key] = self.nodelist.render(context)
        return html


@register.tag
def chrome(parser, token):
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'":
        raise template.TemplateSyntaxError('Use {% chrome "name" %}…{% endchrome %}.')
    nodelist = parser.parse(("endchrome",))
    parser.delete_first_token()
    return ChromeNode(nodelist, bits[1][1:-1])

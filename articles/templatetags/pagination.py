"""Numbered pagination links that keep the rest of the query string."""

from django import template
from django.utils.translation import gettext

register = template.Library()


def query_without_page(request):
    """Return the request's query string less ?page=, worked out once per request."""
    base = getattr(request, "_query_without_page", None)
    if base is None:
        query = request.GET.copy()
        query.pop("page", None)
        base = request._query_without_page = query.urlencode()
    return base


@register.simple_tag(takes_context=True)
def page_url(context, number):
    """Return a link to page `number` of this listing; page 1 has no ?page= at all."""
    request = context["request"]
    base = query_without_page(request)
    if int(number) > 1:
        return f"?{base}&page={number}" if base else f"?page={number}"
    return f"?{base}" if base else request.path


@register.simple_tag(takes_context=True)
def page_links(context, page_obj, on_each_side=2, on_ends=1):
    """Return the elided page range as dicts with number, url, is_current, is_gap."""
    paginator = page_obj.paginator
    links = []
    for number in paginator.get_elided_page_range(
        page_obj.number, on_each_side=on_each_side, on_ends=on_ends
    ):
        if number == paginator.ELLIPSIS:
            links.append({"is_gap": True, "label": number})
        else:
            links.append(
                {
                    "number": number,
                    "url": page_url(context, number),
                    "label": gettext("Page %(number)s") % {"number": number},
                    "is_current": number == page_obj.number,
                    "is_gap": False,
                }
            )
    return links

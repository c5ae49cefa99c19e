"""Cache a template fragment until public content changes: {% cachefragment "name" var ... %}."""

import hashlib

from django import template
from django.conf import settings
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from articles.caching import generation_cache
from articles.caching.freshness import content_token

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist, name, vary_on):
        self.nodelist = nodelist
        self.name = name
        self.vary_on = vary_on

    def render(self, context):
        if not settings.FRAGMENT_CACHE:
            return self.nodelist.render(context)
        token = content_token(context.get("request"))
        parts = "\0".join(str(value.resolve(context)) for value in self.vary_on)
        digest = hashlib.blake2b(parts.encode(), digest_size=12).hexdigest()
        key = f"fragment:{token}:{get_language()}:{self.name.resolve(context)}:{digest}"
        html = generation_cache.get(key)
        if html is None:
            html = self.nodelist.render(context)
            generation_cache.set(key, html)
        return html


@register.tag
def cachefragment(parser, token):
    """Cache the enclosed HTML per content generation, language and the given values."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("cachefragment needs a fragment name.")
    nodelist = parser.parse(("endcachefragment",))
    parser.delete_first_token()
    return FragmentNode(
        nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(bit) for bit in bits[2:]]
    )


@register.simple_tag(takes_context=True)
def article_cards(context, articles, heading="h2"):
    """Render the listing's cards, each cached per generation so every listing shares them.

    One cache round trip fetches all of them; only the missing ones are rendered.
    Given a page of PageRows (articles/views/pagination.py), only the articles whose
    cards are missing are loaded from the database: usually none.
    """
    card = context.template.engine.get_template("includes/article_card.html")

    def render(article):
        with context.push(article=article, heading=heading):
            return card.render(context)

    if not settings.FRAGMENT_CACHE:
        return mark_safe("".join(render(article) for article in articles))
    pks = getattr(articles, "pks", None)
    if pks is None:
        loaded = {article.pk: article for article in articles}
        pks, fetch = list(loaded), lambda wanted: loaded
    else:
        fetch = articles.fetch
    token = content_token(context.get("request"))
    prefix = f"card:{token}:{get_language()}:{heading}:"
    found = generation_cache.get_many([f"{prefix}{pk}" for pk in pks])
    missing = [pk for pk in pks if f"{prefix}{pk}" not in found]
    if missing:
        rows = fetch(missing)
        rendered = {f"{prefix}{pk}": render(rows[pk]) for pk in missing if pk in rows}
        generation_cache.set_many(rendered)
        found.update(rendered)
    return mark_safe("".join(found[key] for key in (f"{prefix}{pk}" for pk in pks) if key in found))

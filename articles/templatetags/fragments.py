"""Cache a template fragment until public content changes: {% cachefragment "name" var ... %}.

Both tags go through articles/caching/entries.py: keys hold the token, the
release and the language, and a draft preview renders everything afresh.
"""

from django import template
from django.utils.safestring import mark_safe

from articles.caching.entries import cached, cached_many

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist, name, vary_on):
        self.nodelist = nodelist
        self.name = name
        self.vary_on = vary_on

    def render(self, context):
        parts = [self.name.resolve(context), *(value.resolve(context) for value in self.vary_on)]
        return cached(
            "fragment",
            parts,
            lambda: str(self.nodelist.render(context)),
            request=context.get("request"),
        )


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
    """Render the listing's cards, each cached per article version so every listing shares them.

    A card is keyed by its article's updated_at and the token's "names" scope
    (articles/caching/token.py): publishing or editing another article leaves
    it cached. One cache round trip fetches all of them;
    only the missing ones are rendered. Given a page of PageRows
    (articles/views/pagination.py), only the articles whose cards are missing
    are loaded from the database: usually none.
    """
    card = context.template.engine.get_template("includes/article_card.html")
    pks = getattr(articles, "pks", None)
    if pks is None:
        loaded = {article.pk: article for article in articles}
        pks, fetch = list(loaded), lambda wanted: loaded
        versions = {pk: article.updated_at for pk, article in loaded.items()}
    else:
        fetch, versions = articles.fetch, articles.versions

    def render(missing):
        rows = fetch(missing)
        rendered = {}
        for pk in missing:
            if pk in rows:
                with context.push(article=rows[pk], heading=heading):
                    rendered[pk] = str(card.render(context))
        return rendered

    parts = {pk: (heading, pk, versions.get(pk)) for pk in pks}
    found = cached_many("card", parts, render, request=context.get("request"))
    return mark_safe("".join(found[pk] for pk in pks if pk in found))

"""Which articles a listing or feed shows, so that an edit of another leaves its entry cached.

An edit shown only where its article appears (its body, its summary: an
"own_page" move of the token) changes the article's page and the listings and
feeds that show the article, and nothing else. Views whose pages show articles
only as their listed rows (the listings, the article feeds) say so with
`cached_by_articles_shown = True`; the page cache then keys them by the
token's "links" scope, which such an edit leaves alone, and stores with each
entry the token's value at render time and the ids of the articles the page
showed (note_articles_shown(), called where the rows are read). A stored entry
is outdated when an own-page edit since then changed one of them
(ContentToken.edited_since()); the page is rendered again.

A view that opted in but noted nothing (a render path that did not say what it
showed) counts as showing everything: any own-page edit outdates it.
"""

from articles.caching.token import content_token

# On the request: the ids noted while rendering, None until something notes.
ATTRIBUTE = "articles_shown"


def note_articles_shown(request, article_pks):
    """Record that the page being rendered for `request` shows these articles."""
    if request is not None:
        shown = getattr(request, ATTRIBUTE, None) or set()
        shown.update(article_pks)
        setattr(request, ATTRIBUTE, shown)


def shown_record(request):
    """Return what an entry rendered for `request` keeps: (token value, ids or None)."""
    token = content_token(request)
    shown = getattr(request, ATTRIBUTE, None)
    return (token.value if token else 0, None if shown is None else tuple(sorted(shown)))


def is_outdated(request, record):
    """Return whether an own-page edit since `record` was made changed what it shows."""
    token = content_token(request)
    if token is None or record is None:
        return False
    value, article_pks = record
    if article_pks is None:
        return token.value != value  # It showed anything: every edit counts.
    return token.edited_since(value, set(article_pks))

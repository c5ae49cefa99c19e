"""The one place comments touch the cache: a change readers can see moves the content token.

Approving, editing or deleting a visible comment changes the article's page and
its comment feed (and the recent-comments feed). The caching layer has no
per-article invalidation yet, so this moves the site's content token, which
re-renders every page once; pending, rejected and spam comments move nothing.
When per-article invalidation lands, only this function changes
(docs/comments.md, "Caching").
"""

from articles.caching.token import move_token


def comments_changed(article_pk, *, using=None):
    """Call inside the transaction that changes what readers see of an article's comments."""
    move_token(using)


def site_comments_changed(*, using=None):
    """Call when every article's discussion changes (the site-wide policy)."""
    move_token(using)

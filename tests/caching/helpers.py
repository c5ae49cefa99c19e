"""What the cache tests share: fetching a page, and changing a row behind the cache's back."""

from django.db import connection

from articles.models import Article


def page(client, path, **headers):
    """Return the body of a page that must answer 200."""
    response = client.get(path, headers=headers)
    assert response.status_code == 200, path
    return response.content.decode()


def behind_the_cache(article, **fields):
    """Change a row with raw SQL, telling nobody, as only a bug would.

    The token does not move, so only an uncached render can see the change:
    a test uses it to tell a cached answer from a fresh one.
    """
    assignments = ", ".join(f"{name} = %s" for name in fields)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Article._meta.db_table} SET {assignments} WHERE id = %s",
            [*fields.values(), article.pk],
        )

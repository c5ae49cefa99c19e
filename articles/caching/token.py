"""The content token: one value that changes whenever anything readers see changes.

Every cached page, fragment and count is keyed by it (articles/caching/entries.py),
so nothing is ever invalidated by deleting keys: a change moves the token and
old entries are never read again (they expire). It lives in PostgreSQL, in the
one-row ContentGeneration table, so every worker and every replica agrees:

- `value` is bumped by move_token() in the same transaction as each change
  (the receivers in articles/caching/invalidation.py), so no reader can see the
  new token with the old content;
- `links` is bumped by the same changes except an edit that shows only on the
  edited article's own page (its body, say) and where listings and feeds show
  the article. Such an edit instead marks its article's slug in `edits` with
  the new `value` and the article's pk; article pages are keyed by `links`
  and their slug's mark, so it leaves every other article page cached, and
  listings and feeds by `links`, each entry remembering the articles it shows,
  so only those showing the edited article render again (docs/performance.md,
  "One article's save"). `edits` empties whenever `links` moves, and holds at
  most MAX_EDIT_MARKS slugs: one edit more moves `links` instead, so the row
  stays small;
- `names` is bumped only by changes to what an article's card shows besides
  its own row: its tags, and category, tag and author names. Cards are keyed
  by it and their article's `updated_at`, so publishing or editing one
  article re-renders no other article's card;
- `comments` is bumped by a change to what readers see of an article's
  comments (and nothing else moves): the article's slug is marked in `edits`
  ("c" and the new `comments`), so its page and its comment feed render
  again, and the site's recent-comments feed, keyed by `links` and
  `comments`, too; every other page stays cached (docs/comments.md, "Caching");
- `epoch` is random, chosen when the row is made and again by a restore, so a
  restored or recreated database never repeats an older database's tokens;
- `next_arrival` is the earliest scheduled publication still to come. Once the
  clock passes it, the token changes at once (no cron job): the reader folds
  the newest arrival into the token it computes, reading only, and the next
  write stores the new state.

Reading it is one primary-key lookup per request, or with Redis and no replica
one Redis GET of a copy that is safe to trust (articles/caching/mirror.py).
"""

import json
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.db import connections, router, transaction
from django.dispatch import Signal
from django.utils import timezone
from psycopg.types.json import Jsonb

from articles.caching.mirror import TokenRow, mirror_forget, mirror_get, mirror_offer
from articles.models import Article, ContentGeneration

GENERATION = ContentGeneration._meta.db_table
ARTICLE = Article._meta.db_table
PUBLISHED = Article.Status.PUBLISHED
# The earliest publication still in the future, on the listing index.
NEXT_ARRIVAL_SQL = (
    f"(SELECT min(published_at) FROM {ARTICLE} WHERE status = %s AND published_at > %s)"
)
COLUMNS = ", ".join(TokenRow._fields)
# Once next_arrival has passed: the newest arrival so far, and the next one to come.
ARRIVALS_SQL = (
    f"SELECT max(published_at) FILTER (WHERE published_at <= %s), "
    f"min(published_at) FILTER (WHERE published_at > %s) "
    f"FROM {ARTICLE} WHERE status = %s AND published_at >= %s"
)

# Sent after a move commits, with move_token()'s alias, reach and article:
# front-end caches purge on it.
token_moved = Signal()


@dataclass(frozen=True)
class ContentToken:
    epoch: int
    value: int
    comments: int
    links: int
    names: int
    edits: dict  # {slug: {"m": mark, "e": value, "id": pk}} since links moved (marked())
    changed_at: datetime | None
    arrived: datetime | None  # a scheduled publication that has come since the last write
    next_arrival: datetime | None  # the next one still to come

    def __str__(self):
        return self.scoped("all")

    def scoped(self, scope):
        """Return the token as keys hold it, counting the changes of one scope.

        "all": every change but comments; "links": changes shown beyond their
        article's own page; "names": what cards show; "comments": changes
        shown beyond their article's page, and comments.
        """
        marker = int(self.arrived.timestamp() * 1_000_000) if self.arrived else 0
        counter = {
            "all": self.value,
            "links": f"L{self.links}",
            "names": f"N{self.names}",
            "comments": f"L{self.links}C{self.comments}",
        }
        return f"{self.epoch:x}.{counter[scope]}.{marker}"

    def edited_since(self, value, article_pks):
        """Return whether an own-page edit after `value` changed one of these articles."""
        return any(
            entry.get("e", 0) > value and entry.get("id") in article_pks
            for entry in self.edits.values()
        )

    @property
    def last_modified(self):
        """Return when public content last changed, as far as the token knows."""
        return max(filter(None, (self.changed_at, self.arrived)), default=None)


def read_token():
    """Return the current token from the database public reads use, or None before its row.

    Never writes: a reader's request must not touch the primary.
    """
    alias = router.db_for_read(ContentGeneration)
    row = mirror_get()
    if row is None:
        with connections[alias].cursor() as cursor:
            cursor.execute(f"SELECT {COLUMNS} FROM {GENERATION} WHERE id = 1")
            row = cursor.fetchone()
        if row is None:
            return None  # A flushed test database: nothing is cached until a write.
        row = loaded(row)
        mirror_offer(row)
    now = timezone.now()
    arrived, next_arrival = None, row.next_arrival
    if next_arrival is not None and next_arrival <= now:
        with connections[alias].cursor() as cursor:
            cursor.execute(ARRIVALS_SQL, [now, now, PUBLISHED, next_arrival])
            arrived, next_arrival = cursor.fetchone()
    return ContentToken(**row._replace(next_arrival=next_arrival)._asdict(), arrived=arrived)


def loaded(row):
    """Return a row of the token's table as a TokenRow, edits as a dict (Django reads text)."""
    row = TokenRow(*row)
    return row._replace(edits=json.loads(row.edits)) if isinstance(row.edits, str) else row


def page_mark(request, slug):
    """Return the mark of the article's latest own-page edit or comment change, for its keys."""
    token = content_token(request)
    return token.edits.get(slug, {}).get("m", 0) if token is not None else 0


def content_token(request=None):
    """Return the token, read at most once per request."""
    if request is None:
        return read_token()
    if not hasattr(request, "content_token"):
        request.content_token = read_token()
    return request.content_token


# Own-page edits marked in the row before one more moves `links` instead.
MAX_EDIT_MARKS = 64
# How far a change reaches, and so which counters it moves (see the module's doc).
REACHES = {
    "comments": ("comments",),
    "own_page": ("value",),
    "pages": ("value", "links"),
    "everything": ("value", "links", "names"),
}
COUNTERS = ("value", "comments", "links", "names")


def marked(entry, reach, mark, article_pk):
    """Return an article's entry in `edits` after a change of this reach.

    "m": the page's mark (every own-page edit or comment change moves it);
    "e" and "id": the value of the latest own-page edit that listings show and
    the article's pk, which listings showing the article compare
    (ContentToken.edited_since()). A change listings do not show (a comment,
    a sharing card: no article_pk) leaves those two alone.
    """
    entry = dict(entry or {"e": 0, "id": None})
    entry["m"] = mark
    if reach == "own_page" and article_pk is not None:
        entry.update(e=mark, id=article_pk)
    return entry


def move_token(using=None, *, reach="everything", article=None, article_pk=None, new_epoch=False):
    """Move the token; call inside the transaction that changes public content.

    reach: "comments" for a change to what readers see of the comments of the
    article whose slug is `article`; "own_page" for an edit shown only on that
    article's page and where listings and feeds show the article (whose pk is
    `article_pk`); "pages" for an article change shown on other pages but not
    on other articles' cards; "everything" otherwise. new_epoch: also draw a
    new epoch (a restore, whose rows came from another database).
    """
    alias = using or router.db_for_write(ContentGeneration)
    now = timezone.now()
    # Before the commit, so no reader trusts a copy that predates this change.
    mirror_forget()
    epoch = "EXCLUDED.epoch" if new_epoch else f"{GENERATION}.epoch"
    with connections[alias].cursor() as cursor:
        # Lock first, then compute: the next statement's snapshot then includes
        # any scheduled article a concurrent transaction committed meanwhile.
        cursor.execute(f"SELECT value, comments, edits FROM {GENERATION} WHERE id = 1 FOR UPDATE")
        value, comments, edits = cursor.fetchone() or (0, 0, "{}")
        edits = json.loads(edits) if isinstance(edits, str) else edits
        marks = {"own_page": value + 1, "comments": f"c{comments + 1}"}
        if reach in marks and (article in edits or len(edits) < MAX_EDIT_MARKS):
            edits = {**edits, article: marked(edits.get(article), reach, marks[reach], article_pk)}
        else:
            if reach in marks:
                reach = "pages"  # Too many marks: drop every article page instead.
            edits = {}
        moved = ", ".join(
            f"{name} = {GENERATION}.{name}" + (" + 1" if name in REACHES[reach] else "")
            for name in COUNTERS
        )
        # An upsert: a test that flushes tables has no row.
        cursor.execute(
            f"INSERT INTO {GENERATION} (id, {COLUMNS}) "
            f"VALUES (1, %s, 1, 1, 1, 1, %s, %s, {NEXT_ARRIVAL_SQL}) "
            f"ON CONFLICT (id) DO UPDATE SET epoch = {epoch}, {moved}, edits = EXCLUDED.edits, "
            f"changed_at = EXCLUDED.changed_at, next_arrival = EXCLUDED.next_arrival "
            f"RETURNING {COLUMNS}",
            [secrets.randbits(62), Jsonb(edits), now, PUBLISHED, now],
        )
        row = loaded(cursor.fetchone())

    def committed():
        mirror_offer(row, written=True)
        token_moved.send(sender=ContentGeneration, using=alias, reach=reach, article=article)

    transaction.on_commit(committed, using=alias)

"""Who wrote an article: its author, named first, and the co-authors after them, in order.

`Article.author` stays the article's owner and first name in the byline; each
`ArticleAuthor` row adds one more person at a position the author chose. Every
reader-facing surface (bylines, feeds, JSON-LD, author pages, the sharing card)
reads the whole list through `Article.byline`; every permission check asks
`Article.has_author()`; every query for "this person's articles" goes through
`ArticleQuerySet.by_author()` (docs/authoring.md, "Co-authors").
"""

from typing import NamedTuple

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.db import models
from django.db.models import BooleanField, F, Func, OuterRef, Q
from django.db.models.functions import JSONObject
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext


class ArticleAuthor(models.Model):
    """One co-author of an article, at a place in its byline after the article's author."""

    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="coauthor_links",
    )
    # PROTECT, like Article.author: deleting a person must not silently rewrite bylines.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("co-author"),
        on_delete=models.PROTECT,
        related_name="coauthor_links",
    )
    position = models.PositiveSmallIntegerField(
        _("position"),
        default=1,
        help_text=_("Lower numbers are named first, after the article's author."),
    )

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("co-author")
        verbose_name_plural = _("co-authors")
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="unique_article_coauthor"),
        ]
        indexes = [
            # by_author() asks "which articles does this person co-author": user first.
            models.Index(F("user"), F("article"), name="coauthor_user_idx"),
        ]

    def __str__(self):
        return f"{self.user} · {self.article}"


class AuthorLink(NamedTuple):
    """What a page shows of one author: a name and a link to their page."""

    id: int
    username: str
    name: str

    @property
    def url(self):
        return reverse("articles:author", kwargs={"username": self.username})

    @classmethod
    def of(cls, user):
        return cls(user.pk, user.get_username(), user.get_full_name() or user.get_username())

    @classmethod
    def from_row(cls, row):
        # The same rule as User.get_full_name(), applied to the row listed_coauthors() gives.
        full = f"{row['first_name']} {row['last_name']}".strip()
        return cls(row["id"], row["username"], full or row["username"])


def listed_coauthors():
    """Return an article's co-authors as {id, username, first_name, last_name}, in byline order.

    Inside the row's own query, like listed_tags(): a listing pays nothing per
    article or per co-author for its bylines.
    """
    links = ArticleAuthor.objects.filter(article=OuterRef("pk")).order_by("position", "pk")
    fields = JSONObject(
        id="user_id",
        username="user__username",
        first_name="user__first_name",
        last_name="user__last_name",
    )
    return ArraySubquery(links.values(person=fields))


def credited(user):
    """Return the condition "`user` is this article's author or one of its co-authors".

    `user` is a user, a primary key, or OuterRef("pk") from a query over users
    (an author page counting its articles); the co-author subquery then has to
    reach one level further out.
    """
    inner = OuterRef(user) if isinstance(user, OuterRef) else user
    coauthored = ArraySubquery(ArticleAuthor.objects.filter(user=inner).values("article_id"))
    # `id = ANY(ARRAY(…))`: the co-written ids are read once, and the planner can OR
    # an index scan on them with the author index. At 100,000 articles an author page's
    # ids and count took 15-19 ms with `id IN (…)`, 20-100 ms with EXISTS, 2-7 ms this
    # way (docs/authoring.md, "Co-authors").
    return Q(author=user) | Q(AnyOf(F("pk"), coauthored))


class AnyOf(Func):
    """`value = ANY(array)`, a condition: true when the array holds the value."""

    arg_joiner = " = ANY("
    template = "%(expressions)s)"
    output_field = BooleanField()


def join_names(names):
    """Return names as a sentence would list them: "A", "A and B", "A, B and C"."""
    names = list(names)
    if len(names) < 2:
        return "".join(names)
    between = pgettext("between authors", ", ")
    last = pgettext("before the last author", " and ")
    return between.join(names[:-1]) + last + names[-1]

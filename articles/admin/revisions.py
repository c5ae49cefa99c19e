"""Article revisions with django-reversion: what is recorded, diffs, who may restore.

Every revision of an article stores its fields (title, slug, summary, body,
category, status, dates, author) with its tag links and co-authors, plus who saved
and when.
The admin records one on every add, change, action and restore; code that saves
articles elsewhere (imports, scripts) wraps its saves in `recorded()`.
"""

import difflib
import itertools
from contextlib import contextmanager
from dataclasses import dataclass, field

import reversion
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _
from reversion.models import Version
from reversion.revisions import _stack as reversion_stack
from taggit.models import Tag

from articles.models import Article, ArticleAuthor, Category, TaggedArticle

# Tag links are followed so a restore brings back exactly the tags of that
# revision; the tags themselves are not, so restoring one article never
# renames a tag that other articles share. Co-author links likewise: a restore
# brings back that revision's byline, never anyone's account.
if not reversion.is_registered(Article):
    reversion.register(Article, follow=("tagged_items", "coauthor_links"))
if not reversion.is_registered(TaggedArticle):
    reversion.register(TaggedArticle)
if not reversion.is_registered(ArticleAuthor):
    reversion.register(ArticleAuthor)

TEXT_FIELDS = [("title", _("title")), ("summary", _("summary")), ("body", _("body"))]
VALUE_FIELDS = [
    ("slug", _("slug")),
    ("status", _("status")),
    ("published_at", _("published at")),
    ("language", _("language")),
    ("category", _("category")),
    ("tags", _("tags")),
    ("author", _("author")),
    ("coauthors", _("co-authors")),
]


@contextmanager
def recorded(*, user=None, comment=""):
    """Record the article saves inside the block as one revision by `user`."""
    with reversion.create_revision():
        if user is not None:
            reversion.set_user(user)
        if comment:
            reversion.set_comment(comment)
        yield


def record_deletion(articles, *, user=None):
    """Keep a revision of each article's last state so its deletion can be undone."""
    # An enclosing revision (the admin wraps its list actions in one) is saved
    # only after the delete, and reversion drops versions of rows that are gone
    # by then. So this one is recorded on its own, at once, in the same transaction.
    token = reversion_stack.set([])
    try:
        with recorded(user=user, comment="Deleted."):
            for article in articles:
                reversion.add_to_revision(article)
    finally:
        reversion_stack.reset(token)


def versions_of(article_pk):
    """Return an article's versions, newest first, with their revisions and users."""
    return (
        Version.objects.get_for_object_reference(Article, article_pk)
        .select_related("revision", "revision__user")
        .order_by("-revision__date_created", "-pk")
    )


def deleted_versions():
    """Return the last version of every deleted article, newest first."""
    return Version.objects.get_deleted(Article).select_related("revision", "revision__user")


def can_restore(user, version):
    """Editors restore anything; authors and co-authors only drafts they were credited on."""
    if user.has_perm("articles.publish_article"):
        return True
    data = version.field_dict
    if data.get("status") != Article.Status.DRAFT:
        return False
    credited = [data.get("author_id"), *_followed(version, ArticleAuthor, "user_id")]
    return user.pk in credited


def _followed(version, model, field_name):
    """Return `field_name` of the rows of `model` recorded with this article version, in order."""
    kind = ContentType.objects.get_for_model(model)
    fk = "content_object_id" if model is TaggedArticle else "article_id"
    rows = [
        link.field_dict
        for link in version.revision.version_set.filter(content_type=kind)
        if str(link.field_dict[fk]) == str(version.object_id)
    ]
    if model is ArticleAuthor:
        rows.sort(key=lambda row: (row["position"], row["id"]))
    return [row[field_name] for row in rows]


def snapshot(version):
    """Return the recorded fields of an article version, names resolved."""
    data = version.field_dict
    tag_ids = _followed(version, TaggedArticle, "tag_id")
    tag_names = dict(Tag.objects.filter(pk__in=tag_ids).values_list("pk", "name"))
    category = Category.objects.filter(pk=data.get("category_id")).first()
    coauthor_ids = _followed(version, ArticleAuthor, "user_id")
    people = get_user_model().objects.filter(pk__in=[data.get("author_id"), *coauthor_ids])
    usernames = {person.pk: person.get_username() for person in people}
    published_at = data.get("published_at")
    return {
        "title": data.get("title", ""),
        "summary": data.get("summary", ""),
        "body": data.get("body", ""),
        "slug": data.get("slug", ""),
        "status": data.get("status", ""),
        "published_at": published_at.isoformat(sep=" ", timespec="minutes") if published_at else "",
        "language": data.get("language", ""),
        "category": category.name if category else "",
        "tags": ", ".join(sorted(tag_names.get(pk, f"#{pk} (deleted)") for pk in tag_ids)),
        "author": usernames.get(data.get("author_id"), ""),
        "coauthors": ", ".join(usernames.get(pk, f"#{pk} (deleted)") for pk in coauthor_ids),
    }


@dataclass
class FieldChange:
    name: str
    label: str
    old: str
    new: str
    lines: list = field(default_factory=list)


def diff_lines(old, new):
    """Return a unified line diff as (kind, text) pairs; kind is hunk, add, delete or same."""
    lines = []
    diff = difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=3)
    # The first two lines are the ---/+++ file headers.
    for line in itertools.islice(diff, 2, None):
        if line.startswith("@@"):
            lines.append(("hunk", line))
        elif line.startswith("+"):
            lines.append(("add", line[1:]))
        elif line.startswith("-"):
            lines.append(("delete", line[1:]))
        else:
            lines.append(("same", line[1:]))
    return lines


def compare(old_version, new_version):
    """Return the fields that differ between two versions of an article."""
    old, new = snapshot(old_version), snapshot(new_version)
    changes = []
    for name, label in TEXT_FIELDS:
        if old[name] != new[name]:
            changes.append(
                FieldChange(name, label, old[name], new[name], diff_lines(old[name], new[name]))
            )
    for name, label in VALUE_FIELDS:
        if old[name] != new[name]:
            changes.append(FieldChange(name, label, old[name], new[name]))
    return changes


def last_saved_by(article_pk):
    """Return the user who saved the article's newest revision, or None."""
    latest = versions_of(article_pk).first()
    return latest.revision.user if latest else None

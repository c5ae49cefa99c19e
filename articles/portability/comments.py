"""Comments that come with an import: WordPress's approved comments and Markdown sidecar files.

A Markdown file `post.md` may have a sidecar `post.comments.yaml` (or `.yml`):
a YAML list of comments, each a mapping with `id`, `name`, `body` and optionally
`parent` (the id of the comment it answers), `date`, `email`, `website` and `user`
(the username of a site account that wrote it, so an author's reply stays marked).
The format is in docs/import-export.md. Imported comments are approved; a
reply to a reply joins its top-level comment (one level of replies); running
the import again updates them instead of adding copies.
"""

import html
from dataclasses import dataclass
from datetime import datetime

import yaml
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils import timezone
from markdownify import markdownify

from articles.caching.invalidation import comments_changed
from articles.comments.moderation import may_moderate
from articles.models import Article, Comment, CommentStatus
from articles.portability.entries import parse_date

SIDECAR_SUFFIXES = (".comments.yaml", ".comments.yml")
NAME_LIMIT = 80


@dataclass
class CommentEntry:
    key: str
    name: str
    body: str
    parent_key: str = ""
    created_at: datetime | None = None
    email: str = ""
    website: str = ""
    username: str = ""


def _valid(value, validator):
    try:
        validator(value)
    except ValidationError:
        return ""
    return value


def _clean(entry):
    entry.name = " ".join(entry.name.split())[:NAME_LIMIT] or "Anonymous"
    entry.email = _valid(entry.email.strip(), EmailValidator())
    entry.website = _valid(entry.website.strip(), URLValidator(schemes=["http", "https"]))[:200]
    return entry


def wxr_comments(item, children, child_text):
    """Return the approved comments of a WXR <item> (pingbacks and trackbacks left out)."""
    found = []
    for node in children(item, "wp:comment"):
        if child_text(node, "wp:comment_approved") != "1":
            continue
        if child_text(node, "wp:comment_type") not in ("", "comment"):
            continue
        parent = child_text(node, "wp:comment_parent")
        gmt = child_text(node, "wp:comment_date_gmt")
        local = child_text(node, "wp:comment_date")
        try:
            created = parse_date(gmt + "Z") if gmt else parse_date(local) if local else None
        except ValueError:
            created = None
        content = child_text(node, "wp:comment_content")
        found.append(
            CommentEntry(
                key=f"wp:{child_text(node, 'wp:comment_id')}",
                parent_key=f"wp:{parent}" if parent not in ("", "0") else "",
                name=html.unescape(child_text(node, "wp:comment_author")),
                email=child_text(node, "wp:comment_author_email"),
                website=child_text(node, "wp:comment_author_url"),
                # Comment text is HTML in WordPress (with auto-paragraphs added on display).
                body=markdownify(content.replace("\n\n", "<br><br>"), heading_style="ATX").strip(),
                created_at=created,
            )
        )
    return found


def _site_users(usernames):
    if not usernames:
        return {}
    accounts = get_user_model().objects.filter(username__in=usernames)
    return {account.get_username(): account for account in accounts}


def sidecar_path(markdown_path):
    for suffix in SIDECAR_SUFFIXES:
        candidate = markdown_path.with_name(markdown_path.stem + suffix)
        if candidate.is_file():
            return candidate
    return None


def read_sidecar(markdown_path, warn=lambda message: None):
    """Return the comments of a Markdown file's sidecar, or [] when it has none."""
    path = sidecar_path(markdown_path)
    if path is None:
        return []
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        warn(f"{path.name}: not readable YAML, comments skipped ({error})")
        return []
    if not isinstance(data, list):
        warn(f"{path.name}: expected a list of comments, comments skipped")
        return []
    found = []
    for number, row in enumerate(data, start=1):
        if not isinstance(row, dict) or not str(row.get("body", "")).strip():
            warn(f"{path.name}: comment {number} has no body, skipped")
            continue
        created = row.get("date")
        try:
            created = parse_date(created) if created is not None else None
        except ValueError:
            warn(f"{path.name}: comment {number} has an unreadable date")
            created = None
        found.append(
            CommentEntry(
                key=f"sidecar:{row.get('id', number)}",
                parent_key=f"sidecar:{row['parent']}" if row.get("parent") is not None else "",
                name=str(row.get("name", "")),
                email=str(row.get("email", "") or ""),
                website=str(row.get("website", "") or ""),
                username=str(row.get("user", "") or ""),
                body=str(row["body"]).strip(),
                created_at=created,
            )
        )
    return found


def save_comments(source_key, comments):
    """Create or update an imported article's comments; return how many were saved."""
    article = Article.objects.filter(source_key=source_key).first()
    if article is None:
        return 0
    return save_article_comments(article, f"{source_key}#", comments)


@transaction.atomic
def save_article_comments(article, prefix, comments):
    """Create or update `article`'s comments whose keys start with `prefix`."""
    if not comments:
        return 0
    users = _site_users({entry.username for entry in comments} - {""})
    existing = {
        comment.source_key: comment
        for comment in Comment.objects.filter(article=article, source_key__startswith=prefix)
    }
    saved = {}
    by_key = {entry.key: entry for entry in comments}
    now = timezone.now()
    # Top-level comments first, so replies find their parent saved.
    for entry in sorted(comments, key=lambda e: (e.parent_key != "", e.created_at or now)):
        entry = _clean(entry)
        top = entry
        seen = set()
        while top.parent_key in by_key and top.parent_key not in seen:
            seen.add(top.parent_key)
            top = by_key[top.parent_key]  # one level: a reply joins its top-level comment
        comment = existing.get(prefix + entry.key) or Comment(
            article=article, source_key=prefix + entry.key
        )
        comment.parent = saved.get(top.key) if top is not entry else None
        comment.name = entry.name
        comment.email = entry.email
        comment.website = entry.website
        comment.body = entry.body
        comment.status = CommentStatus.APPROVED
        comment.user = users.get(entry.username)
        # Marked like a reply posted on the site by the author or an editor.
        comment.is_staff_reply = bool(comment.user and may_moderate(comment.user, article))
        if entry.created_at:
            comment.created_at = entry.created_at
        comment.save()
        saved[entry.key] = comment
    comments_changed(article.pk)
    return len(saved)

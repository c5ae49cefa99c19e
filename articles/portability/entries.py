"""Save imported posts as articles: one upsert shared by the Markdown and WordPress importers.

An importer turns its input into `Entry` values; `save_entry()` finds the article
with the same `source_key` (or starts a new one), fills it, and reports whether
anything changed. Re-running an import therefore updates articles in place and
never duplicates them (docs/import-export.md).
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import slugify

from articles.caching.token import move_token
from articles.models import Article, Category, SlugRedirect
from articles.portability.frontmatter import FrontMatterError
from articles.rendering.slugs import MAX_SLUG_LENGTH, slug_from_text, unique_slug

DEFAULT_AUTHOR = "imported"
AUTHOR_GROUP = "Authors"
SUMMARY_LIMIT = 1000
TITLE_LIMIT = 200
_HAN = re.compile(r"[\u3400-\u9fff]")
_DATE = re.compile(
    r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"
    r"(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,6})\d*)?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?$",
    re.IGNORECASE,
)
_USERNAME_UNSAFE = re.compile(r"[^\w.@+-]+")


class EntryError(FrontMatterError):
    """A post that cannot be imported, with the line of its source to blame."""


@dataclass
class AuthorRef:
    username: str = ""
    name: str = ""
    email: str = ""


@dataclass
class Entry:
    """One post, read from any source, in Inkstone's terms."""

    source_key: str
    title: str
    body: str
    slug: str = ""
    published_at: datetime | None = None
    updated_at: datetime | None = None
    tags: list = field(default_factory=list)
    category_path: list = field(default_factory=list)
    author: AuthorRef | None = None
    # Named after the author, in order; None when the source cannot say (WordPress
    # names one author), and then the article keeps the co-authors it has.
    coauthors: list | None = None
    language: str = ""
    status: str = Article.Status.PUBLISHED
    summary: str = ""
    comments: list = field(default_factory=list)  # CommentEntry (articles.portability.comments)


@dataclass
class SaveOptions:
    status: str | None = None  # overrides every entry's status
    author: object = None  # a user that overrides every entry's authors, co-authors too
    category_path: list | None = None  # overrides every entry's category


def parse_date(value):
    """Return an aware datetime from a date, datetime or string; raise ValueError."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time())
    elif isinstance(value, str):
        moment = _parse_date_string(value.strip())
    else:
        raise ValueError(f"not a date: {value!r}")
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    return moment


def _parse_date_string(text):
    match = _DATE.match(text)
    if not match:
        raise ValueError(f"not a date: {text!r}")
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    text = (
        f"{int(year):04d}-{int(month):02d}-{int(day):02d}"
        f"T{int(hour or 0):02d}:{int(minute or 0):02d}:{int(second or 0):02d}"
        f".{(fraction or '0').ljust(6, '0')}"
    )
    if zone:
        text += "+00:00" if zone.upper() == "Z" else zone
    try:
        return datetime.fromisoformat(text)
    except ValueError as error:
        raise ValueError(f"not a date: {match.group(0)!r} ({error})") from None


def normalize_language(value, body=""):
    """Map `zh-CN`, `zh_CN`, `zh-Hans`... to `zh-hans` and `en-US`... to `en`."""
    code = str(value or "").strip().lower().replace("_", "-")
    if code.startswith("zh"):
        return "zh-hans"
    if code.startswith("en"):
        return "en"
    if code in dict(settings.LANGUAGES):
        return code
    # No usable tag: Chinese text gives itself away by its Han characters.
    sample = body[:4000]
    if len(_HAN.findall(sample)) > max(20, len(sample) // 20):
        return "zh-hans"
    return settings.LANGUAGE_CODE


def clean_tags(value):
    """Return tag names from a list or a comma-separated string, without duplicates."""
    if value is None:
        return []
    items = value if isinstance(value, list | tuple) else re.split(r"[,，]", str(value))
    names = []
    for item in items:
        name = str(item).strip()[:100]
        if name and name.lower() not in {n.lower() for n in names}:
            names.append(name)
    return names


def default_author():
    """Return the user imports fall back to: the first superuser, else an `imported` author."""
    user = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    return user or ensure_author(AuthorRef(username=DEFAULT_AUTHOR, name="Imported"))


def ensure_author(ref):
    """Return the user an author reference names, creating a staff author when missing."""
    users = get_user_model().objects
    candidates = [ref.username, ref.name]
    for candidate in filter(None, candidates):
        user = users.filter(username__iexact=candidate).first()
        if user:
            return user
    username = _username(ref.username or ref.name or DEFAULT_AUTHOR)
    user = users.filter(username__iexact=username).first()
    if user:
        return user
    first, _, last = (ref.name or "").strip().partition(" ")
    user = users.create(
        username=username,
        first_name=first[:150],
        last_name=last[:150],
        email=ref.email or "",
        is_staff=True,
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    group = Group.objects.filter(name=AUTHOR_GROUP).first()
    if group:
        user.groups.add(group)
    return user


def _username(text):
    if _USERNAME_UNSAFE.search(text) is None and len(text) <= 150:
        return text
    username = _USERNAME_UNSAFE.sub("-", slugify(text, allow_unicode=True) or text).strip("-")
    return username[:150] or DEFAULT_AUTHOR


def ensure_category(path):
    """Return the category at the end of a path of names, creating missing levels."""
    parent = None
    for name in path:
        name = str(name).strip()[:100]
        if not name:
            continue
        category = Category.objects.filter(name=name, parent=parent).first()
        if category is None:
            category = Category.objects.create(name=name, parent=parent)
        parent = category
    return parent


def category_path(category):
    """Return the names from the root category down to this one."""
    return [node.name for node in category.ancestors()] if category else []


def save_entry(entry, *, options=None, warn=lambda message: None):
    """Create or update the article of an entry; return "created", "updated" or "unchanged"."""
    options = options or SaveOptions()
    article = Article.objects.filter(source_key=entry.source_key).first()
    action = "created" if article is None else "updated"
    if article is None:
        article = Article(source_key=entry.source_key)
    status = options.status or entry.status
    published_at = entry.published_at
    if status == Article.Status.PUBLISHED and published_at is None:
        published_at = timezone.now()
    author = options.author or (ensure_author(entry.author) if entry.author else default_author())
    coauthors = _coauthors(entry, options)
    path = options.category_path if options.category_path is not None else entry.category_path
    values = {
        "title": _limited(entry.title, TITLE_LIMIT, "title", warn),
        "body": entry.body,
        "summary": _limited(entry.summary, SUMMARY_LIMIT, "summary", warn),
        "language": entry.language or settings.LANGUAGE_CODE,
        "status": status,
        "published_at": published_at,
        "author_id": author.pk,
        "category_id": ensure_category(path).pk if path else None,
    }
    slug = _free_slug(entry.slug, article, warn) if entry.slug else article.slug
    tags = sorted(entry.tags, key=str.lower)
    if action == "updated" and _unchanged(article, values, slug, tags, coauthors):
        return "unchanged"
    for name, value in values.items():
        setattr(article, name, value)
    article.slug = slug
    try:
        article.full_clean(exclude=["source_key"])
    except ValidationError as error:
        raise EntryError(_validation_message(error)) from None
    article.save()
    article.tags.set(tags)
    if coauthors is not None:
        article.set_coauthors(coauthors)
    if entry.updated_at:
        # The source's own "updated" date is what readers should see, not the import time.
        Article.objects.filter(pk=article.pk).update(content_updated_at=entry.updated_at)
        # update() sends no signal: move the page cache's generation ourselves.
        move_token()
    return action


def _coauthors(entry, options):
    """Return the users to credit after the author, or None to keep the article's own."""
    if options.author is not None:
        return []
    if entry.coauthors is None:
        return None
    users = {}
    for ref in entry.coauthors:
        user = ensure_author(ref)
        users.setdefault(user.pk, user)
    return list(users.values())


def _unchanged(article, values, slug, tags, coauthors):
    if any(getattr(article, name) != value for name, value in values.items()):
        return False
    if coauthors is not None and article.author_ids[1:] != [
        user.pk for user in coauthors if user.pk != article.author_id
    ]:
        return False
    current = sorted(article.tags.names(), key=str.lower)
    return article.slug == slug and current == tags


def _free_slug(wanted, article, warn):
    base = slug_from_text(wanted, max_length=MAX_SLUG_LENGTH)

    def taken(slug):
        others = Article.objects.filter(slug=slug).exclude(pk=article.pk).exists()
        redirect = SlugRedirect.objects.filter(old_slug=slug).exclude(article_id=article.pk)
        return others or redirect.exists()

    slug = unique_slug(base, taken=taken)
    if slug != base:
        warn(f"slug {base!r} is taken by another article; using {slug!r}")
    return slug


def _limited(text, limit, name, warn):
    text = (text or "").strip()
    if len(text) > limit:
        warn(f"{name} is {len(text)} characters long; cut to {limit}")
        text = text[: limit - 1].rstrip() + "…"
    return text


def _validation_message(error):
    if hasattr(error, "message_dict"):
        return "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()
        )
    return " ".join(error.messages)

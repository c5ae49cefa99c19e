import os
from datetime import datetime
from pathlib import Path

import yaml
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.models import Article, Category, Series, SeriesPart, Translation
from articles.rendering.slugs import slug_from_text

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo" / "articles"

# username → (display name, role group)
DEMO_USERS = {
    "lin": ("Lin Wei", "Authors"),
    "maya": ("Maya Fischer", "Authors"),
    "editor": ("Inkstone Editor", "Editors"),
}


def split_front_matter(text, path):
    """Return (metadata, body) of a Markdown file that opens with YAML front matter."""
    if not text.startswith("---\n"):
        raise CommandError(f"{path}: no YAML front matter")
    try:
        header, body = text[4:].split("\n---\n", 1)
    except ValueError:
        raise CommandError(f"{path}: front matter is not closed by ---") from None
    return yaml.safe_load(header) or {}, body.lstrip("\n")


class Command(BaseCommand):
    help = "Load the demo articles and logins. Running it again changes nothing."

    def add_arguments(self, parser):
        parser.add_argument(
            "extra",
            nargs="*",
            type=Path,
            help="More Markdown files in the demo format (the math gallery, docs/math.md).",
        )

    def handle(self, *args, extra=(), **options):
        password = os.environ.get("DEMO_PASSWORD", "inkstone-demo")
        with transaction.atomic():
            users = {name: self.ensure_user(name, password) for name in DEMO_USERS}
            created = 0
            loaded = []
            for path in [*sorted(DEMO_DIR.glob("*.md")), *extra]:
                meta, added = self.load_article(path, users)
                loaded.append(meta)
                created += added
            # Once every article exists: a translation names its source by slug.
            for meta in loaded:
                self.link(meta)
        self.stdout.write(f"Demo content: {created} article(s) added.")
        self.stdout.write(
            f"Demo logins (password {password!r}): editor (publishes), lin and maya (authors)."
        )

    def ensure_user(self, username, password):
        full_name, role = DEMO_USERS[username]
        first, _, last = full_name.partition(" ")
        user, created = get_user_model().objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "is_staff": True},
        )
        if created:
            user.set_password(password)
            user.save()
            user.groups.add(Group.objects.get(name=role))
        return user

    def load_article(self, path, users):
        """Add the article unless its slug exists; return (its front matter, 1 if added)."""
        meta, body = split_front_matter(path.read_text(encoding="utf-8"), path)
        slug = meta["slug"] = str(meta.get("slug") or slug_from_text(meta["title"]))
        if Article.objects.filter(slug=slug).exists():
            return meta, 0
        published_at = meta.get("published_at")
        if isinstance(published_at, str):
            published_at = datetime.fromisoformat(published_at)
        article = Article(
            title=meta["title"],
            slug=slug,
            author=users[meta.get("author", "editor")],
            category=self.ensure_category(meta.get("category")),
            summary=meta.get("summary") or "",
            body=body,
            language=meta.get("language", "en"),
            status=meta.get("status", Article.Status.PUBLISHED),
            published_at=published_at,
        )
        article.full_clean()
        article.save()
        article.tags.set(meta.get("tags") or [])
        return meta, 1

    def link(self, meta):
        """Put the article in its series and link it to its source, each only once."""
        article = Article.objects.get(slug=meta["slug"])
        if meta.get("series"):
            series, _ = Series.objects.get_or_create(
                title=meta["series"],
                defaults={"description": meta.get("series_description", "")},
            )
            SeriesPart.objects.get_or_create(
                article=article, defaults={"series": series, "position": meta["series_part"]}
            )
        if meta.get("translation_of") and not hasattr(article, "translation_of"):
            link = Translation(
                article=article, source=Article.objects.get(slug=meta["translation_of"])
            )
            link.full_clean()
            link.save()

    def ensure_category(self, category_path):
        parent = None
        for name in filter(None, (part.strip() for part in str(category_path or "").split("/"))):
            parent, _ = Category.objects.get_or_create(name=name, parent=parent)
        return parent

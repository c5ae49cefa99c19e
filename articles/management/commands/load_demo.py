import os
from datetime import datetime
from pathlib import Path

import yaml
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.models import Article, Category, Series, SeriesPart, Translation
from articles.portability.comments import read_sidecar, save_article_comments
from articles.rendering.slugs import slug_from_text

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo" / "articles"
SERIES_FILE = DEMO_DIR.parent / "series.yaml"

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
            paths = [*sorted(DEMO_DIR.glob("*.md")), *extra]
            for path in paths:
                created += self.load_article(path, users)
            # A second pass, so a part or a translation may come before the article it
            # points to, and a site loaded by an older demo gains what is new.
            series = self.ensure_series()
            comments = 0
            for path in paths:
                comments += self.link_article(path, series, users)
        self.stdout.write(f"Demo content: {created} article(s) added.")
        if comments:
            self.stdout.write(f"Demo discussions: {comments} comment(s) added or updated.")
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
        meta, body = split_front_matter(path.read_text(encoding="utf-8"), path)
        slug = str(meta.get("slug") or slug_from_text(meta["title"]))
        if Article.objects.filter(slug=slug).exists():
            return 0
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
        return 1

    def ensure_series(self):
        """Create the demo series described in series.yaml; return them by slug."""
        found = {}
        for row in yaml.safe_load(SERIES_FILE.read_text(encoding="utf-8")):
            found[row["slug"]], _ = Series.objects.get_or_create(
                slug=row["slug"],
                defaults={"title": row["title"], "description": row.get("description", "")},
            )
        return found

    def link_article(self, path, series, users):
        """Give a demo article its co-authors, series part, translation and discussion."""
        meta, _ = split_front_matter(path.read_text(encoding="utf-8"), path)
        article = Article.objects.get(slug=str(meta.get("slug") or slug_from_text(meta["title"])))
        # Changes nothing when they are already set.
        article.set_coauthors([users[name] for name in meta.get("coauthors") or []])
        if meta.get("series"):
            SeriesPart.objects.get_or_create(
                article=article,
                defaults={"series": series[meta["series"]], "position": meta["series_part"]},
            )
        if meta.get("translation_of") and not hasattr(article, "translation_of"):
            link = Translation(
                article=article, source=Article.objects.get(slug=meta["translation_of"])
            )
            link.full_clean()
            link.save()
        prefix = f"demo:{path.name}#"
        if article.comments.filter(source_key__startswith=prefix).exists():
            return 0
        discussion = read_sidecar(path, warn=lambda message: self.stderr.write(message))
        return save_article_comments(article, prefix, discussion)

    def ensure_category(self, category_path):
        parent = None
        for name in filter(None, (part.strip() for part in str(category_path or "").split("/"))):
            parent, _ = Category.objects.get_or_create(name=name, parent=parent)
        return parent

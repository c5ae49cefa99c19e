"""Write articles out as Markdown files with YAML front matter, images alongside.

Each article becomes `DIR/<slug>/index.md` (a Hugo-style page bundle) and the
media files its body references are copied into the same folder, with the
links rewritten to the bare file names. `import_markdown DIR` reads the result
back into the same articles: that round trip is what makes leaving easy.
"""

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml
from django.conf import settings
from django.core.files.storage import default_storage

from articles.models import Article
from articles.portability.entries import category_path
from articles.portability.images import rewrite_images

FILE_NAME = "index.md"


@dataclass
class ExportResult:
    articles: int = 0
    images: int = 0
    warnings: list = field(default_factory=list)


def front_matter(article, categories):
    """Return the front-matter mapping of an article, in a stable key order."""
    meta = {
        "title": article.title,
        "slug": article.slug,
        "date": article.published_at.isoformat() if article.published_at else None,
        "updated": (article.content_updated_at.isoformat() if article.content_updated_at else None),
        "tags": sorted((tag.name for tag in article.tags.all()), key=str.lower),
        "categories": categories,
        # One author stays the plain `author:` every generator reads; several become
        # `authors:`, in byline order, which import_markdown reads back the same way.
        **_authors(article),
        "lang": article.language,
        "status": article.status,
        "summary": article.summary,
    }
    return {key: value for key, value in meta.items() if value not in (None, "", [])}


def _authors(article):
    usernames = [person.username for person in article.byline]
    return {"authors": usernames} if len(usernames) > 1 else {"author": usernames[0]}


def render_markdown_file(meta, body):
    """Return the text of a Markdown file with YAML front matter."""
    header = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{header}---\n\n{body}\n"


def export_markdown(directory, articles=None):
    """Write every article (or the given queryset) under directory; return an ExportResult."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    articles = articles if articles is not None else Article.objects.all()
    articles = articles.with_byline().select_related("category").prefetch_related("tags")
    result = ExportResult()
    paths = {}
    for article in articles.order_by("pk"):
        if article.category_id not in paths:
            paths[article.category_id] = category_path(article.category)
        folder = directory / article.slug
        folder.mkdir(exist_ok=True)
        body = _copy_images(article, folder, result)
        text = render_markdown_file(front_matter(article, paths[article.category_id]), body)
        (folder / FILE_NAME).write_text(text, encoding="utf-8")
        result.articles += 1
    return result


def _copy_images(article, folder, result):
    media_url = settings.MEDIA_URL

    def replace(url):
        path = urlsplit(url).path
        if not path.startswith(media_url):
            return None
        name = unquote(path[len(media_url) :])
        if not default_storage.exists(name):
            result.warnings.append(f"{article.slug}: image not in media storage: {url}")
            return None
        target = folder / Path(name).name
        if not target.exists():
            with default_storage.open(name, "rb") as source:
                target.write_bytes(source.read())
            result.images += 1
        return target.name

    return rewrite_images(article.body, replace)

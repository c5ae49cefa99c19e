from django.core.management.base import BaseCommand

from articles.caching.token import move_token
from articles.models import Article

DERIVED_FIELDS = ("body_html", "toc", "preview", "word_count", "reading_minutes", "math_glyphs")


class Command(BaseCommand):
    help = (
        "Render every article's stored HTML, preview and counts again, after an "
        "upgrade changes the rendering pipeline. Dates and feeds' 'updated' stay as they are."
    )

    def handle(self, *args, **options):
        changed = total = 0
        articles = Article.objects.only("pk", "body", "language", "summary", *DERIVED_FIELDS)
        for article in articles.iterator(chunk_size=200):
            total += 1
            before = [getattr(article, name) for name in DERIVED_FIELDS]
            article.render()
            after = [getattr(article, name) for name in DERIVED_FIELDS]
            if after != before:
                # update(), not save(): a pipeline upgrade is not an author's edit,
                # so updated_at and content_updated_at must not move.
                Article.objects.filter(pk=article.pk).update(
                    **dict(zip(DERIVED_FIELDS, after, strict=True))
                )
                changed += 1
        if changed:
            # update() sends no signal: move the page cache's generation ourselves.
            move_token()
        self.stdout.write(f"Rendered {total} article(s); {changed} changed.")

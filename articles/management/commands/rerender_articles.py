from django.core.management.base import BaseCommand

from articles.caching.token import move_token
from articles.comments.rendering import render_comment
from articles.models import Article, Comment

DERIVED_FIELDS = ("body_html", "toc", "preview", "word_count", "reading_minutes", "math_glyphs")


class Command(BaseCommand):
    help = (
        "Render every article's stored HTML, preview and counts, and every comment's HTML, "
        "again after an upgrade changes the rendering pipeline. Dates and feeds' 'updated' "
        "stay as they are."
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
        comments, comments_changed = self._comments()
        if changed or comments_changed:
            # update() sends no signal: move the page cache's generation ourselves.
            move_token()
        self.stdout.write(f"Rendered {total} article(s); {changed} changed.")
        self.stdout.write(f"Rendered {comments} comment(s); {comments_changed} changed.")

    def _comments(self):
        total = changed = 0
        for comment in Comment.objects.only("pk", "body", "body_html").iterator(chunk_size=500):
            total += 1
            html = render_comment(comment.body)
            if html != comment.body_html:
                Comment.objects.filter(pk=comment.pk).update(body_html=html)
                changed += 1
        return total, changed

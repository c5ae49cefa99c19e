import time

from django.core.management.base import BaseCommand

from articles.caching.token import move_token
from articles.models import Article
from articles.search.documents import INDEX_BATCH_SIZE
from articles.search.index import reindex_articles


class Command(BaseCommand):
    help = "Recompute every article's search vector and snippet text, a batch at a time."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=INDEX_BATCH_SIZE)

    def handle(self, *args, batch_size, verbosity, **options):
        started = time.perf_counter()
        total = Article.objects.count()

        def progress(done):
            if verbosity >= 2:
                self.stdout.write(f"{done:,} of {total:,} articles indexed")

        done = reindex_articles(Article.objects.all(), batch_size=batch_size, progress=progress)
        # Search results and their counts are cached per content generation, and
        # reindexing sends no signal: move it ourselves.
        move_token()
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"Indexed {done:,} articles in {elapsed:.1f} s."))

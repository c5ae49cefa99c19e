"""Draw the social cards that are missing or out of date (after SITE_NAME or a name changes)."""

from django.core.management.base import BaseCommand

from articles.models import Article, refresh_card


class Command(BaseCommand):
    help = "Draw every article's social card whose words changed; unchanged cards are kept."

    def handle(self, *args, **options):
        # The card names every author in the article's language (models/cards.py).
        articles = (
            Article.objects.with_byline()
            .select_related("category")
            .only("pk", "title", "language", "author", "category")
        )
        drawn = 0
        for article in articles.iterator(chunk_size=200):
            before = article.card.inputs if hasattr(article, "card") else None
            card = refresh_card(article)
            drawn += card is not None and card.inputs != before
        self.stdout.write(f"{drawn} card(s) drawn.")

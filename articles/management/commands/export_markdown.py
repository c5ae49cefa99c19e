from django.core.management.base import BaseCommand

from articles.models import Article
from articles.portability.export import export_markdown


class Command(BaseCommand):
    help = (
        "Export articles as Markdown with YAML front matter, one folder per article "
        "(DIR/<slug>/index.md) with its images. import_markdown DIR reads them back."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR", help="Folder to write into.")
        parser.add_argument(
            "--status",
            choices=[choice for choice, _ in Article.Status.choices],
            help="Export only articles with this status (default: all).",
        )

    def handle(self, *args, **options):
        articles = Article.objects.all()
        if options["status"]:
            articles = articles.filter(status=options["status"])
        result = export_markdown(options["directory"], articles)
        for warning in result.warnings:
            self.stderr.write(f"warning: {warning}")
        self.stdout.write(
            f"Exported {result.articles} article(s) and {result.images} image(s) "
            f"to {options['directory']}."
        )

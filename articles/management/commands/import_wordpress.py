from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.portability.cli import add_common_options, finish, save_options
from articles.portability.comments import save_comments
from articles.portability.entries import EntryError, save_entry
from articles.portability.reports import Progress, Report
from articles.portability.wordpress import WxrError, read_wxr


class Command(BaseCommand):
    help = (
        "Import a WordPress export (WXR file): posts and pages with their categories, tags, "
        "authors, dates and slugs. Running it again updates the same articles."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", metavar="EXPORT.xml", help="The WordPress export file.")
        add_common_options(parser)

    def handle(self, *args, **options):
        report = Report()
        try:
            site = read_wxr(options["export"])
        except OSError as error:
            raise CommandError(f"{options['export']}: {error.strerror or error}") from None
        except WxrError as error:
            raise CommandError(f"{options['export']}: {error}") from None
        for title, message in site.warnings:
            report.warn(title, message)
        settings = save_options(options)
        progress = Progress(len(site.entries), stream=self.stderr._out, enabled=options["progress"])
        with transaction.atomic():
            for entry in site.entries:
                progress.step(entry.title)
                self.save(entry, settings, report)
            transaction.set_rollback(options["dry_run"])
        progress.close()
        finish(self, report, dry_run=options["dry_run"])

    def save(self, entry, settings, report):
        try:
            with transaction.atomic():
                action = save_entry(
                    entry,
                    options=settings,
                    warn=lambda message: report.warn(entry.title, message),
                )
                save_comments(entry.source_key, entry.comments)
        except EntryError as error:
            report.fail(entry.title, error.message)
        else:
            report.count(action)

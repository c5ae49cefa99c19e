from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.portability.cli import add_common_options, save_options
from articles.portability.entries import EntryError, save_entry
from articles.portability.notebooks import NotebookError, read_notebook


class Command(BaseCommand):
    help = (
        "Import Jupyter notebooks (.ipynb) as articles: Markdown cells, highlighted code, "
        "outputs and images. Running it again updates the same articles."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="FILE", help="Notebook files.")
        add_common_options(parser)

    def handle(self, *args, **options):
        save = save_options(options)
        failed = 0
        for name in options["paths"]:
            path = Path(name)
            try:
                # One notebook, one transaction: a failure leaves no article behind.
                with transaction.atomic():
                    entry = read_notebook(path, dry_run=options["dry_run"], warn=self._warn(path))
                    action = save_entry(entry, options=save, warn=self._warn(path))
                    transaction.set_rollback(options["dry_run"])
            except NotebookError as error:
                failed += 1
                self.stderr.write(f"error: {error}")
            except EntryError as error:
                failed += 1
                self.stderr.write(f"error: {path.name}: {error.message}")
            else:
                self.stdout.write(
                    f"{path.name}: {action}{' (dry run)' if options['dry_run'] else ''}"
                )
        if failed:
            raise CommandError(f"{failed} notebook(s) could not be imported; see the errors above.")

    def _warn(self, path):
        def warn(message, line=None):
            self.stderr.write(f"warning: {path.name}: {message}")

        return warn

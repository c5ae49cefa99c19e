from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from articles.dialects import DialectOptions
from articles.importing import SaveOptions
from articles.markdown_import import MarkdownImport, import_markdown
from articles.models import Article


def add_common_options(parser):
    """Add the options both importers share."""
    parser.add_argument("--dry-run", action="store_true", help="Do everything, save nothing.")
    parser.add_argument(
        "--status",
        choices=[choice for choice, _ in Article.Status.choices],
        help="Give every imported article this status instead of the source's.",
    )
    parser.add_argument("--author", help="Username to credit every imported article to.")
    parser.add_argument(
        "--category", help="Put every article in this category path, e.g. 'Notes/Python'."
    )
    parser.add_argument(
        "--progress",
        action="store_true",
        default=None,
        help="Draw a progress bar even when stderr is not a terminal.",
    )


def save_options(options):
    """Turn the shared command-line options into SaveOptions."""
    author = None
    if options["author"]:
        author = get_user_model().objects.filter(username=options["author"]).first()
        if author is None:
            raise CommandError(f"No user named {options['author']!r}.")
    category = None
    if options["category"] is not None:
        category = [part.strip() for part in options["category"].split("/") if part.strip()]
    return SaveOptions(status=options["status"], author=author, category_path=category)


def finish(command, report, *, dry_run):
    """Print problems and the summary; fail the command when any file failed."""
    for line in report.errors:
        command.stderr.write(f"error: {line}")
    for line in report.warnings:
        command.stderr.write(f"warning: {line}")
    command.stdout.write(report.summary(dry_run=dry_run))
    if report.failed:
        raise CommandError(f"{report.failed} item(s) could not be imported; see the errors above.")


class Command(BaseCommand):
    help = (
        "Import Markdown files or folders (Hexo, Hugo, Jekyll, Docusaurus) as articles. "
        "Running it again updates the same articles."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="Markdown files or folders.")
        add_common_options(parser)
        parser.add_argument(
            "--no-hexo", action="store_true", help="Leave Hexo tag plugins ({% note %}...) alone."
        )
        parser.add_argument(
            "--no-d2lbook", action="store_true", help="Leave d2lbook roles and tabs alone."
        )
        parser.add_argument(
            "--d2l-tab",
            default="first",
            metavar="FRAMEWORK",
            help="d2lbook framework tab to keep: a name such as pytorch, 'first' (default) "
            "or 'all'.",
        )
        parser.add_argument(
            "--no-pandoc",
            action="store_true",
            help="Keep pandoc code info strings such as {.python .input} as they are.",
        )

    def handle(self, *args, **options):
        dialects = DialectOptions(
            hexo=not options["no_hexo"],
            d2lbook=not options["no_d2lbook"],
            d2l_tab=options["d2l_tab"],
            pandoc=not options["no_pandoc"],
        )
        settings = MarkdownImport(
            dialects=dialects,
            save=save_options(options),
            dry_run=options["dry_run"],
            progress=options["progress"],
        )
        report = import_markdown(options["paths"], settings, stderr=self.stderr._out)
        finish(self, report, dry_run=options["dry_run"])

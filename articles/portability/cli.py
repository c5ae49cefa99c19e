"""Command-line options and reporting shared by the import commands."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from articles.models import Article
from articles.portability.entries import SaveOptions


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

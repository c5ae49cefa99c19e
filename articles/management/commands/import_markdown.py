from django.core.management.base import BaseCommand

from articles.portability.cli import add_common_options, finish, save_options
from articles.portability.dialects import DialectOptions
from articles.portability.markdown import MarkdownImport, import_markdown


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
            default="tabs",
            metavar="FRAMEWORK",
            help="d2lbook framework tabs: 'tabs' (default: a tab group keeping every "
            "framework), one framework by name such as pytorch, 'first' or 'all'.",
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

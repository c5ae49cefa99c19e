from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.operations.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore a backup directory into an empty database and unpack its media."

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help="A directory written by `manage.py backup`.")

    def handle(self, *args, source, **options):
        try:
            manifest = backup_restore(source=source)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup of {manifest['created_at']} "
                f"({manifest['media_files']} media files)."
            )
        )

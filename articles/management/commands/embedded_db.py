from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from site_config import embedded_db


class Command(BaseCommand):
    help = "Show or stop the embedded PostgreSQL used when DATABASE_URL is unset."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["status", "stop"])

    def handle(self, *args, action, **options):
        pgdata = getattr(settings, "EMBEDDED_PGDATA", None)
        if pgdata is None:
            raise CommandError("DATABASE_URL is set, so no embedded database is in use.")
        if action == "status":
            database = settings.DATABASES["default"]
            self.stdout.write(f"running: data in {pgdata}, socket in {database['HOST']}")
            return
        # This process joined the server when settings loaded; stopping it is
        # still safe, since every other user reconnects to a restarted server.
        if embedded_db.stop(pgdata):
            self.stdout.write("Stopped the embedded PostgreSQL.")
        else:
            self.stdout.write("The embedded PostgreSQL was not running.")

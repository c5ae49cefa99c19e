from django.conf import settings
from django.core.management.base import BaseCommand

from articles.feeds.websub import deliver_due_pings
from articles.models import WebSubPing


class Command(BaseCommand):
    help = "Send queued WebSub pings that are due (run it from cron every few minutes)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--now",
            action="store_true",
            help="Also send pings whose retry time has not come yet.",
        )

    def handle(self, *args, now=False, **options):
        if not settings.WEBSUB_HUB_URL:
            self.stdout.write("WEBSUB_HUB_URL is not set; nothing to send.")
            return
        sent, failed = deliver_due_pings(include_future=now)
        waiting = WebSubPing.objects.count()
        self.stdout.write(f"Sent {sent} WebSub pings, {failed} failed, {waiting} queued.")

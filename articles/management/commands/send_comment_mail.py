from django.core.management.base import BaseCommand

from articles.comments.outbox import deliver_due


class Command(BaseCommand):
    help = "Send queued comment emails that are due (run from cron; failures stay queued)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true", help="Also send emails waiting for a later retry."
        )

    def handle(self, *args, **options):
        total_sent = total_failed = 0
        while True:
            sent, failed = deliver_due(include_future=options["all"])
            total_sent += sent
            total_failed += failed
            if not sent or failed:
                break
        self.stdout.write(f"Sent {total_sent} comment emails; {total_failed} failed and wait.")
        if total_failed:
            raise SystemExit(1)

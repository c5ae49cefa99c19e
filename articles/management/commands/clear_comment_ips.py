from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from articles.models import Comment


class Command(BaseCommand):
    help = (
        "Clear commenters' IP addresses older than COMMENTS_IP_RETENTION_DAYS "
        "(run daily from cron; docs/comments.md)."
    )

    def handle(self, *args, **options):
        cutoff = timezone.now() - timedelta(days=settings.COMMENTS_IP_RETENTION_DAYS)
        cleared = Comment.objects.filter(created_at__lt=cutoff, ip_address__isnull=False).update(
            ip_address=None
        )
        self.stdout.write(f"Cleared the IP address of {cleared} comments.")

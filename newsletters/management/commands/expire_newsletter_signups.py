from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from newsletters.models import Subscriber


class Command(BaseCommand):
    help = (
        "Forget the addresses of newsletter sign-ups never confirmed within "
        "NEWSLETTER_CONFIRM_DAYS days (run daily). Their confirmation link no longer works."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count them, delete nothing.")

    def handle(self, dry_run, verbosity, **options):
        cutoff = timezone.now() - timedelta(days=settings.NEWSLETTER_CONFIRM_DAYS)
        expired = Subscriber.objects.unconfirmed_since(cutoff)
        count = expired.count()
        if not dry_run:
            expired.delete()
        if verbosity:
            verb = "Would forget" if dry_run else "Forgot"
            self.stdout.write(f"{verb} {count} unconfirmed sign-up{'s' if count != 1 else ''}.")

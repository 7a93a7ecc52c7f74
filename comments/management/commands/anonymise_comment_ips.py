from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from comments.models import Comment


class Command(BaseCommand):
    help = (
        "Forget the IP address and browser (user agent) of comments older than "
        "--older-than-days (default: COMMENTS_IP_RETENTION_DAYS). They only help against spam "
        "while a comment is new. Safe to re-run; run it daily from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-days",
            type=int,
            default=None,
            metavar="N",
            help="Clear comments posted more than N days ago "
            "(default: the COMMENTS_IP_RETENTION_DAYS setting).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be cleared, change nothing."
        )

    def handle(self, older_than_days, dry_run, verbosity, **options):
        days = settings.COMMENTS_IP_RETENTION_DAYS if older_than_days is None else older_than_days
        if days < 0:
            raise CommandError("--older-than-days cannot be negative.")
        cutoff = timezone.now() - timedelta(days=days)
        # Cleared outright rather than truncated to a /24 or /48: a shortened address still
        # points at a household or a small office, and nothing on the site needs it any more.
        comments = Comment.objects.filter(created_at__lt=cutoff).exclude(
            ip_address=None, user_agent=""
        )
        count = comments.count() if dry_run else comments.update(ip_address=None, user_agent="")
        if verbosity:
            verb = "Would clear" if dry_run else "Cleared"
            self.stdout.write(
                f"{verb} the IP address and user agent of {count} "
                f"{'comment' if count == 1 else 'comments'} older than {days} days."
            )

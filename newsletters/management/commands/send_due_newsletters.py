from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from newsletters.models import Issue, Newsletter
from newsletters.sending import start_due_issues


class Command(BaseCommand):
    help = (
        "Run every minute (cron, a systemd timer, or `make run`'s loop): make each active "
        "newsletter's upcoming issue and add the stories published since, send the issues "
        "whose time has come, and pick up sends whose worker stopped. Safe to run at any time, "
        "as often as you like: each issue and each delivery exists once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now",
            metavar="SLUG",
            help="Send this newsletter's upcoming issue now rather than at its time (a demo, a "
            "special edition); its next issue is made for the next scheduled time.",
        )

    def handle(self, verbosity, now=None, **options):
        slug, now = now, timezone.now()
        if slug:
            try:
                newsletter = Newsletter.objects.get(slug=slug)
            except Newsletter.DoesNotExist:
                raise CommandError(f"No newsletter with the slug {slug!r}.") from None
            issue = newsletter.upcoming_issue(now)
            Issue.objects.filter(pk=issue.pk, status=Issue.Status.DRAFT).update(scheduled_for=now)
        started, resumed = start_due_issues(now)
        added = 0
        for newsletter in Newsletter.objects.filter(is_active=True):
            issue = newsletter.upcoming_issue(now)
            added += issue.refresh_stories(now)
        if verbosity:
            for issue in started:
                verb = (
                    "Sending" if issue.status == Issue.Status.SENDING else "Not sending (no story)"
                )
                self.stdout.write(f"{verb}: {issue}")
            for issue in resumed:
                self.stdout.write(f"Resumed: {issue}")
        if verbosity > 1:
            self.stdout.write(f"{added} new stories added to upcoming issues.")

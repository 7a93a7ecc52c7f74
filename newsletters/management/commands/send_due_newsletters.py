from django.core.management.base import BaseCommand
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

    def handle(self, verbosity, **options):
        now = timezone.now()
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

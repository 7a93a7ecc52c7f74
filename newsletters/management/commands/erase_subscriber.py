import sys

from django.core.management.base import BaseCommand, CommandError

from newsletters.models import Subscriber


class Command(BaseCommand):
    help = (
        "Delete an email address from the newsletters (any capitalisation): the sign-up, its "
        "subscriptions and the record of issues sent to it. Every link in emails already sent "
        "stops working. For a reader who asks to be forgotten, beside erase_comments."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would go, change nothing."
        )

    def handle(self, email, yes, dry_run, verbosity, **options):
        email = Subscriber.normalise(email)
        if not email:
            raise CommandError("Give the subscriber's email address.")
        subscriber = Subscriber.objects.filter(email=email).first()
        if subscriber is None:
            if verbosity:
                self.stdout.write(f"No newsletter subscriber {email}.")
            return
        if dry_run:
            if verbosity:
                self.stdout.write(f"Would delete the newsletter subscriber {email}.")
            return
        if not yes:
            if not sys.stdin.isatty():
                raise CommandError(
                    f"This would delete the subscriber {email}. Run again with --yes."
                )
            if input(f"Delete the subscriber {email}? Type 'yes': ").strip().lower() != "yes":
                raise CommandError("Nothing deleted.")
        subscriber.delete()
        if verbosity:
            self.stdout.write(f"Deleted the newsletter subscriber {email}.")

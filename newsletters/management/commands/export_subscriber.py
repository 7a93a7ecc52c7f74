import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from newsletters.models import Subscriber


def _date(moment):
    return moment.isoformat() if moment else None


class Command(BaseCommand):
    help = (
        "Export, as JSON, what the newsletters hold about an email address (any "
        "capitalisation): the sign-up, its subscriptions and every issue sent to it. For a "
        "reader's data request, beside export_comments."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--output", metavar="FILE", help="Write to FILE, not the screen.")

    def handle(self, email, output, verbosity, **options):
        email = Subscriber.normalise(email)
        if not email:
            raise CommandError("Give the subscriber's email address.")
        subscriber = Subscriber.objects.filter(email=email).first()
        record = None
        if subscriber:
            record = {
                "signed_up_at": _date(subscriber.created_at),
                "confirmed_at": _date(subscriber.confirmed_at),
                "paused_at": _date(subscriber.paused_at),
                "hard_failures": subscriber.hard_failures,
                "newsletters": [
                    {"name": s.newsletter.name, "since": _date(s.created_at)}
                    for s in subscriber.subscription_set.select_related("newsletter")
                ],
                "issues_sent": [
                    {"issue": str(d.issue), "status": d.status, "sent_at": _date(d.sent_at)}
                    for d in subscriber.deliveries.select_related("issue__newsletter").order_by(
                        "pk"
                    )
                ],
            }
        document = json.dumps(
            {"email": email, "exported_at": _date(timezone.now()), "subscriber": record},
            ensure_ascii=False,
            indent=2,
        )
        if output:
            with open(output, "w", encoding="utf-8") as file:
                file.write(document + "\n")
            if verbosity:
                self.stderr.write(f"Exported the newsletter data of {email} to {output}.")
        else:
            self.stdout.write(document)

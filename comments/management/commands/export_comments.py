import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from comments.commenters import Note, Sanction, commenter_key
from comments.models import Comment


def _date(moment):
    return moment.isoformat() if moment else None


def commenter_records(email):
    """What moderators recorded about whoever writes from `email`: their private notes and the
    sanctions (a reader's data includes what was written about them)."""
    key = commenter_key(email)
    notes = [
        {"written_at": _date(note.created_at), "note": note.text}
        for note in Note.objects.filter(commenter_id=key).order_by("created_at", "id")
    ]
    sanctions = [
        {
            "kind": sanction.kind,
            "since": _date(sanction.created_at),
            "until": _date(sanction.until),
            "why": sanction.reason,
            "lifted_at": _date(sanction.lifted_at),
            "why_lifted": sanction.lift_reason,
        }
        for sanction in Sanction.objects.filter(commenter_id=key).order_by("created_at", "id")
    ]
    return {"notes": notes, "sanctions": sanctions}


def comment_record(comment, site_url=""):
    """Everything the site holds about one comment, as a reader asking for their data sees it."""
    return {
        "id": comment.pk,
        "article": {
            "title": comment.article.title,
            "url": site_url + comment.article.get_absolute_url(),
        },
        "in_reply_to": comment.parent_id,
        "name": comment.name,
        "email": comment.email,
        "comment": comment.body,
        "status": comment.status,
        "rejection_reason": comment.rejection_reason,
        "rejection_note": comment.rejection_note,
        "created_at": _date(comment.created_at),
        "moderated_at": _date(comment.moderated_at),
        "ip_address": comment.ip_address,
        "user_agent": comment.user_agent,
    }


class Command(BaseCommand):
    help = (
        "Export, as JSON, every comment written with an email address (any capitalisation), "
        "whatever its status: for a reader who asks what the site holds about them."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="The commenter's email address.")
        parser.add_argument(
            "--output", metavar="FILE", help="Write the JSON to FILE instead of the screen."
        )
        parser.add_argument(
            "--site-url",
            default="",
            metavar="URL",
            help="Put this in front of story addresses, e.g. https://news.example.com.",
        )

    def handle(self, email, output, site_url, verbosity, **options):
        email = email.strip()
        # Not validated: addresses imported from an old site may not be well-formed.
        if not email:
            raise CommandError("Give the commenter's email address.")
        comments = (
            Comment.objects.by_email(email).select_related("article").order_by("created_at", "id")
        )
        records = [comment_record(comment, site_url.rstrip("/")) for comment in comments]
        document = json.dumps(
            {
                "email": email,
                "exported_at": _date(timezone.now()),
                "comments": records,
                **commenter_records(email),
            },
            ensure_ascii=False,
            indent=2,
        )
        if output:
            with open(output, "w", encoding="utf-8") as file:
                file.write(document + "\n")
            if verbosity:
                # To stderr: the count must never end up inside JSON piped from stdout.
                self.stderr.write(f"Exported {len(records)} comments by {email} to {output}.")
        else:
            self.stdout.write(document)

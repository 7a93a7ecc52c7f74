import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from comments.commenters import Note, commenter_key
from comments.models import Comment


def plural(count, word, words):
    return f"{count} {word if count == 1 else words}"


class Command(BaseCommand):
    help = (
        "Delete every comment written with an email address (any capitalisation), whatever "
        "its status: for a reader who asks to be forgotten. Other people's replies to those "
        "comments are kept and become comments of their own. Asks first unless --yes is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="The commenter's email address.")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be deleted, change nothing."
        )

    def handle(self, email, yes, dry_run, verbosity, **options):
        email = email.strip()
        # Not validated: addresses imported from an old site may not be well-formed.
        if not email:
            raise CommandError("Give the commenter's email address.")
        comments = Comment.objects.by_email(email)
        # Replies by other people: their words are not the erased person's to take away.
        orphans = Comment.objects.filter(parent__in=comments).exclude(pk__in=comments)
        count, orphan_count = comments.count(), orphans.count()
        summary = f"{plural(count, 'comment', 'comments')} by {email}"
        if orphan_count:
            summary += f" ({plural(orphan_count, 'reply', 'replies')} by others will be kept)"
        if dry_run or not count:
            if verbosity:
                self.stdout.write(
                    f"Would delete {summary}." if dry_run else f"No comments by {email}."
                )
            return
        if not yes:
            self.confirm(summary)
        with transaction.atomic():
            orphans.update(parent=None)
            deleted = comments.count()
            comments.delete()  # with their reports and audit rows
            # Moderators' notes are about the person; a sanction is kept (it names no address,
            # and an erasure must not lift a ban).
            notes, _ = Note.objects.filter(commenter_id=commenter_key(email)).delete()
        if verbosity:
            self.stdout.write(
                f"Deleted {plural(deleted, 'comment', 'comments')} by {email}; "
                f"{plural(orphan_count, 'reply', 'replies')} by others kept as comments of their own."
                + (
                    f" Deleted {plural(notes, 'moderator note', 'moderator notes')}."
                    if notes
                    else ""
                )
            )

    def confirm(self, summary):
        if not sys.stdin.isatty():
            raise CommandError(f"This would delete {summary}. Run again with --yes to do it.")
        answer = input(f"Delete {summary}? This cannot be undone. Type 'yes' to continue: ")
        if answer.strip().lower() != "yes":
            raise CommandError("Nothing deleted.")

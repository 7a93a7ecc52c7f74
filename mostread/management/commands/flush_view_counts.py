from django.conf import settings
from django.core.management.base import BaseCommand

from mostread.counts import flush


class Command(BaseCommand):
    help = (
        "Add the page views waiting in the cache to the most-read counts now, instead of at the "
        "next flush a reader's visit triggers (e.g. before a deploy). Safe to re-run."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would be added, change nothing."
        )

    def handle(self, dry_run, verbosity, **options):
        if "LocMemCache" in settings.CACHES["default"]["BACKEND"] and verbosity:
            self.stderr.write(
                "The cache is local to each process: this command sees only its own counts, "
                "not those waiting in the web server's processes (they flush themselves)."
            )
        added = flush(dry_run=dry_run)
        if added is None:
            self.stderr.write("Another flush is running; try again in a minute.")
            return
        if verbosity >= 2:
            for (article_id, hour), count in sorted(added.items()):
                self.stdout.write(f"  story {article_id}, {hour:%Y-%m-%d %H}:00: {count}")
        if verbosity:
            verb = "Would add" if dry_run else "Added"
            stories = len({article_id for article_id, _ in added})
            self.stdout.write(
                f"{verb} {sum(added.values())} page views of {stories} "
                f"{'story' if stories == 1 else 'stories'}."
            )

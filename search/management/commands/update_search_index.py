from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, connections
from tqdm import tqdm

from articles.models import Article


class Command(BaseCommand):
    help = (
        "Fill the full-text search index (Article.search_vector) of every story, in batches. "
        "Saving a story or changing its tags keeps it current; run this after bulk imports, "
        "after renaming tags and after changing SEARCH_CONFIG. PostgreSQL only; safe to re-run."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size",
            type=int,
            default=500,
            help="Stories updated per UPDATE statement (default 500).",
        )
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="The database to index (default: default)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count the stories; change nothing."
        )

    def handle(self, *args, batch_size, database, dry_run, verbosity, **options):
        vendor = connections[database].vendor
        if vendor != "postgresql":
            # Not an error: development on SQLite searches without an index.
            self.stdout.write(
                f"The search index is kept only on PostgreSQL; this database is {vendor}. "
                "Nothing to do: search there matches words without an index.",
                self.style.WARNING,
            )
            return
        ids = list(Article.objects.using(database).order_by("pk").values_list("pk", flat=True))
        if dry_run:
            self.stdout.write(f"Would index {len(ids)} stor{'y' if len(ids) == 1 else 'ies'}.")
            return
        # The raw stream: Django's wrapper would end every update of the bar with a newline.
        progress = tqdm(total=len(ids), file=self.stderr._out, disable=verbosity == 0, unit="story")
        for start in range(0, len(ids), max(batch_size, 1)):
            batch = ids[start : start + batch_size]
            Article.objects.using(database).filter(pk__in=batch).update_search_vector()
            progress.update(len(batch))
        progress.close()
        if verbosity:
            self.stdout.write(
                f"Indexed {len(ids)} stor{'y' if len(ids) == 1 else 'ies'}.", self.style.SUCCESS
            )

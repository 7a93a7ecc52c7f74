from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from wordpress.importer import WordPressImporter
from wordpress.wxr import WxrError, WxrRefused

# The order the summary names what was imported in.
KINDS = (
    "authors",
    "categories",
    "tags",
    "posts",
    "comments",
    "featured images",
    "body images",
)


class Command(BaseCommand):
    help = (
        "Import a WordPress export (Tools → Export, a WXR file): authors, categories, tags, "
        "posts with their featured images, and comments. Old post addresses redirect to the "
        "new ones. Safe to re-run: posts and comments are matched by their WordPress IDs and "
        "updated. See README, “Moving from WordPress”."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", help="The .xml file WordPress's Tools → Export wrote.")
        parser.add_argument(
            "--media-dir",
            help="WordPress's uploads folder (wp-content/uploads), for featured images.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Read and check everything; save nothing."
        )

    def handle(self, *args, export, media_dir, dry_run, verbosity, **options):
        path = Path(export)
        if not path.is_file():
            raise CommandError(f"{export}: no such file.")
        if media_dir and not Path(media_dir).is_dir():
            raise CommandError(f"--media-dir {media_dir}: no such folder.")
        importer = WordPressImporter(media_dir=media_dir, dry_run=dry_run)
        try:
            with (
                path.open("rb") as file,
                # The raw stream: Django's wrapper would end every update of the bar with a newline.
                tqdm.wrapattr(
                    file,
                    "read",
                    total=path.stat().st_size,
                    file=self.stderr._out,
                    disable=verbosity == 0,
                    desc="Reading",
                ) as progress,
            ):
                summary = importer.run(progress)
        except WxrRefused as error:
            raise CommandError(f"{export} refused: {error}. Nothing was imported.") from None
        except WxrError as error:
            raise CommandError(
                f"{export} cannot be imported: {error}. Nothing was imported."
            ) from None
        self.report(summary, dry_run, verbosity)

    def report(self, summary, dry_run, verbosity):
        for failure in summary.failures:
            self.stderr.write(f"Failed: {failure}")
        if not verbosity:
            return
        for note in summary.notes:
            self.stdout.write(f"Note: {note}")
        kinds = [kind for kind in KINDS if kind in summary.created or kind in summary.updated]
        imported = ", ".join(
            f"{summary.created[kind] + summary.updated[kind]} {kind} "
            f"({summary.created[kind]} new, {summary.updated[kind]} updated)"
            for kind in kinds
        )
        skipped = ", ".join(f"{count} {what}" for what, count in summary.skipped.items())
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(f"{verb}: {imported or 'nothing'}.")
        self.stdout.write(f"Skipped: {skipped or 'nothing'}.")
        style = self.style.WARNING if summary.failures else self.style.SUCCESS
        self.stdout.write(f"Failed: {len(summary.failures)}.", style)

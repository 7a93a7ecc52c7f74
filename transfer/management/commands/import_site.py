import sys

from django.core.management.base import BaseCommand, CommandError

from transfer.site_export import SiteImportError, import_site


class Command(BaseCommand):
    help = (
        "Read a site written by export_site into this database, which must hold no stories, "
        "sections, authors, tags or comments yet. All or nothing: a bad line imports nothing. "
        "Copy the old MEDIA_ROOT too: the export names the image files but does not hold them."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", help="The .jsonl file export_site wrote, or - for stdin.")

    def handle(self, *args, export, verbosity, **options):
        try:
            if export == "-":
                count = import_site(sys.stdin)
            else:
                with open(export, encoding="utf-8") as lines:
                    count = import_site(lines)
        except FileNotFoundError:
            raise CommandError(f"{export}: no such file.") from None
        except UnicodeDecodeError:
            raise CommandError(f"{export} is not UTF-8 text; nothing was imported.") from None
        except SiteImportError as error:
            raise CommandError(
                f"{export} cannot be imported: {error}. Nothing was imported."
            ) from None
        if verbosity:
            self.stdout.write(f"Imported {count} lines from {export}.", self.style.SUCCESS)

from django.core.management.base import BaseCommand

from transfer.site_export import export_site


class Command(BaseCommand):
    help = (
        "Write the whole site (About, accounts of authors, sections, tags, authors, stories "
        "without their revisions, comments, corrections, redirects) as JSON Lines, for "
        "import_site. Image files are named, not included: copy MEDIA_ROOT alongside."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="The file to write (default: standard output).")

    def handle(self, *args, output, verbosity, **options):
        if output:
            with open(output, "w", encoding="utf-8") as stream:
                count = export_site(stream)
        else:
            count = export_site(self.stdout)
        if verbosity and output:
            self.stderr.write(f"Exported {count} lines to {output}.")

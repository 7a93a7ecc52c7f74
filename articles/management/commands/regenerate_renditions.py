from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand
from tqdm import tqdm

from articles.images import generate_renditions, missing_renditions
from articles.models import Article


class Command(BaseCommand):
    help = (
        "Make the resized WebP and JPEG/PNG copies (renditions) of every story's featured "
        "image. Run it with --missing-only after upgrading, for images stored before "
        "renditions existed. Safe to run again; a broken original is reported and skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--missing-only",
            action="store_true",
            help="Only images with a rendition missing (checks the storage for each file).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be made; write nothing."
        )

    def handle(self, *args, missing_only, dry_run, verbosity, **options):
        articles = (
            Article.objects.exclude(featured_image="")
            .only("title", "featured_image", "featured_image_width", "featured_image_height")
            .order_by("pk")
        )
        made, complete, failed = 0, 0, []
        # The raw stream: Django's wrapper would end every update of the bar with a newline.
        progress = tqdm(
            articles.iterator(),
            total=articles.count(),
            file=self.stderr._out,
            disable=verbosity == 0,
            unit="image",
        )
        for article in progress:
            image = article.featured_image
            try:
                if missing_only and not missing_renditions(image, article.featured_image_width):
                    complete += 1
                    continue
                if not dry_run:
                    generate_renditions(image)
                made += 1
            except FileNotFoundError:
                failed.append((article, image.name, "the original file is missing"))
            except ValidationError as error:
                failed.append((article, image.name, " ".join(error.messages)))
            except Exception as error:  # noqa: BLE001 -- one bad image must not stop the rest.
                failed.append((article, image.name, f"{type(error).__name__}: {error}"))
        progress.close()

        for article, name, reason in failed:
            self.stderr.write(f"Failed: {name} (story {article.pk}, “{article.title}”): {reason}")
        if verbosity:
            summary = f"{'Would make' if dry_run else 'Made'} renditions: {made}"
            if missing_only:
                summary += f"; already complete: {complete}"
            summary += f"; failed: {len(failed)}."
            self.stdout.write(summary, self.style.WARNING if failed else self.style.SUCCESS)

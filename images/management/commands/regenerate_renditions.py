from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand
from django.db import models
from django.db.models import Q
from tqdm import tqdm

from images.processing import generate_renditions, missing_renditions


def fields_with_renditions():
    """(model, field) of each image field pages show as renditions: those that keep the
    image's width (`width_field`), which renditions are named by (processing.rendition_names).
    Here: stories' featured images and body images (an author's photo has none)."""
    return [
        (model, field)
        for model in sorted(apps.get_models(), key=lambda model: model._meta.label)
        for field in model._meta.get_fields()
        if isinstance(field, models.ImageField) and field.width_field
    ]


class Command(BaseCommand):
    help = (
        "Make the resized WebP and JPEG/PNG copies (renditions) of every image pages show "
        "at several sizes: stories' featured images and the images in their text. Run it "
        "with --missing-only after upgrading or moving the media, for images stored without "
        "them. Safe to run again; a broken original is reported and skipped."
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
        rows = [(field, _with_image(model, field)) for model, field in fields_with_renditions()]
        made, complete, failed = 0, 0, []
        # The raw stream: Django's wrapper would end every update of the bar with a newline.
        progress = tqdm(
            total=sum(queryset.count() for _, queryset in rows),
            file=self.stderr._out,
            disable=verbosity == 0,
            unit="image",
        )
        for field, queryset in rows:
            for row in queryset.iterator():
                progress.update()
                image, width = getattr(row, field.name), getattr(row, field.width_field)
                try:
                    if missing_only and not missing_renditions(image, width):
                        complete += 1
                        continue
                    if not dry_run:
                        generate_renditions(image)
                    made += 1
                except FileNotFoundError:
                    failed.append((row, image.name, "the original file is missing"))
                except ValidationError as error:
                    failed.append((row, image.name, " ".join(error.messages)))
                except Exception as error:  # noqa: BLE001 -- one bad image must not stop the rest.
                    failed.append((row, image.name, f"{type(error).__name__}: {error}"))
        progress.close()

        for row, name, reason in failed:
            where = f"{row._meta.verbose_name} {row.pk}, “{row}”"
            self.stderr.write(f"Failed: {name} ({where}): {reason}")
        if verbosity:
            summary = f"{'Would make' if dry_run else 'Made'} renditions: {made}"
            if missing_only:
                summary += f"; already complete: {complete}"
            summary += f"; failed: {len(failed)}."
            self.stdout.write(summary, self.style.WARNING if failed else self.style.SUCCESS)


def _with_image(model, field):
    """The rows of `model` with an image in `field`, loading no more than the image needs."""
    no_image = Q(**{field.name: ""}) | Q(**{f"{field.name}__isnull": True})
    return (
        model._default_manager.exclude(no_image)
        .only(field.name, field.width_field, field.height_field or field.width_field)
        .order_by("pk")
    )

from functools import partial

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from .processing import generate_renditions

# Where body images are stored; the page rewrite (body_images.body_pictures) only looks at
# addresses in this folder.
BODY_FOLDER = "body"


class BodyImage(models.Model):
    """An image inside a story's body, uploaded from the editor or brought in by an import:
    the body holds its address, this row its size and where it came from (body_images.py)."""

    image = models.ImageField(
        upload_to=f"{BODY_FOLDER}/%Y/%m/",
        width_field="width",
        height_field="height",
        max_length=255,
        db_index=True,
    )
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    alt = models.CharField(
        "alt text",
        max_length=300,
        blank=True,
        help_text="What the image shows, for readers who cannot see it; empty if decorative.",
    )
    # Where an imported image came from (a WordPress upload's path), so a re-run reuses it.
    source = models.CharField(max_length=500, blank=True, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        # The table it had in articles, where it began (migration articles 0015): servers
        # running the code before and after the move share it while a deploy rolls out.
        db_table = "articles_bodyimage"
        ordering = ["-created_at"]

    def __str__(self):
        return self.image.name

    def save(self, *args, **kwargs):
        new = self._state.adding
        super().save(*args, **kwargs)
        if new:
            # Renditions once the row is committed, as for featured images (articles/signals.py).
            transaction.on_commit(partial(generate_renditions, self.image), robust=True)

    @classmethod
    def store(cls, upload, **fields):
        """A new BodyImage of `upload` (already checked: processing.normalise_upload), saved."""
        body_image = cls(**fields)
        body_image.image.save(upload.name, upload, save=False)
        body_image.save()
        return body_image

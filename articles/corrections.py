"""Corrections and updates appended to a published story."""

from django.db import models
from django.utils import timezone

from .models import Article


class Correction(models.Model):
    """A dated note appended to a published story, shown to readers newest first."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        UPDATE = "update", "Update"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.CORRECTION)
    text = models.TextField(
        help_text="Plain text: what was wrong and what is right, or what is new."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.article}"

"""The site's own description (the About box on every page and the About page): one row."""

from django.db import models
from django.db.models import Q
from django.urls import reverse

from .html import sanitize_html

PLACEHOLDER_SUMMARY = (
    "Lorem ipsum dolor sit amet, consectetur adipiscing elit. Sed do eiusmod tempor "
    "incididunt ut labore et dolore magna aliqua. Edit this text in the admin, under About."
)


class About(models.Model):
    """The site's own description: one row, edited in the admin."""

    site_name = models.CharField(max_length=100, default="Newsroom")
    tagline = models.CharField(max_length=200, blank=True, default="News, plainly told")
    summary = models.TextField(
        default=PLACEHOLDER_SUMMARY,
        help_text="The short text of the “About” box shown on every page. Plain text.",
    )
    body = models.TextField(
        blank=True,
        default="<p>" + PLACEHOLDER_SUMMARY + "</p>",
        help_text="The full About page.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "About the site"
        verbose_name_plural = "About the site"
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="about_singleton")]

    def __str__(self):
        return f"About {self.site_name}"

    def save(self, *args, **kwargs):
        self.pk = 1
        self.body = sanitize_html(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:about")

    @classmethod
    def load(cls):
        about, _ = cls.objects.get_or_create(pk=1)
        return about

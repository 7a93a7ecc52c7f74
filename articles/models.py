from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber, TruncMonth
from django.urls import reverse
from django.utils import timezone
from taggit.managers import TaggableManager

from .html import sanitize_html
from .images import generate_renditions


class CategoryQuerySet(models.QuerySet):
    def with_published_count(self):
        published = Q(
            articles__status=Article.Status.PUBLISHED,
            articles__published_at__lte=timezone.now(),
        )
        return self.annotate(published_count=Count("articles", filter=published))

    def top(self):
        """Categories ranked by how many published stories they hold, empty ones left out."""
        return (
            self.with_published_count()
            .filter(published_count__gt=0)
            .order_by("-published_count", "position", "name")
        )


class Category(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(
        blank=True, help_text="One or two sentences shown at the top of the category page."
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order in the navigation bar: lower numbers come first."
    )

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:category", kwargs={"slug": self.slug})


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """What readers may see: published, with a publication time that has come."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def for_listing(self):
        return self.select_related("category", "author")

    def latest_per_category(self, per_category):
        """The newest `per_category` stories of every category, in one query."""
        ranked = self.annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("category_id"),
                order_by=F("published_at").desc(),
            )
        )
        return ranked.filter(rank__lte=per_category).order_by("category_id", "rank")

    def month_counts(self):
        """(month, number of stories) pairs, newest month first, for the archive index."""
        return (
            self.annotate(month=TruncMonth("published_at"))
            .values("month")
            .annotate(count=Count("id"))
            .order_by("-month")
        )


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text="The last part of the story's address. Filled in from the title.",
    )
    standfirst = models.TextField(
        max_length=500,
        blank=True,
        help_text="The summary under the headline, also used in lists and link previews.",
    )
    body = models.TextField(blank=True, help_text="The story, as HTML.")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="articles")
    tags = TaggableManager(blank=True, help_text="Comma-separated topics, e.g. Kazakhstan, Trade.")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
    )
    byline = models.CharField(
        max_length=200,
        blank=True,
        help_text="Shown instead of the author's name, e.g. “By our Central Asia correspondent”.",
    )
    featured_image = models.ImageField(
        upload_to="articles/%Y/%m/",
        blank=True,
        width_field="featured_image_width",
        height_field="featured_image_height",
    )
    featured_image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    featured_image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    featured_image_alt = models.CharField(
        "alt text",
        max_length=250,
        blank=True,
        help_text="What the image shows, for readers who cannot see it. Required with an image.",
    )
    featured_image_caption = models.CharField("caption", max_length=300, blank=True)
    featured_image_credit = models.CharField("credit", max_length=200, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        "publication date",
        default=timezone.now,
        help_text="A date in the future schedules a published story: it appears by itself then.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    is_featured = models.BooleanField(
        "lead story", default=False, help_text="The newest featured story leads the front page."
    )
    allow_comments = models.BooleanField(default=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        get_latest_by = "published_at"
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_published_idx"),
            models.Index(
                fields=["category", "status", "-published_at"], name="article_category_idx"
            ),
            models.Index(
                fields=["is_featured", "status", "-published_at"], name="article_featured_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published"]), name="article_status_valid"
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = sanitize_html(self.body)
        super().save(*args, **kwargs)
        if self.featured_image and self.featured_image.name != getattr(
            self, "_saved_image_name", None
        ):
            # Resize once, after the upload is safely stored, never while a reader waits.
            transaction.on_commit(partial(generate_renditions, self.featured_image))
        self._saved_image_name = self.featured_image.name

    def get_absolute_url(self):
        day = timezone.localdate(self.published_at)
        return reverse(
            "articles:detail",
            kwargs={"year": day.year, "month": day.month, "day": day.day, "slug": self.slug},
        )

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        article = super().from_db(db, field_names, values, **kwargs)
        article._saved_image_name = article.__dict__.get("featured_image")
        return article

    def clean(self):
        if self.featured_image and not self.featured_image_alt.strip():
            raise ValidationError(
                {"featured_image_alt": "Describe the image for readers who cannot see it."}
            )

    @property
    def is_public(self):
        return self.status == self.Status.PUBLISHED and self.published_at <= timezone.now()

    @property
    def is_scheduled(self):
        return self.status == self.Status.PUBLISHED and self.published_at > timezone.now()

    @property
    def state_label(self):
        """Draft, Scheduled or Published: what an editor needs to know at a glance."""
        if self.status == self.Status.DRAFT:
            return "Draft"
        return "Scheduled" if self.is_scheduled else "Published"

    @property
    def byline_text(self):
        if self.byline:
            return self.byline
        if self.author:
            return self.author.get_full_name() or self.author.get_username()
        return ""

    @property
    def was_updated(self):
        """True when the story changed noticeably after it went out."""
        return self.updated_at - max(self.published_at, self.created_at) > UPDATE_GRACE


UPDATE_GRACE = timezone.timedelta(hours=1)

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
        help_text="The full About page, as HTML.",
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

import datetime
import json
import re
from functools import cached_property
from urllib.parse import unquote

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, router, transaction
from django.db.models import (
    Count,
    F,
    Q,
)
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import strip_tags
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager

from . import addresses
from .html import sanitize_html
from .querysets import CREDITED, ArticleQuerySet


class CategoryQuerySet(models.QuerySet):
    def with_published_count(self):
        published = Article.public_q(prefix="articles__")
        return self.annotate(published_count=Count("articles", filter=published))

    def top(self):
        """Categories ranked by how many published stories they hold, empty ones left out."""
        return (
            self.with_published_count()
            .filter(published_count__gt=0)
            .order_by("-published_count", "position", "name")
        )


class CommentMode(models.TextChoices):
    """How a story takes readers' comments. comments/moderation.py (Moderator.mode_for) reads
    it: "default" defers to the story's section, and a section's to COMMENTS_DEFAULT_MODE."""

    DEFAULT = "default", "As its section says"
    OPEN = "open", "Open: trusted commenters appear at once, the others wait"
    PREMODERATED = "premoderated", "Pre-moderated: every comment waits for a moderator"
    CLOSED = "closed", "Closed: no new comments"


SECTION_COMMENT_MODES = [
    (CommentMode.DEFAULT, "As the site's default says"),
    *CommentMode.choices[1:],
]


class Category(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(
        blank=True, help_text="One or two sentences shown at the top of the category page."
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order in the navigation bar: lower numbers come first."
    )
    comment_mode = models.CharField(
        "comments",
        max_length=16,
        choices=SECTION_COMMENT_MODES,
        default=CommentMode.DEFAULT,
        help_text="How the section's stories take comments, unless a story says otherwise.",
    )

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"
        constraints = [
            models.CheckConstraint(
                condition=Q(comment_mode__in=CommentMode.values),
                name="category_comment_mode_valid",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return addresses.section(slug=self.slug)


# How both databases name the one-lead rule when a save breaks it.
LEAD_CLASH = re.compile(r"article_one_lead|is_featured")


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "In review"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        # Letters of any script: stories imported from WordPress keep their addresses.
        allow_unicode=True,
        help_text="The last part of the story's address. Filled in from the title.",
    )
    standfirst = models.TextField(
        max_length=500,
        blank=True,
        help_text="The summary under the headline, also used in lists and link previews.",
    )
    body = models.TextField(
        blank=True, help_text="The story. Anything pasted is cleaned of scripts and styles on save."
    )
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
        help_text=(
            "Free text shown instead of the authors' names, "
            "e.g. “By our Central Asia correspondent”."
        ),
    )
    authors = models.ManyToManyField(
        "Author", through="Byline", related_name="articles", blank=True
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
    revised_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the headline, standfirst or text last changed after publication.",
    )
    is_featured = models.BooleanField(
        "lead story",
        default=False,
        help_text="The story at the top of the front page. One story leads at a time.",
    )
    comment_mode = models.CharField(
        "comments",
        max_length=16,
        choices=CommentMode.choices,
        default=CommentMode.DEFAULT,
        help_text=(
            "Open: comments from trusted commenters appear at once, the others wait for a "
            "moderator. Pre-moderated: every comment waits. Comments still close by age."
        ),
    )
    # Live coverage (the live app owns its entries and the posting screen): kept on the story
    # so that every list, card and page knows it without a query, and a card's fragment key
    # (fragments.py: every loaded field) changes when coverage starts or ends.
    live_since = models.DateTimeField(
        "live coverage started",
        null=True,
        blank=True,
        editable=False,
        help_text="When the story became a live story with a stream of timestamped updates.",
    )
    live_until = models.DateTimeField(
        "live coverage ended",
        null=True,
        blank=True,
        editable=False,
        help_text="When coverage ended: the stream is frozen from then on.",
    )
    # Raised by one on every save, so that a save made from a stale form can be refused
    # (optimistic locking: two editors never overwrite each other).
    version = models.PositiveIntegerField(default=1, editable=False)
    # The post's ID in the WordPress site it was imported from, so a re-run updates it.
    wordpress_id = models.PositiveBigIntegerField(
        null=True, blank=True, unique=True, editable=False
    )
    # Filled on PostgreSQL only (weighted title > standfirst > body, tags); NULL elsewhere.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ArticleQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at", "search_vector"])

    class Meta:
        ordering = ["-published_at", "-id"]
        permissions = [("publish_article", "Can publish, schedule and feature articles")]
        get_latest_by = "published_at"
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_published_idx"),
            # A section's list, and a story's previous and next in it (ArticleQuerySet.around):
            # with the id, the index holds their exact order, so each is one short index walk.
            models.Index(
                fields=["category", "status", "-published_at", "-id"],
                name="article_section_order_idx",
            ),
            models.Index(
                fields=["is_featured", "status", "-published_at"], name="article_featured_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "review", "published"]),
                name="article_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(comment_mode__in=CommentMode.values),
                name="article_comment_mode_valid",
            ),
            # One lead story at a time: marking another one unmarks it (Article.save).
            models.UniqueConstraint(
                fields=["is_featured"], condition=Q(is_featured=True), name="article_one_lead"
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        using = kwargs.get("using") or router.db_for_write(Article)
        for attempt in range(3):
            try:
                # Atomic: the old lead is unmarked only if this story is saved as the new one.
                with transaction.atomic(using=using):
                    if self.is_featured:
                        self._unmark_other_lead()
                    self._save(*args, **kwargs)
                return
            except IntegrityError as error:
                # Two editors marked two leads at the same moment: the later one wins, as it
                # would a moment later, rather than failing with a server error.
                if not self.is_featured or attempt == 2 or not LEAD_CLASH.search(str(error)):
                    raise

    def get_absolute_url(self):
        return self.address(self.published_at, self.slug)

    @staticmethod
    def address(published_at, slug):
        """A story's address (percent-encoded) for its publication time and slug."""
        day = timezone.localdate(published_at)
        return addresses.story(year=day.year, month=day.month, day=day.day, slug=slug)

    def _keep_old_address(self, saved):
        """A published address keeps working after the slug changes (articles/redirects.py);
        the address the story has now is never a redirect."""
        Redirect.objects.filter(old_path=unquote(self.get_absolute_url())).delete()
        if saved.get("is_public") and saved["slug"] != self.slug:
            old = self.address(saved["published_at"], saved["slug"])
            Redirect.objects.remember(unquote(old), self)

    def _unmark_other_lead(self):
        # Saved, not updated in bulk: the old lead's history records that it lost the mark.
        for other in Article.objects.filter(is_featured=True).exclude(pk=self.pk):
            other.is_featured = False
            other.save(update_fields=["is_featured", "updated_at"])

    def fill_publication_time(self):
        """Publishing now means now. A story that becomes published keeps the time it has only
        if someone set it: a time in the future (a schedule) or one changed by an editor (a
        backdate). The time a draft was given when it was created is not one; nor is none."""
        saved = getattr(self, "_saved", {})
        before = saved.get("published_at")
        now = timezone.now()
        if self.published_at is None:
            publishing = self.status == self.Status.PUBLISHED
            self.published_at = before if before and not publishing else now
        elif (
            self.status == self.Status.PUBLISHED
            and saved.get("status") != self.Status.PUBLISHED
            and before is not None
            and before <= now
            # To the second: the admin's form shows and posts whole seconds.
            and self.published_at.replace(microsecond=0) == before.replace(microsecond=0)
        ):
            self.published_at = now

    def _save(self, *args, **kwargs):
        self.body = sanitize_html(self.body)
        self.fill_publication_time()
        saved = getattr(self, "_saved", {})
        if saved.get("is_public") and any(
            saved[field] != getattr(self, field) for field in REVISED_FIELDS
        ):
            self.revised_at = timezone.now()
        stored = self.pk is not None and (
            not self._state.adding or Article.objects.filter(pk=self.pk).exists()
        )
        if stored and not kwargs.get("force_insert"):
            # Counted by the database, not from this copy (which may be a restored old
            # revision, `history.instance`); Django reads the new number back with RETURNING.
            self.version = F("version") + 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)
        # Its search vector, old address, renditions and the page cache: articles/signals.py,
        # from post_save, which still sees the stored state in `_saved`.
        self._remember_saved_state()

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        article = super().from_db(db, field_names, values, **kwargs)
        article._remember_saved_state()
        return article

    def _remember_saved_state(self):
        """What the stored row says, to tell what a save changes."""
        fields = self.__dict__
        self._saved = {
            name: fields.get(name)
            for name in (*REVISED_FIELDS, *LIST_FIELDS, "slug", "status", "published_at")
        }
        self._saved["featured_image"] = getattr(fields.get("featured_image"), "name", None) or (
            fields.get("featured_image")
        )
        status, published_at = fields.get("status"), fields.get("published_at")
        self._saved["is_public"] = self.is_public_at(status, published_at)

    @property
    def edited_in_place(self):
        """Whether this save changed the story only where it is shown: public before and after,
        on the same lists (section, lead slot, status, publication time). Its tags and bylines
        are other rows, which tell of their own changes."""
        saved = getattr(self, "_saved", {})
        before, after = saved.get("published_at"), self.published_at
        return (
            self.was_public
            and self.is_public
            # To the second: the admin's form shows and posts whole seconds.
            and before.replace(microsecond=0) == after.replace(microsecond=0)
            and all(
                name in saved and saved[name] == getattr(self, name)
                for name in ("status", *LIST_FIELDS)
            )
        )

    @property
    def was_public(self):
        """True when the stored version of the story is out: its address must keep working."""
        return getattr(self, "_saved", {}).get("is_public", False)

    def can_be_changed_by(self, user):
        """Editors change any story; writers their own until it was public.

        Judged on the stored row: a copy not loaded from the database (such as an old
        revision from the history) cannot vouch for its own author or status.
        """
        if not user.has_perm("articles.change_article"):
            return False
        if user.has_perm("articles.publish_article"):
            return True
        if not user.has_perm("articles.add_article") or not hasattr(self, "_saved"):
            return False
        return self.author_id is not None and self.author_id == user.pk and not self.was_public

    def validate_constraints(self, exclude=None):
        # A second lead story is no error to show in a form: save() unmarks the old one.
        super().validate_constraints(exclude={*(exclude or ()), "is_featured"})

    def clean(self):
        if self.featured_image and not self.featured_image_alt.strip():
            raise ValidationError(
                {"featured_image_alt": "Describe the image for readers who cannot see it."}
            )

    # What "public" means, written once: readers see a story that is published and whose
    # publication time has come. public_q() for queries, is_public_at() for values in hand.
    @classmethod
    def public_q(cls, now=None, prefix=""):
        """The rule as a filter; `prefix` applies it across a relation ("articles__")."""
        return Q(
            **{
                f"{prefix}status": cls.Status.PUBLISHED,
                f"{prefix}published_at__lte": now or timezone.now(),
            }
        )

    @classmethod
    def scheduled_q(cls, now=None, prefix=""):
        """Published, but not public yet: its time has not come."""
        return Q(
            **{
                f"{prefix}status": cls.Status.PUBLISHED,
                f"{prefix}published_at__gt": now or timezone.now(),
            }
        )

    @classmethod
    def is_public_at(cls, status, published_at, now=None):
        """The rule of public_q() for a status and a publication time in hand."""
        return (
            status == cls.Status.PUBLISHED
            and published_at is not None
            and published_at <= (now or timezone.now())
        )

    @property
    def is_public(self):
        return self.is_public_at(self.status, self.published_at)

    @property
    def is_live(self):
        """Live coverage is running: the stream takes new entries, cards say "Live"."""
        return self.live_since is not None and self.live_until is None

    @property
    def is_scheduled(self):
        return self.status == self.Status.PUBLISHED and not self.is_public

    @property
    def state_label(self):
        """Draft, In review, Scheduled or Published: what an editor needs at a glance."""
        if self.status != self.Status.PUBLISHED:
            return self.get_status_display()
        return "Scheduled" if self.is_scheduled else "Published"

    @property
    def credited_authors(self):
        """The story's authors in byline order (in lists: querysets.credits_of,
        or prefetch `bylines__author`)."""
        attached = self.__dict__.get(CREDITED)
        if attached is not None:
            return attached
        return [byline.author for byline in self.bylines.all()]

    @property
    def byline_text(self):
        """The byline as plain text: free text, else the credited authors, else "" (the story
        is the site's own: pages say "By <site> staff", feeds and JSON-LD credit the site).

        Never the writer's account: a username is a sign-in name, not a byline. A writer with
        an author profile is credited through it (ArticleAdmin.save_related adds the Byline).
        """
        if self.byline:
            return self.byline
        names = [author.name for author in self.credited_authors]
        if names:
            return " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
        return ""

    @cached_property
    def notes(self):
        """Corrections and updates, newest first: from `with_corrections()` when the story
        was fetched with it, else from the database."""
        fetched = getattr(self, "notes_json", False)
        if fetched is False:
            return list(self.corrections.all())
        notes = [Correction(article=self, **note) for note in json.loads(f"[{fetched or ''}]")]
        for note in notes:
            if isinstance(note.created_at, str):
                note.created_at = parse_datetime(note.created_at)
                if timezone.is_naive(note.created_at):  # SQLite stores UTC without an offset.
                    note.created_at = timezone.make_aware(note.created_at, datetime.UTC)
        return sorted(notes, key=lambda note: (note.created_at, note.pk), reverse=True)

    @property
    def last_updated(self):
        """When readers were last told of a change: a correction, an update or a revision."""
        notes = [note.created_at for note in self.notes]
        dates = [date for date in (*notes, self.revised_at) if date]
        return max(dates) if dates else None

    @property
    def reading_time(self):
        """Minutes to read the body at WORDS_PER_MINUTE, at least 1."""
        # A space before each tag keeps "end.</p><p>Next" two words once the tags are gone.
        words = len(strip_tags(self.body.replace("<", " <")).split())
        return max(1, round(words / WORDS_PER_MINUTE))


# Changing these after publication is a revision readers are told about ("Updated …").
REVISED_FIELDS = ("title", "standfirst", "body")
# Besides status and publication time, what puts a story on the lists readers see (its section,
# the lead slot): changing one changes lists and counts, not only the pages showing the story.
LIST_FIELDS = ("category_id", "is_featured")
# An adult's average silent reading speed of news text.
WORDS_PER_MINUTE = 230


# The story's people, notes and the site's own page, each in a module of its own, registered
# with the app here (and importable from here, as ever).
from .about import PLACEHOLDER_SUMMARY, About  # noqa: F401
from .corrections import Correction
from .people import Author, Byline  # noqa: F401

# Old addresses of stories live beside the fallback that answers them.
from .redirects import Redirect

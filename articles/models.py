import datetime
import json
import re
from functools import cached_property, partial

from django.conf import settings
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, models, router, transaction
from django.db.models import (
    Count,
    Exists,
    F,
    Func,
    Max,
    OuterRef,
    Q,
    StringAgg,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import Cast, Coalesce, JSONObject, RowNumber, TruncMonth
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import strip_tags
from simple_history.models import HistoricalRecords
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


def search_config():
    """The PostgreSQL text search configuration (stemming, stop words) for stories."""
    return getattr(settings, "SEARCH_CONFIG", "english")


class StripTags(Func):
    """HTML as plain text: every tag replaced by a space (quoted `>` in attributes allowed)."""

    function = "REGEXP_REPLACE"
    output_field = models.TextField()

    def __init__(self, expression):
        super().__init__(
            expression, Value("<([^>\"']|\"[^\"]*\"|'[^']*')*>"), Value(" "), Value("g")
        )


def bylines_prefetch():
    """Each story's bylines with their authors, for `credited_authors` in lists: one query."""
    return models.Prefetch("bylines", Byline.objects.select_related("author"))


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """What readers may see: published, with a publication time that has come."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def visible_to(self, user):
        """What `user` may open on staff pages (admin, history, preview): editors every story,
        writers their own, moderators (view rights only) what readers already see."""
        if user.has_perm("articles.publish_article"):
            return self
        if user.has_perm("articles.add_article"):
            return self.filter(author_id=user.pk)
        if user.has_perm("articles.view_article"):
            return self.published()
        return self.none()

    def for_listing(self):
        """For lists of stories: with their section and writer, without the text they do
        not show (a story's body is most of its row)."""
        return self.select_related("category", "author").defer("body", "search_vector")

    def most_read(self, since):
        """Stories read since `since`, most read first, with their page views as `read_count`
        (hourly ArticleView rows, so the window starts at the first whole hour after `since`)."""
        return (
            self.filter(views__hour__gte=since)
            .annotate(read_count=models.Sum("views__count"))
            .order_by("-read_count", "-published_at", "-id")
        )

    def with_corrections(self):
        """Each story's corrections and updates, read by `Article.notes`, fetched inside the
        same query as JSON: most stories have none, and a separate query would cost every
        story page one more round trip for nothing."""
        notes = (
            Correction.objects.filter(article=OuterRef("pk"))
            .order_by()
            .values("article")
            .annotate(
                notes=StringAgg(
                    Cast(
                        JSONObject(id="id", kind="kind", text="text", created_at="created_at"),
                        models.TextField(),
                    ),
                    Value(","),
                )
            )
            .values("notes")
        )
        return self.annotate(notes_json=Subquery(notes))

    def with_bylines(self):
        return self.prefetch_related(bylines_prefetch())

    def related_to(self, article):
        """Other stories, those sharing most tags with `article` first, then its section's.

        One query; ties go to the same section, then to the newest. Only stories published
        within RELATED_WINDOW of it are candidates: news is related in time as well as in
        subject, and counting shared tags over the whole archive would cost every story page
        a scan of it.
        """
        related, tagged = self._relatedness(article)
        return related.filter(
            Q(category_id=article.category_id) | Q(Exists(tagged)),
            published_at__gte=article.published_at - RELATED_WINDOW,
            published_at__lte=article.published_at + RELATED_WINDOW,
        ).order_by(*RELATED_ORDER)

    def _relatedness(self, article):
        """Other stories than `article`, annotated with what related_to() ranks them by; and
        the subquery of their tags shared with it."""
        tag_ids = [tag.pk for tag in article.tags.all()]  # prefetch `tags` to save a query
        # Per candidate, an index lookup of its tagged items: no join of every tagged story.
        tagged = Article.tags.through.objects.filter(
            content_type__app_label="articles",
            content_type__model="article",
            object_id=OuterRef("pk"),
            tag_id__in=tag_ids,
        )
        shared_tags = Coalesce(
            Subquery(tagged.order_by().values("object_id").annotate(n=Count("*")).values("n")),
            0,
        )
        same_section = models.Case(models.When(category_id=article.category_id, then=1), default=0)
        related = self.exclude(pk=article.pk).annotate(
            shared_tags=shared_tags, same_section=same_section
        )
        return related, tagged

    def around(self, article, related):
        """Stories to read next, in one query: the first `related` of related_to(article), in
        that order, filled up with the section's older stories when fewer are related; then
        its previous and next stories in its section, which are marked with `neighbour` (-1
        previous, 1 next, 0 neither).

        The neighbours are looked for over the whole archive, not within RELATED_WINDOW: a
        story always links to the section's nearest older and newer ones. Each is one walk
        of `article_section_order_idx` (section, status, date, id), however old the story.
        """
        in_section = self.filter(category_id=article.category_id)
        previous = Subquery(in_section.before(article).values("pk")[:1])
        following = Subquery(in_section.after(article).values("pk")[:1])
        related_stories, _ = self._relatedness(article)
        top = self.related_to(article).values("pk")[:related]
        # An old story has nothing published near it: its section's older ones stand in.
        older = in_section.before(article).values("pk")[:related]
        rank = models.Case(
            models.When(pk__in=top, then=2), models.When(pk__in=older, then=1), default=0
        )
        # The related order (rank, then related_to()'s) puts the top `related` rows first,
        # whatever neighbours are fetched with them.
        return (
            related_stories.filter(
                Q(pk__in=top) | Q(pk__in=older) | Q(pk=previous) | Q(pk=following)
            )
            .annotate(
                related_rank=rank,
                neighbour=models.Case(
                    models.When(pk=previous, then=-1),
                    models.When(pk=following, then=1),
                    default=0,
                ),
            )
            .order_by("-related_rank", *RELATED_ORDER)
        )

    def before(self, article):
        """Stories published before `article` (same time: lower id), the nearest first.

        `published_at <= …` on its own lets the database start its index walk at the story."""
        return self.filter(
            Q(published_at__lt=article.published_at) | Q(pk__lt=article.pk),
            published_at__lte=article.published_at,
        ).order_by("-published_at", "-id")

    def after(self, article):
        """Stories published after `article` (same time: higher id), the nearest first."""
        return self.filter(
            Q(published_at__gt=article.published_at) | Q(pk__gt=article.pk),
            published_at__gte=article.published_at,
        ).order_by("published_at", "id")

    def latest_per_category(self, per_category, recent=800):
        """The newest `per_category` stories of every category with stories among the
        `recent` newest, in one query.

        Ranking the whole archive by category would read every story on every front page;
        a section with nothing among the newest `recent` stories is not news today.
        """
        cutoff = self.order_by("-published_at", "-id").values("published_at")[recent - 1 : recent]
        since = Coalesce(Subquery(cutoff), Value(EPOCH, output_field=models.DateTimeField()))
        ranked = self.filter(published_at__gte=since).annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("category_id"),
                order_by=F("published_at").desc(),
            )
        )
        return ranked.filter(rank__lte=per_category).order_by("category_id", "rank")

    def month_counts(self):
        """{"month", "count", "published", "revised", "corrected"} per month, newest first:
        how many stories it has (for the archives) and its newest publication, revision and
        correction (for the sitemaps)."""
        return (
            self.annotate(month=TruncMonth("published_at"))
            .values("month")
            .annotate(
                count=Count("id", distinct=True),
                published=Max("published_at"),
                revised=Max("revised_at"),
                corrected=Max("corrections__created_at"),
            )
            .order_by("-month")
        )

    def update_search_vector(self):
        """Refill `search_vector` of these stories in one UPDATE; PostgreSQL only, else a no-op.

        Weights: title A; standfirst and tags B; body text C (see `search.py` for ranking).
        """
        if connections[self.db].vendor != "postgresql":
            return 0
        config = search_config()
        tag_names = Article.objects.filter(pk=OuterRef("pk")).annotate(
            names=StringAgg("tags__name", Value(" "))
        )
        return self.update(
            search_vector=(
                SearchVector("title", config=config, weight="A")
                + SearchVector("standfirst", config=config, weight="B")
                + SearchVector(StripTags("body"), config=config, weight="C")
                + SearchVector(Subquery(tag_names.values("names")), config=config, weight="B")
            )
        )


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
    allow_comments = models.BooleanField(default=True)
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
        day = timezone.localdate(self.published_at)
        return reverse(
            "articles:detail",
            kwargs={"year": day.year, "month": day.month, "day": day.day, "slug": self.slug},
        )

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
        Article.objects.using(self._state.db).filter(pk=self.pk).update_search_vector()
        SlugRedirect.objects.filter(old_slug=self.slug).delete()
        if saved.get("is_public") and saved["slug"] != self.slug:
            # A published address keeps working after the slug changes.
            SlugRedirect.objects.update_or_create(
                old_slug=saved["slug"], defaults={"article": self}
            )
        if self.featured_image and self.featured_image.name != saved.get("featured_image"):
            # Resize once, after the upload is safely stored, never while a reader waits.
            # robust: a failed resize is logged; it must not undo or fail the editor's save.
            transaction.on_commit(partial(generate_renditions, self.featured_image), robust=True)
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
            name: fields.get(name) for name in (*REVISED_FIELDS, "slug", "status", "published_at")
        }
        self._saved["featured_image"] = getattr(fields.get("featured_image"), "name", None) or (
            fields.get("featured_image")
        )
        self._saved["is_public"] = (
            fields.get("status") == self.Status.PUBLISHED
            and fields.get("published_at") is not None
            and fields["published_at"] <= timezone.now()
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

    @property
    def is_public(self):
        return self.status == self.Status.PUBLISHED and self.published_at <= timezone.now()

    @property
    def is_scheduled(self):
        return self.status == self.Status.PUBLISHED and self.published_at > timezone.now()

    @property
    def state_label(self):
        """Draft, In review, Scheduled or Published: what an editor needs at a glance."""
        if self.status != self.Status.PUBLISHED:
            return self.get_status_display()
        return "Scheduled" if self.is_scheduled else "Published"

    @property
    def credited_authors(self):
        """The story's authors in byline order (prefetch `bylines__author` in lists)."""
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


# Candidates for a story's related stories are published this close to it.
RELATED_WINDOW = datetime.timedelta(days=90)
# Most shared tags first, then the same section, then the newest.
RELATED_ORDER = ("-shared_tags", "-same_section", "-published_at", "-id")
# Earlier than any story.
EPOCH = datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC)

# Changing these after publication is a revision readers are told about ("Updated …").
REVISED_FIELDS = ("title", "standfirst", "body")
# An adult's average silent reading speed of news text.
WORDS_PER_MINUTE = 230


@receiver(m2m_changed, sender=Article.tags.through)
def update_search_vector_of_tags(sender, instance, action, **kwargs):
    """Tags are searchable: refill the story's search vector when its tags change."""
    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, Article):
        Article.objects.using(kwargs["using"]).filter(pk=instance.pk).update_search_vector()


class Author(models.Model):
    """A person credited in bylines; may or may not have an account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="author_profile",
        help_text="The account this person signs in with, if any.",
    )
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    bio = models.TextField("short bio", max_length=600, blank=True)
    photo = models.ImageField(upload_to="authors/", blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:author", kwargs={"slug": self.slug})


class Byline(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="bylines")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="byline_unique_author")
        ]

    def __str__(self):
        return f"{self.author} on {self.article}"


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


class ArticleView(models.Model):
    """Page views of a story in one hour, flushed in batches from counters in the cache."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="views")
    hour = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "hour"], name="article_view_unique_hour")
        ]
        indexes = [models.Index(fields=["hour", "article"], name="article_view_hour_idx")]

    def __str__(self):
        return f"{self.article} at {self.hour:%Y-%m-%d %H}:00: {self.count}"


class SlugRedirect(models.Model):
    """An old slug of a published story, so links shared before a rename keep working."""

    old_slug = models.SlugField(max_length=200, unique=True, allow_unicode=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="old_slugs")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.old_slug} → {self.article.slug}"


class LegacyRedirect(models.Model):
    """An address the story had on the site it was imported from (e.g. WordPress)."""

    old_path = models.CharField(max_length=500, unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="legacy_paths")

    def __str__(self):
        return f"{self.old_path} → {self.article_id}"


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


# Images inside story bodies live beside their upload view and page rewrite.
from .body_images import BodyImage  # noqa: F401

"""Newsletters, their subscribers, their issues and each issue's delivery to each subscriber.

The rules of when an issue goes out and what it holds are here (`Newsletter.next_send_after`,
`Newsletter.stories`, `Issue.refresh_stories`); sending is `sending.py`, the email itself
`emails.py`.
"""

import secrets
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Count, Max, Q
from django.utils import timezone

from articles.models import Article, Category
from articles.people import Author

DAY_NAMES = ["Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays"]


def new_token():
    return secrets.token_urlsafe(16)


class Newsletter(models.Model):
    class Kind(models.TextChoices):
        DAILY = "daily", "Briefing: every story"
        SECTION = "section", "A section"
        AUTHOR = "author", "An author"
        TAG = "tag", "A tag"

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.CharField(
        max_length=300, blank=True, help_text="One line shown beside the tick box at sign-up."
    )
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.DAILY)
    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, null=True, blank=True, help_text="For a section's."
    )
    author = models.ForeignKey(
        Author, on_delete=models.CASCADE, null=True, blank=True, help_text="For an author's."
    )
    tag = models.SlugField(max_length=100, blank=True, help_text="For a tag's: the tag's slug.")
    send_time = models.TimeField(
        default=time(7, 0), help_text="Local time (the site's TIME_ZONE) it goes out."
    )
    days = models.CharField(
        max_length=7,
        default="0123456",
        validators=[RegexValidator(r"^[0-6]{1,7}$", "Digits 0 (Monday) to 6 (Sunday).")],
        help_text="Days it goes out: 0 Monday … 6 Sunday. 0123456 every day, 4 Fridays only.",
    )
    offered_at_signup = models.BooleanField(
        "in the footer's sign-up",
        default=False,
        help_text="The sign-up form on every page subscribes readers to this one.",
    )
    is_active = models.BooleanField(
        "active", default=True, help_text="Inactive: no new issue is made or sent."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        needs = {self.Kind.SECTION: "category", self.Kind.AUTHOR: "author", self.Kind.TAG: "tag"}
        field = needs.get(self.kind)
        if field and not getattr(self, field if field == "tag" else f"{field}_id"):
            raise ValidationError({field: f"A {self.get_kind_display().lower()} needs this."})

    @property
    def schedule_display(self):
        days = sorted(set(self.days))
        when = "every day" if len(days) == 7 else ", ".join(DAY_NAMES[int(d)] for d in days)
        return f"{when} at {self.send_time:%H:%M}"

    def next_send_after(self, moment):
        """The first time after `moment` that this newsletter goes out: send_time on one of its
        days, in the site's local time, so that 07:00 stays 07:00 for readers across a change
        of clocks. A time that does not exist that day (inside the spring-forward gap) is read
        with the offset before the gap (zoneinfo's fold=0: 02:30 becomes 03:30)."""
        zone = ZoneInfo(settings.TIME_ZONE)
        local = moment.astimezone(zone)
        days = {int(d) for d in self.days}
        for offset in range(8):
            day = local.date() + timedelta(days=offset)
            if day.weekday() not in days:
                continue
            # Through UTC and back: a wall-clock time in the gap becomes a real instant.
            candidate = datetime.combine(day, self.send_time, tzinfo=zone)
            candidate = candidate.astimezone(ZoneInfo("UTC")).astimezone(zone)
            if candidate > moment:
                return candidate
        raise ValueError("A newsletter needs at least one day.")  # pragma: no cover

    def stories(self, since, until):
        """Public stories published in (since, until] that this newsletter carries: the lead
        story first, then by section (in the site's section order), newest first within one."""
        stories = Article.objects.published().filter(
            published_at__gt=since, published_at__lte=until
        )
        if self.kind == self.Kind.SECTION:
            stories = stories.filter(category=self.category_id)
        elif self.kind == self.Kind.AUTHOR:
            stories = stories.filter(authors=self.author_id)
        elif self.kind == self.Kind.TAG:
            stories = stories.filter(tags__slug=self.tag)
        return stories.order_by(
            "-is_featured", "category__position", "category__name", "-published_at", "pk"
        ).distinct()

    def upcoming_issue(self, now=None):
        """The next issue not yet sent, made if there is none: scheduled for the first time
        after the last issue's (or after now, for a new newsletter)."""
        now = now or timezone.now()
        issue = self.issues.filter(status__in=Issue.WAITING).order_by("scheduled_for").first()
        if issue:
            return issue
        last = self.issues.aggregate(last=Max("scheduled_for"))["last"]
        scheduled_for = self.next_send_after(max(last or now, now))
        issue, _ = Issue.objects.get_or_create(newsletter=self, scheduled_for=scheduled_for)
        return issue


class SubscriberQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def receiving(self):
        """Those an issue goes to: confirmed and not paused."""
        return self.confirmed().filter(paused_at__isnull=True)

    def unconfirmed_since(self, moment):
        return self.filter(confirmed_at__isnull=True, created_at__lt=moment)


class Subscriber(models.Model):
    """A reader's address. No account: a signed link in every email (with `token`, so that a
    new token voids every link sent before) lets them manage their subscriptions."""

    email = models.EmailField(unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    token = models.CharField(max_length=32, default=new_token, editable=False)
    hard_failures = models.PositiveIntegerField(
        default=0, help_text="Messages the mail server refused for good, in a row."
    )
    paused_at = models.DateTimeField(
        null=True, blank=True, help_text="Set after repeated hard failures: nothing is sent."
    )
    newsletters = models.ManyToManyField(Newsletter, through="Subscription", blank=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        permissions = [("view_subscriber_email", "Can see subscribers' email addresses")]

    def __str__(self):
        return self.email

    @staticmethod
    def normalise(email):
        """One row per mailbox: providers treat the address without regard to case."""
        return email.strip().lower()


class Subscription(models.Model):
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE)
    newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "newsletter"], name="one_subscription")
        ]

    def __str__(self):
        return f"{self.newsletter} for subscriber {self.subscriber_id}"


class IssueQuerySet(models.QuerySet):
    def with_counts(self):
        return self.annotate(
            delivered=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.SENT)),
            recipients=Count("deliveries"),
        )


class Issue(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft: goes out at its time"
        HELD = "held", "Held: waits for an editor"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        SKIPPED = "skipped", "Not sent: no story"

    WAITING = (Status.DRAFT, Status.HELD)

    newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE, related_name="issues")
    scheduled_for = models.DateTimeField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    intro = models.TextField(
        "introduction",
        blank=True,
        help_text="Plain text above the stories; blank lines part paragraphs.",
    )
    stories = models.ManyToManyField(Article, through="IssueStory", blank=True)
    started_at = models.DateTimeField(null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The sending worker's last sign of life: a send that goes quiet is picked up again.
    progress_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = IssueQuerySet.as_manager()

    class Meta:
        ordering = ["-scheduled_for"]
        get_latest_by = "scheduled_for"
        constraints = [
            models.UniqueConstraint(
                fields=["newsletter", "scheduled_for"], name="one_issue_per_time"
            )
        ]

    def __str__(self):
        local = timezone.localtime(self.scheduled_for)
        return f"{self.newsletter} of {local:%d %b %Y %H:%M}"

    @property
    def is_editable(self):
        return self.status in self.WAITING

    def window_start(self):
        """Stories published after this: the previous issue's time, or one period before for
        the first (a day before a daily issue, a week before a weekly one)."""
        previous = (
            self.newsletter.issues.filter(scheduled_for__lt=self.scheduled_for)
            .exclude(status__in=self.WAITING)
            .aggregate(last=Max("scheduled_for"))["last"]
        )
        if previous:
            return previous
        return self.scheduled_for - timedelta(days=1 if len(set(self.newsletter.days)) > 1 else 7)

    def refresh_stories(self, now=None):
        """Add the stories published since the window opened (until now, or the issue's time
        if sooner) that the issue does not hold yet, after those it holds. An editor's order
        and drops are kept: a story dropped stays dropped, none already listed moves."""
        now = now or timezone.now()
        held = set(self.entries.values_list("article_id", flat=True))
        position = self.entries.aggregate(last=Max("position"))["last"] or 0
        new = [
            IssueStory(issue=self, article=article, position=position + index)
            for index, article in enumerate(
                (
                    a
                    for a in self.newsletter.stories(
                        self.window_start(), min(now, self.scheduled_for)
                    )
                    if a.pk not in held
                ),
                start=1,
            )
        ]
        IssueStory.objects.bulk_create(new, ignore_conflicts=True)
        return len(new)

    def articles(self):
        """The stories it sends, in the editors' order: kept, and still public."""
        return [
            entry.article
            for entry in self.entries.filter(dropped=False)
            .select_related("article__category")
            .order_by("position", "pk")
            if entry.article.is_public
        ]

    def subject(self, articles=None):
        articles = self.articles() if articles is None else articles
        local = timezone.localtime(self.scheduled_for)
        lead = f": {articles[0].title}" if articles else ""
        return " ".join(f"{self.newsletter.name}, {local:%-d %B}{lead}".split())


class IssueStory(models.Model):
    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="entries")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField(default=0)
    dropped = models.BooleanField(default=False, help_text="Left out of this issue.")

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "story"
        verbose_name_plural = "stories"
        constraints = [
            models.UniqueConstraint(fields=["issue", "article"], name="story_once_per_issue")
        ]

    def __str__(self):
        return self.article.title


class Delivery(models.Model):
    """One issue to one subscriber: the unique pair is what makes a resumed send idempotent."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        SENDING = "sending", "Claimed by a worker"
        SENT = "sent", "Accepted by the mail server"
        FAILED = "failed", "Given up"

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_try = models.DateTimeField(default=timezone.now)
    claim = models.CharField(max_length=32, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(fields=["issue", "subscriber"], name="one_delivery_each")
        ]
        indexes = [models.Index(fields=["issue", "status", "next_try"])]

    def __str__(self):
        return f"{self.issue} to subscriber {self.subscriber_id}"

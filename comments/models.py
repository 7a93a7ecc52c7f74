import logging
import re
import unicodedata
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from articles import cache_tags
from articles.models import Article
from outbox.tasks import send_later
from pagecache.generations import tags_changed

from . import wordrules
from .commenters import commenter_key, masked_email

BODY_MAX_LENGTH = 3000
MODERATORS_GROUP = "Moderators"
# Characters that show as nothing (or reorder what follows): controls, format characters such as
# bidi overrides and zero-width spaces, private-use, unassigned, surrogates, line separators.
INVISIBLE_CATEGORIES = {"Cc", "Cf", "Co", "Cn", "Cs", "Zl", "Zp"}

logger = logging.getLogger(__name__)


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Comment.Status.APPROVED)

    def pending(self):
        return self.filter(status=Comment.Status.PENDING)

    def shown(self):
        """The comments readers see: approved ones, but no reply whose thread is not."""
        return self.approved().filter(Q(parent=None) | Q(parent__status=Comment.Status.APPROVED))

    def for_reading(self):
        """Only what readers are shown of each comment (and what tells when it was shown):
        the story page's 50-odd comments were read with their email, address, browser,
        matched words and audit fields, each decoded and then part of the threads' keys."""
        return self.only(
            "id", "article_id", "parent_id", "name", "body", "status", "created_at", "moderated_at"
        )

    def threads(self):
        """Approved top-level comments, oldest first, each with its approved replies in
        `approved_replies`: a list, from one query however many comments there are."""
        comments = list(self.approved().order_by("created_at", "id"))
        threads = {comment.pk: comment for comment in comments if comment.parent_id is None}
        for thread in threads.values():
            thread.approved_replies = []
        for comment in comments:
            # A reply whose thread is not published is not shown either.
            if comment.parent_id in threads:
                threads[comment.parent_id].approved_replies.append(comment)
        return list(threads.values())

    def latest_threads(self, newest, answering=""):
        """For a story's page, in one query: its newest `newest` threads as threads() gives
        them, and before them the thread a reply link answers (`answering`: ?replyto=ID) if it
        is older; with the number of comments readers see on the story in all."""
        approved = self.approved()
        latest = approved.filter(parent=None).order_by("-created_at", "-id").values("pk")
        latest = latest[:newest]
        wanted = Q(pk__in=latest) | Q(parent__in=latest)
        # An ID at all (and none the database could overflow on): the thread it starts or
        # answers (replies go one level deep).
        if re.fullmatch(r"[1-9][0-9]{0,17}", answering):
            answered = approved.filter(parent=None).filter(
                Q(pk=answering) | Q(replies__pk=answering, replies__status=Comment.Status.APPROVED)
            )
            answered = answered.values("pk")[:1]
            wanted |= Q(pk__in=answered) | Q(parent__in=answered)
        in_all = (
            Comment.objects.filter(article=OuterRef("article"))
            .shown()
            .order_by()
            .values("article")
            .annotate(count=Count("pk"))
            .values("count")
        )
        threads = self.filter(wanted).annotate(in_all=Subquery(in_all)).threads()
        return threads, (threads[0].in_all if threads else 0)

    def by_email(self, email):
        # People type their address with whatever capitals they like.
        return self.filter(email__iexact=email)

    def moderate(self, status, user, *, reason="", note="", site_url=""):
        """Give every comment in the queryset `status`, recording who decided, when and why.

        The one place decisions happen (the queue's buttons and actions, the change form, the
        site hiding a much-reported comment): each comment gets a row in the audit
        (audit.Decision), a moderator's decision closes its open reports, and a rejection keeps
        its `reason` and `note` (and, with COMMENTS_TELL_REJECTED, tells the commenter).
        `user` None: the site decided by itself.
        """
        before = dict(self.values_list("pk", "status"))
        if not before:
            return 0
        now = timezone.now()
        stories = Article.objects.filter(comments__pk__in=before).distinct().only("pk")
        tags = [cache_tags.comments(story) for story in stories]
        rejected = status == Comment.Status.REJECTED
        changed = Comment.objects.filter(pk__in=before).update(
            status=status,
            moderated_by=user,
            moderated_at=now,
            rejection_reason=reason if rejected else "",
            rejection_note=note if rejected else "",
        )
        Decision.objects.bulk_create(
            Decision(
                comment_id=pk,
                decided_by=user,
                decided_at=now,
                from_status=was,
                to_status=status,
                reason=reason,
                note=note,
            )
            for pk, was in before.items()
        )
        if user is not None:
            Report.objects.filter(comment__in=list(before)).open().update(closed_at=now)
        # update() sends no signals: tell the page cache which stories' comments changed.
        # Withdrawn comments must not be served from a stale copy for a moment.
        tags_changed(*tags, using=self.db, stale_ok=status == Comment.Status.APPROVED)
        if rejected and user is not None and settings.COMMENTS_TELL_REJECTED:
            # Not what was filed as spam: its address is often someone else's, put there by a bot.
            told = [pk for pk, was in before.items() if was != Comment.Status.SPAM]
            transaction.on_commit(partial(tell_rejected, told, site_url), using=self.db)
        return changed


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        SPAM = "spam", "Spam"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name="in reply to",
        help_text="Replies go one level deep: this is always a top-level comment.",
    )
    name = models.CharField(max_length=80)
    email = models.EmailField(help_text="Never shown publicly.")
    body = models.TextField("comment", max_length=BODY_MAX_LENGTH)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    spam_reason = models.CharField(
        "why it was filed as spam",
        max_length=200,
        blank=True,
        help_text="Filled in when the site itself filed the comment as spam.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    ip_address = models.GenericIPAddressField("IP address", null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty with a decision date: the site decided by itself.",
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.CharField(
        "why it was rejected", max_length=100, blank=True, help_text="Chosen by the moderator."
    )
    rejection_note = models.TextField("moderator's note on the rejection", blank=True)
    # Who wrote it, as commenters.commenter_key(email) gives it: their history and sanctions.
    commenter_key = models.CharField(max_length=32, blank=True, db_index=True, editable=False)
    # The comment's ID in the WordPress site it was imported from, so a re-run updates it.
    wordpress_id = models.PositiveBigIntegerField(
        null=True, blank=True, unique=True, editable=False
    )
    # What the word lists found in the body when it was posted: [{"rule", "list", "kind",
    # "start", "end", "text"}, ...] (wordrules.Match.as_json), so the queue can show the exact
    # words, highlighted, and say which rule and list they matched.
    matched_words = models.JSONField(default=list, blank=True, editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            # The approved comments under a story, oldest first.
            models.Index(fields=["article", "status", "created_at"], name="comment_article_idx"),
            # The moderation queue, newest first.
            models.Index(fields=["status", "-created_at"], name="comment_queue_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "approved", "rejected", "spam"]),
                name="comment_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.name} on “{self.article}”"

    def save(self, *args, **kwargs):
        self.commenter_key = commenter_key(self.email)
        if kwargs.get("update_fields") is not None and "email" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "commenter_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#comment-{self.pk}"

    def as_written(self):
        """Everything in this comment that the reader chose, as plain text: for the moderators'
        email, which goes to the whole group, so the address is masked as the admin masks it
        for staff without the right to see it (the comment's admin page shows it to those
        who have it)."""
        lines = [f"Name: {self.name}", f"Email: {masked_email(self.email)}"]
        if self.parent:
            lines.append(f"In reply to: {self.parent.name}")
        return "\n".join([*lines, "", self.body])

    def notify_moderators(self, site_url=""):
        """Queue an email to the moderators about this comment. A mail failure is the worker's
        to retry and log: the reader's comment is stored and waits in the queue either way."""
        recipients = moderator_emails()
        if not recipients:
            return
        site_url = site_url.rstrip("/")
        title = " ".join(self.article.title.split())  # A header must stay on one line.
        body = render_to_string(
            "comments/email/moderation_request.txt",
            {
                "title": title,
                "readers_words": quoted_for_email(self.as_written()),
                "queue_url": site_url
                + reverse("admin:comments_comment_changelist")
                + "?status__exact=pending",
                "change_url": site_url + reverse("admin:comments_comment_change", args=[self.pk]),
                "story_url": site_url + self.article.get_absolute_url(),
            },
        )
        # Sent by the task queue's worker (outbox/): a slow mail server never holds the post.
        send_later(EmailMessage(f"New comment to moderate: {title}", body, to=recipients))


# What a moderator may decide about a comment, in the queue and the console: status, button label,
# past tense for the message.
DECISIONS = [
    (Comment.Status.APPROVED, "Approve", "approved"),
    (Comment.Status.REJECTED, "Reject", "rejected"),
    (Comment.Status.SPAM, "Spam", "marked as spam"),
]


# What a mail client could turn into a link in a reader's text: URLs with a scheme or "www.",
# email addresses, and bare domains ("evil.example/approve"; the last label must have two
# letters or more, so "e.g." and "3.5" are left alone).
LINK_LIKE = re.compile(
    r"\b[a-z][a-z0-9+.-]*:/+\S*"
    r"|\bwww\.\S+"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}\b\S*",
    re.IGNORECASE,
)


def defang(match):
    """`https://evil.example` -> `hxxps://evil[.]example`: readable to a moderator, no longer
    a link to click."""
    text = re.sub(r"^(h)tt(ps?:)", r"\1xx\2", match[0], flags=re.IGNORECASE)
    text = re.sub(r"^(?!hxx)([a-z][a-z0-9+.-]*):", r"\1[:]", text, flags=re.IGNORECASE)
    return text.replace(".", "[.]")


def quoted_for_email(text):
    """A reader's text for the moderators' email: each line behind "> ", so nothing they write
    can pass for a line of ours, with links defanged and invisible characters made visible."""
    lines = []
    for line in text.splitlines() or [""]:
        line = LINK_LIKE.sub(defang, line)
        line = "".join(
            f"[U+{ord(c):04X}]" if unicodedata.category(c) in INVISIBLE_CATEGORIES else c
            for c in line
        )
        lines.append(f"> {line}".rstrip())
    return "\n".join(lines)


def moderator_emails():
    """The addresses of everyone who moderates: the Moderators group and the superusers."""
    return list(
        get_user_model()
        .objects.filter(Q(groups__name=MODERATORS_GROUP) | Q(is_superuser=True), is_active=True)
        .exclude(email="")
        .order_by("email")
        .values_list("email", flat=True)
        .distinct()
    )


class WordListQuerySet(models.QuerySet):
    def compiled(self):
        """Every list's rules, compiled for matching (wordrules.CompiledRules).

        Compiled once per version of the lists in each process, never per comment: the version
        is the number of lists and their latest change, one small query (a list's save moves
        its `changed_at`, a deletion its count), so every process sees a change at once.
        """
        version = tuple(self.aggregate(count=Count("pk"), latest=Max("changed_at")).values())
        cached = _compiled_rules.get(self.db)
        if cached is None or cached[0] != version:
            lists = self.order_by("pk").values_list("name", "kind", "rules")
            cached = _compiled_rules[self.db] = (version, wordrules.compile_rules(lists))
        return cached[1]


# Per database alias: (version, CompiledRules).
_compiled_rules = {}


class WordList(models.Model):
    """Words and phrases that send a comment to Rejected or Spam, or hold it for a moderator."""

    class Kind(models.TextChoices):
        REJECT = "reject", "Banned: the comment is rejected"
        SPAM = "spam", "Banned: the comment is filed as spam"
        SUSPECT = "suspect", "Suspect: the comment waits for a moderator"

    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(
        max_length=16,
        choices=Kind.choices,
        help_text=(
            "What becomes of a comment that uses one of these words. A suspect word holds the "
            "comment in the queue even from a trusted commenter or on an open story."
        ),
    )
    rules = models.TextField(
        "words and phrases",
        blank=True,
        help_text=(
            "One a line. Whole words match whatever their case and accents (idiot matches "
            "Idiöt and IDIOT, not idiotic); end a line with * to match words that begin with "
            f"it (idiot* matches idiotic). A phrase is up to {wordrules.MAX_PHRASE_WORDS} "
            "words; punctuation between words does not matter."
        ),
    )
    changed_at = models.DateTimeField(auto_now=True)

    objects = WordListQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "word list"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["reject", "spam", "suspect"]),
                name="wordlist_kind_valid",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        problems = []
        for rule in wordrules.rules_of(self.rules):
            try:
                wordrules.parse_rule(rule)
            except wordrules.RuleError as error:
                problems.append(str(error))
        if problems:
            raise ValidationError({"rules": problems})

    @property
    def rule_count(self):
        return len(wordrules.rules_of(self.rules))


# The moderation records, each in the module of its feature, registered with the app here.
from .audit import Decision, RejectionReason, tell_rejected  # noqa: F401
from .commenters import Commenter, Note, Sanction  # noqa: F401
from .reports import Report, ReportedComment  # noqa: F401

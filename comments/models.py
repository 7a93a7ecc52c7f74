import logging
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.page_cache import page_changed

BODY_MAX_LENGTH = 3000
MODERATORS_GROUP = "Moderators"

logger = logging.getLogger(__name__)


def comments_close_at(article):
    """When a story stops taking comments, or None if it never does by age.

    The rule lives here, not on Article, because articles know nothing of comments.
    """
    days = settings.COMMENTS_CLOSE_AFTER_DAYS
    return article.published_at + timedelta(days=days) if days else None


def comments_are_open(article):
    """Readers may comment while the editor allows it and the story is young enough."""
    closes_at = comments_close_at(article)
    return article.allow_comments and (closes_at is None or timezone.now() < closes_at)


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Comment.Status.APPROVED)

    def pending(self):
        return self.filter(status=Comment.Status.PENDING)

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

    def by_email(self, email):
        # People type their address with whatever capitals they like.
        return self.filter(email__iexact=email)

    def moderate(self, status, user):
        """Give every comment in the queryset `status`, recording who decided and when."""
        stories = Article.objects.filter(pk__in=self.values("article_id"))
        pages = [story.get_absolute_url() for story in stories.only("slug", "published_at")]
        changed = self.update(status=status, moderated_by=user, moderated_at=timezone.now())
        # update() sends no signals: tell the page cache which stories' comments changed.
        for page in pages:
            page_changed(page, self.db)
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
    # The comment's ID in the WordPress site it was imported from, so a re-run updates it.
    wordpress_id = models.PositiveBigIntegerField(
        null=True, blank=True, unique=True, editable=False
    )

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

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#comment-{self.pk}"

    def receive(self, *, spam_reason="", site_url=""):
        """File a reader's new comment: as spam, published at once, or in the moderation queue.

        A reader whose address already has an approved comment is trusted (when the site allows
        it): moderators have vouched for them once. Only the queue needs a moderator, so only a
        pending comment emails them, once it is safely stored.
        """
        if spam_reason:
            self.status = self.Status.SPAM
            self.spam_reason = spam_reason[:200]
        elif (
            settings.COMMENTS_TRUST_RETURNING_COMMENTERS
            and Comment.objects.approved().by_email(self.email).exists()
        ):
            self.status = self.Status.APPROVED
            self.moderated_by, self.moderated_at = None, timezone.now()
        else:
            self.status = self.Status.PENDING
        self.save()
        if self.status == self.Status.PENDING and settings.COMMENTS_NOTIFY_MODERATORS:
            transaction.on_commit(partial(self.notify_moderators, site_url))

    def notify_moderators(self, site_url=""):
        """Email the moderators about this comment. A mail failure is logged, never raised:
        the reader's comment is stored and waits in the queue either way."""
        recipients = moderator_emails()
        if not recipients:
            return
        site_url = site_url.rstrip("/")
        title = " ".join(self.article.title.split())  # A header must stay on one line.
        body = render_to_string(
            "comments/email/moderation_request.txt",
            {
                "comment": self,
                "queue_url": site_url
                + reverse("admin:comments_comment_changelist")
                + "?status__exact=pending",
                "change_url": site_url + reverse("admin:comments_comment_change", args=[self.pk]),
                "story_url": site_url + self.article.get_absolute_url(),
            },
        )
        message = EmailMessage(f"New comment to moderate: {title}", body, to=recipients)
        try:
            message.send(using="default")
        except Exception:
            logger.exception("Could not email the moderators about comment %s", self.pk)


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

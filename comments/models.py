from django.conf import settings
from django.db import models
from django.utils import timezone

from articles.models import Article

BODY_MAX_LENGTH = 3000


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Comment.Status.APPROVED)

    def pending(self):
        return self.filter(status=Comment.Status.PENDING)

    def moderate(self, status, user):
        """Give every comment in the queryset `status`, recording who decided and when."""
        return self.update(status=status, moderated_by=user, moderated_at=timezone.now())


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        SPAM = "spam", "Spam"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="comments")
    name = models.CharField(max_length=80)
    email = models.EmailField(help_text="Never shown publicly.")
    body = models.TextField("comment", max_length=BODY_MAX_LENGTH)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    ip_address = models.GenericIPAddressField("IP address", null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    moderated_at = models.DateTimeField(null=True, blank=True)

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

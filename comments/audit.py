"""Who decided what about a comment, and why: a `Decision` row for every change of status made
by a moderator (bulk ones too, one row per comment) or by the site itself (hiding a comment
after reader reports), written by `CommentQuerySet.moderate()`, the one place decisions happen.

Rejections carry a reason from a short list moderators edit (`RejectionReason`) and a free
note; with COMMENTS_TELL_REJECTED the commenter is emailed which comment and why.
"""

import csv
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import models
from django.template.loader import render_to_string
from django.utils import timezone

from outbox.tasks import send_later

from .models import Comment, quoted_for_email

logger = logging.getLogger(__name__)
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class RejectionReason(models.Model):
    label = models.CharField(
        max_length=100, unique=True, help_text="Short, and written for the commenter to read."
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Lower comes first.")

    class Meta:
        ordering = ["position", "label"]

    def __str__(self):
        return self.label


class Decision(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="decisions")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty: the site decided by itself.",
    )
    decided_at = models.DateTimeField(default=timezone.now)
    from_status = models.CharField("from", max_length=16, choices=Comment.Status.choices)
    to_status = models.CharField("to", max_length=16, choices=Comment.Status.choices)
    reason = models.CharField(max_length=100, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-decided_at", "-id"]
        indexes = [models.Index(fields=["-decided_at"], name="decision_when_idx")]

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"

    @property
    def decider(self):
        if self.decided_by is None:
            return "The site itself"
        return self.decided_by.get_full_name() or self.decided_by.get_username()


def tell_rejected(comment_ids, site_url=""):
    """Queue an email to each commenter saying which comment was rejected and why. The worker
    (outbox/) sends it and retries a refusal: the decision stands either way."""
    comments = Comment.objects.filter(pk__in=comment_ids, status=Comment.Status.REJECTED)
    messages = []
    for comment in comments.select_related("article").exclude(email=""):
        title = " ".join(comment.article.title.split())
        body = render_to_string(
            "comments/email/rejected.txt",
            {
                "name": comment.name,
                "title": title,
                "story_url": site_url.rstrip("/") + comment.article.get_absolute_url(),
                "written_at": comment.created_at,
                "readers_words": quoted_for_email(comment.body),
                "reason": comment.rejection_reason,
                "note": comment.rejection_note,
            },
        )
        messages.append(
            EmailMessage(f"Your comment on “{title}” was not published", body, to=[comment.email])
        )
    send_later(*messages)


def cell(value):
    """A value safe to open in a spreadsheet: text that looks like a formula stays text."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def write_csv(decisions, stream):
    writer = csv.writer(stream)
    writer.writerow(
        ["decided at", "comment", "story", "commenter name", "from", "to", "by", "reason", "note"]
    )
    for decision in decisions.select_related("comment__article", "decided_by"):
        writer.writerow(
            map(
                cell,
                [
                    decision.decided_at.isoformat(),
                    decision.comment_id,
                    decision.comment.article.title,
                    decision.comment.name,
                    decision.from_status,
                    decision.to_status,
                    decision.decider,
                    decision.reason,
                    decision.note,
                ],
            )
        )

"""Readers' reports of published comments.

Every shown comment has a "Report" link to a small form of its own (comments/views.py:
report_comment), so the story's page, cached whole and shared by everyone, carries nothing of
any one reader. A reader is known here only by an HMAC of their address's bucket (the one the
comment rate limit counts): one report per reader and comment, never shown to anyone.
A comment reported by COMMENTS_HIDE_AFTER_REPORTS readers goes back to Pending, hidden from
readers, until a moderator decides; any moderator's decision closes its open reports.
"""

from django import forms
from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from client_address import bucket, client_ip

from .models import Comment

REPORTER_SALT = "comments.reporter"
NOTE_MAX_LENGTH = 500


def reporter_key(request):
    """Who reports, as far as the site needs to know: the same for every report from one
    address (an IPv6 /64), and no address in it."""
    address = bucket(client_ip(request))
    return salted_hmac(REPORTER_SALT, address, algorithm="sha256").hexdigest()[:32]


class ReportQuerySet(models.QuerySet):
    def open(self):
        """Reports no moderator has answered yet: the ones that count."""
        return self.filter(closed_at=None)


class Report(models.Model):
    class Reason(models.TextChoices):
        ABUSE = "abuse", "Abuse or harassment"
        SPAM = "spam", "Spam or advertising"
        OFF_TOPIC = "off-topic", "Off-topic"
        OTHER = "other", "Something else"

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(max_length=16, choices=Reason.choices)
    note = models.TextField(max_length=NOTE_MAX_LENGTH, blank=True)
    reporter = models.CharField(max_length=32, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(
        null=True, blank=True, help_text="When a moderator decided the comment."
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["comment", "reporter"], name="one_report_per_reader"),
            models.CheckConstraint(
                condition=models.Q(reason__in=["abuse", "spam", "off-topic", "other"]),
                name="report_reason_valid",
            ),
        ]
        indexes = [models.Index(fields=["comment", "closed_at"], name="report_open_idx")]

    def __str__(self):
        return f"{self.get_reason_display()} ({self.created_at:%Y-%m-%d})"


class ReportForm(forms.ModelForm):
    class Meta:
        model = Report
        fields = ["reason", "note"]
        labels = {"reason": "What is wrong with this comment?", "note": "Anything to add"}
        help_texts = {
            "note": f"Optional, up to {NOTE_MAX_LENGTH} characters. Only moderators read it."
        }
        widgets = {"reason": forms.RadioSelect, "note": forms.Textarea(attrs={"rows": 4})}
        error_messages = {"reason": {"required": "Please choose what is wrong."}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.fields["reason"].choices = Report.Reason.choices  # no empty "---------"


def file_report(comment, reporter, reason, note=""):
    """Record `reporter`'s report (once: a second one from the same reader changes nothing) and
    hide the comment if enough readers reported it. Returns True if the report is new."""
    with transaction.atomic():
        _, created = Report.objects.get_or_create(
            comment=comment, reporter=reporter, defaults={"reason": reason, "note": note}
        )
        threshold = settings.COMMENTS_HIDE_AFTER_REPORTS
        if created and threshold and comment.reports.open().count() >= threshold:
            # The site itself takes it down (moderated_by empty), and says why in the audit.
            Comment.objects.filter(pk=comment.pk, status=Comment.Status.APPROVED).moderate(
                Comment.Status.PENDING, None, note=f"Hidden after {threshold} reader reports."
            )
    return created


class ReportedComment(Comment):
    """The Reported queue in the admin (comments/admin_reports.py): comments with open reports,
    most reported first."""

    class Meta:
        proxy = True
        verbose_name = "reported comment"

"""The Reported queue: comments readers reported, most reported first, with what they said.
Keep (approve), Reject or Spam closes the reports; the comment's own page has the rest."""

from collections import Counter

from django.contrib import admin
from django.db.models import Count, Q
from django.utils.html import format_html, format_html_join

from .admin import CommentAdmin, decision_buttons
from .admin_rules import may_change, may_view
from .models import Comment
from .reports import ReportedComment

DECISIONS = [
    (Comment.Status.APPROVED, "Keep"),
    (Comment.Status.REJECTED, "Reject"),
    (Comment.Status.SPAM, "Spam"),
]
OPEN = Q(reports__closed_at=None, reports__isnull=False)


@admin.register(ReportedComment)
class ReportedCommentAdmin(CommentAdmin):
    list_display = [
        "comment_text",
        "commenter",
        "article_link",
        "shown",
        "open_reports",
        "report_reasons",
        "moderation_buttons",
    ]
    list_filter = []
    date_hierarchy = None
    show_facets = admin.ShowFacets.NEVER

    def get_urls(self):
        # The console is CommentAdmin's alone: inheriting its route would register the same URL
        # name twice, and reverse() would then point at /admin/comments/reportedcomment/console/.
        return admin.ModelAdmin.get_urls(self)

    def get_queryset(self, request):
        # Reported and not yet decided: still published, or hidden (pending) by the reports.
        return (
            self.model._default_manager.filter(
                status__in=[Comment.Status.APPROVED, Comment.Status.PENDING]
            )
            .annotate(open_reports=Count("reports", filter=OPEN))
            .filter(open_reports__gt=0)
            .prefetch_related("reports")
            .order_by(*self.get_ordering(request))
        )

    def get_ordering(self, request):
        return ["-open_reports", "-created_at"]

    # The comment's rule: the proxy's own permissions are given to nobody.
    def has_view_permission(self, request, obj=None):
        return may_view(request.user)

    def has_change_permission(self, request, obj=None):
        return may_change(request.user)

    @admin.display(description="Decide")
    def moderation_buttons(self, comment):
        # A reported comment may be kept as it is, even one still shown.
        return decision_buttons(comment, DECISIONS)

    @admin.display(description="Shown", boolean=True)
    def shown(self, comment):
        # Pending here means hidden by its reports until someone decides.
        return comment.status == Comment.Status.APPROVED

    @admin.display(description="Reports", ordering="open_reports")
    def open_reports(self, comment):
        return comment.open_reports

    @admin.display(description="What readers said")
    def report_reasons(self, comment):
        reports = [report for report in comment.reports.all() if report.closed_at is None]
        counts = Counter(report.get_reason_display() for report in reports)
        notes = [report.note for report in reports if report.note]
        return format_html(
            "{}{}",
            ", ".join(f"{reason} ×{count}" for reason, count in counts.most_common()),
            format_html_join("", '<p class="report-note">“{}”</p>', ((n,) for n in notes)),
        )

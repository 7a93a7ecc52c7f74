"""The audit (every decision, filterable and exported as CSV) and the list of rejection
reasons moderators choose from."""

import io

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from .admin_rules import CommentRule, ReadOnlyRecord
from .audit import Decision, RejectionReason, write_csv


@admin.register(RejectionReason)
class RejectionReasonAdmin(CommentRule, admin.ModelAdmin):
    list_display = ["label", "position"]
    list_editable = ["position"]
    search_fields = ["label"]

    def has_delete_permission(self, request, obj=None):
        # Past decisions keep their words: removing a reason only takes it off the list.
        return self.has_change_permission(request, obj)


@admin.register(Decision)
class DecisionAdmin(ReadOnlyRecord, admin.ModelAdmin):
    list_display = ["decided_at", "comment_link", "from_status", "to_status", "by", "reason"]
    list_filter = ["to_status", "from_status", "decided_at"]
    list_select_related = ["comment", "decided_by"]
    search_fields = ["reason", "note", "comment__name", "decided_by__username"]
    date_hierarchy = "decided_at"
    list_per_page = 100

    def get_urls(self):
        export = path(
            "export.csv",
            self.admin_site.admin_view(self.export_view),
            name="comments_decision_export",
        )
        return [export, *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        query = request.GET.urlencode()
        export_url = reverse("admin:comments_decision_export") + (f"?{query}" if query else "")
        return super().changelist_view(request, {"export_url": export_url, **(extra_context or {})})

    def export_view(self, request):
        """The decisions the list shows (its filters and search), as CSV."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        decisions = self.get_changelist_instance(request).get_queryset(request)
        stream = io.StringIO()
        write_csv(decisions, stream)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return HttpResponse(
            stream.getvalue(),
            content_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="decisions-{stamp}.csv"'},
        )

    @admin.display(description="Comment", ordering="comment")
    def comment_link(self, decision):
        return format_html(
            '<a href="{}">{} (#{})</a>',
            reverse("admin:comments_comment_change", args=[decision.comment_id]),
            decision.comment.name,
            decision.comment_id,
        )

    @admin.display(description="By", ordering="decided_by")
    def by(self, decision):
        return decision.decider

"""The editors' side: newsletters, the upcoming issue (reorder, drop, introduction, hold,
preview, a test to oneself) and subscriber counts. Addresses only for staff with
`newsletters.view_subscriber_email` (the Subscribers pages); editors see counts.

Every route here asks what the issue's change form asks: preview needs `view_issue`, a test
send and hold/release `change_issue` on an issue still waiting."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.csp import CSP
from django.utils.html import format_html
from django.views.decorators.csp import csp_override

from outbox.tasks import send_later

from .emails import draw_issue, test_message
from .models import Issue, IssueStory, Newsletter, Subscriber

EMAIL_PERMISSION = "newsletters.view_subscriber_email"
# The email's HTML in a tab of its own: its inline styles, its images from wherever they are
# served, no script, and no other page may frame it.
PREVIEW_CSP = {
    "default-src": [CSP.NONE],
    "style-src": [CSP.UNSAFE_INLINE],
    "img-src": ["https:", "http:", "data:"],
    "frame-ancestors": [CSP.NONE],
}


@admin.register(Newsletter)
class NewsletterAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "schedule", "subscribers", "offered_at_signup", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["category", "author"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                receiving=Count(
                    "subscription",
                    filter=Q(
                        subscription__subscriber__confirmed_at__isnull=False,
                        subscription__subscriber__paused_at__isnull=True,
                    ),
                )
            )
        )

    @admin.display(description="schedule")
    def schedule(self, obj):
        return obj.schedule_display

    @admin.display(description="subscribers", ordering="receiving")
    def subscribers(self, obj):
        return obj.receiving


class IssueStoryInline(admin.TabularInline):
    model = IssueStory
    fields = ["article", "position", "dropped"]
    readonly_fields = ["article"]
    extra = 0
    can_delete = False
    ordering = ["position", "pk"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.is_editable)


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "delivered_of", "preview_links"]
    list_filter = ["status", "newsletter"]
    date_hierarchy = "scheduled_for"
    fields = ["newsletter", "scheduled_for", "status", "intro", "preview_links", "delivered_of"]
    readonly_fields = ["newsletter", "scheduled_for", "preview_links", "delivered_of"]
    inlines = [IssueStoryInline]
    change_form_template = "admin/newsletters/issue/change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("newsletter").with_counts()

    def has_add_permission(self, request):
        return False  # Issues make themselves from the newsletter's schedule.

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.is_editable)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "status":
            kwargs["choices"] = [(s.value, s.label) for s in Issue.WAITING]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    @admin.display(description="delivered")
    def delivered_of(self, obj):
        recipients = getattr(obj, "recipients", None)
        if recipients is None:
            obj = Issue.objects.with_counts().get(pk=obj.pk)
            recipients = obj.recipients
        return f"{obj.delivered} of {recipients}" if recipients else "—"

    @admin.display(description="preview")
    def preview_links(self, obj):
        return format_html(
            '<a href="{}" target="_blank">HTML</a> · <a href="{}" target="_blank">text</a>',
            reverse("admin:newsletters_issue_preview", args=[obj.pk, "html"]),
            reverse("admin:newsletters_issue_preview", args=[obj.pk, "text"]),
        )

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:issue_id>/preview/<str:part>/",
                wrap(self.preview_view),
                name="newsletters_issue_preview",
            ),
            path(
                "<int:issue_id>/send-test/",
                wrap(self.send_test_view),
                name="newsletters_issue_send_test",
            ),
            *super().get_urls(),
        ]

    def issue_for(self, request, issue_id, change=False):
        issue = get_object_or_404(Issue.objects.select_related("newsletter"), pk=issue_id)
        allowed = (
            self.has_change_permission(request, issue)
            if change
            else self.has_view_permission(request, issue)
        )
        if not allowed:
            raise PermissionDenied
        return issue

    @csp_override(PREVIEW_CSP)
    def preview_view(self, request, issue_id, part):
        if part not in ("html", "text"):
            return HttpResponse("Ask for html or text.", status=404, content_type="text/plain")
        drawn = draw_issue(self.issue_for(request, issue_id))
        if part == "html":
            return HttpResponse(drawn.html, content_type="text/html; charset=utf-8")
        return HttpResponse(drawn.text, content_type="text/plain; charset=utf-8")

    def send_test_view(self, request, issue_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        issue = self.issue_for(request, issue_id, change=True)
        if not request.user.email:
            messages.error(request, "Your account has no email address to send the test to.")
        else:
            send_later(test_message(draw_issue(issue), issue, request.user.email))
            messages.success(
                request, f"A test of this issue is on its way to {request.user.email}."
            )
        return redirect("admin:newsletters_issue_change", issue.pk)


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    """Only for staff who may see addresses; editors count subscribers on the newsletters."""

    list_display = ["email", "created_at", "confirmed_at", "paused_at", "hard_failures"]
    list_filter = [
        ("confirmed_at", admin.EmptyFieldListFilter),
        ("paused_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["email"]
    date_hierarchy = "created_at"
    fields = ["email", "created_at", "confirmed_at", "paused_at", "hard_failures"]
    readonly_fields = ["email", "created_at", "confirmed_at"]

    def has_add_permission(self, request):
        return False  # Only readers subscribe themselves (double opt-in).

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(EMAIL_PERMISSION) and super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm(EMAIL_PERMISSION) and super().has_change_permission(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm(EMAIL_PERMISSION) and super().has_delete_permission(
            request, obj
        )

    def has_module_permission(self, request):
        return request.user.has_perm(EMAIL_PERMISSION)

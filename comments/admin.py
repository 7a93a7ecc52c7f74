from django.contrib import admin, messages
from django.db.models import Case, IntegerField, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator

from .models import Comment


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """The moderation queue: pending comments first, decided in bulk."""

    list_display = ["excerpt", "name", "article_link", "status", "created_at"]
    list_filter = ["status", "created_at"]
    list_select_related = ["article"]
    search_fields = ["body", "name", "email", "article__title"]
    date_hierarchy = "created_at"
    actions = ["approve", "reject", "mark_spam"]
    list_per_page = 50
    fields = [
        "article",
        "name",
        "email",
        "body",
        "status",
        "created_at",
        "ip_address",
        "user_agent",
        "moderated_by",
        "moderated_at",
    ]
    readonly_fields = [
        "article",
        "created_at",
        "ip_address",
        "user_agent",
        "moderated_by",
        "moderated_at",
    ]

    def get_ordering(self, request):
        pending_first = Case(
            When(status=Comment.Status.PENDING, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        return [pending_first.asc(), "-created_at"]

    def has_add_permission(self, request):
        # Comments come from readers, not from the admin.
        return False

    @admin.display(description="Comment")
    def excerpt(self, comment):
        return Truncator(comment.body).chars(80)

    @admin.display(description="Article", ordering="article__title")
    def article_link(self, comment):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:articles_article_change", args=[comment.article_id]),
            Truncator(comment.article.title).chars(60),
        )

    def save_model(self, request, obj, form, change):
        if "status" in form.changed_data:
            obj.moderated_by = request.user
            obj.moderated_at = timezone.now()
        super().save_model(request, obj, form, change)

    def _moderate(self, request, queryset, status, verb):
        count = queryset.moderate(status, request.user)
        noun = "comment" if count == 1 else "comments"
        self.message_user(request, f"{count} {noun} {verb}.", messages.SUCCESS)

    @admin.action(description="Approve selected comments", permissions=["change"])
    def approve(self, request, queryset):
        self._moderate(request, queryset, Comment.Status.APPROVED, "approved")

    @admin.action(description="Reject selected comments", permissions=["change"])
    def reject(self, request, queryset):
        self._moderate(request, queryset, Comment.Status.REJECTED, "rejected")

    @admin.action(description="Mark selected comments as spam", permissions=["change"])
    def mark_spam(self, request, queryset):
        self._moderate(request, queryset, Comment.Status.SPAM, "marked as spam")

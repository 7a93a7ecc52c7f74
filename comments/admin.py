from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpResponseRedirect
from django.template.defaultfilters import linebreaksbr
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from . import console
from .models import DECISIONS, Comment


class StatusFilter(admin.SimpleListFilter):
    """Status, opening on the pending comments: the queue is what a moderator comes for."""

    title = "status"
    # The address the plain field filter used, so bookmarks and links keep working.
    parameter_name = "status__exact"
    ALL = "all"

    def lookups(self, request, model_admin):
        return [(self.ALL, "All"), *Comment.Status.choices]

    def value(self):
        return super().value() or Comment.Status.PENDING

    def queryset(self, request, queryset):
        if self.value() == self.ALL:
            return queryset
        return queryset.filter(status=self.value())

    def choices(self, changelist):
        choices = super().choices(changelist)
        next(choices)  # Django's own "All" drops the parameter, which here means "Pending".
        yield from choices


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """The moderation queue: pending comments, newest first, decided one by one or in bulk."""

    list_display = [
        "comment_text",
        "name",
        "article_link",
        "status",
        "created_at",
        "moderation_buttons",
    ]
    # The date opens the comment: the text itself is there to be read, not to be a link.
    list_display_links = ["created_at"]
    list_filter = [StatusFilter, "created_at"]
    list_select_related = ["article", "parent"]
    search_fields = ["body", "name", "email", "article__title"]
    date_hierarchy = "created_at"
    actions = ["approve", "reject", "mark_spam"]
    list_per_page = 50
    # The status filter counts every status; "N total" would link to the pending queue again.
    show_facets = admin.ShowFacets.ALWAYS
    show_full_result_count = False
    fields = [
        "article",
        "parent",
        "name",
        "email",
        "body",
        "status",
        "spam_reason",
        "created_at",
        "ip_address",
        "user_agent",
        "moderator",
        "moderated_at",
    ]
    readonly_fields = [
        "article",
        "parent",
        "spam_reason",
        "created_at",
        "ip_address",
        "user_agent",
        "moderator",
        "moderated_at",
    ]

    class Media:
        # Stacked rows on a phone: the queue's CSS, for the comment admin pages only.
        css = {"all": ["comments/moderation.css"]}

    def get_urls(self):
        # The keyboard console (comments/console.py), behind the admin's sign-in and CSRF.
        console_view = self.admin_site.admin_view(self.console_view)
        return [
            path("console/", console_view, name="comments_comment_console"),
            *super().get_urls(),
        ]

    def console_view(self, request):
        return console.view(request, self)

    def get_ordering(self, request):
        pending_first = Case(
            When(status=Comment.Status.PENDING, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        return [pending_first.asc(), "-created_at"]

    def get_list_display(self, request):
        if self.has_change_permission(request):
            return self.list_display
        return [name for name in self.list_display if name != "moderation_buttons"]

    def has_add_permission(self, request):
        # Comments come from readers, not from the admin.
        return False

    @admin.display(description="Comment")
    def comment_text(self, comment):
        """The whole comment, escaped, line breaks kept: a moderator judges all of it. A spam
        comment says why the site filed it."""
        text = linebreaksbr(comment.body)
        if comment.parent:
            text = format_html("↳ Reply to {}: {}", comment.parent.name, text)
        if comment.spam_reason:
            text = format_html(
                '{}<p class="spam-reason"><strong>Why spam:</strong> {}</p>',
                text,
                comment.spam_reason,
            )
        return format_html('<div class="comment-text">{}</div>', text)

    @admin.display(description="Article", ordering="article__title")
    def article_link(self, comment):
        on_site = (
            comment.get_absolute_url()
            if comment.status == Comment.Status.APPROVED
            else comment.article.get_absolute_url() + "#comments"
        )
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">on the site</a>',
            reverse("admin:articles_article_change", args=[comment.article_id]),
            Truncator(comment.article.title).chars(60),
            on_site,
        )

    @admin.display(description="Moderated by")
    def moderator(self, comment):
        # Plain text, not the admin's link to the user: moderators may not open the user admin.
        if comment.moderated_by:
            return comment.moderated_by.get_full_name() or comment.moderated_by.get_username()
        if comment.moderated_at:
            return "The site itself"
        return self.get_empty_value_display()

    @admin.display(description="Decide")
    def moderation_buttons(self, comment):
        # Buttons of the changelist's own form (which carries the CSRF token): no nested forms
        # and no JavaScript. changelist_view() picks them out.
        return format_html_join(
            " ",
            '<button type="submit" class="button" name="moderate" value="{}:{}"'
            ' aria-label="{}: comment by {}">{}</button>',
            (
                (status, comment.pk, label, comment.name, label)
                for status, label, _ in DECISIONS
                if status != comment.status
            ),
        )

    def changelist_view(self, request, extra_context=None):
        if request.method == "POST" and "moderate" in request.POST:
            return self.moderate_one(request)
        return super().changelist_view(request, extra_context)

    def moderate_one(self, request):
        """Decide the one comment whose row button was pressed, then show the same page again."""
        status, _, pk = request.POST["moderate"].partition(":")
        verbs = {status: verb for status, _, verb in DECISIONS}
        comment = Comment.objects.filter(pk=pk).first() if pk.isdigit() else None
        if not self.has_change_permission(request, comment):
            raise PermissionDenied
        if comment is None or status not in verbs:
            self.message_user(request, "That comment no longer exists.", messages.WARNING)
        else:
            Comment.objects.filter(pk=comment.pk).moderate(status, request.user)
            self.message_user(
                request, f"The comment by {comment.name} was {verbs[status]}.", messages.SUCCESS
            )
        return HttpResponseRedirect(request.get_full_path())

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

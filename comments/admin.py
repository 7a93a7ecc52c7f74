from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from . import console
from .commenters import EMAIL_PERMISSION, masked_email
from .forms import RejectForm
from .models import DECISIONS, Comment, WordList


class CommentAdminForm(forms.ModelForm):
    """The comment's form, with the reason and note a decision needs."""

    reason = RejectForm.base_fields["reason"]
    note = RejectForm.base_fields["note"]

    class Meta:
        model = Comment
        fields = ["name", "email", "body", "status"]

    def clean(self):
        data = super().clean()
        rejecting = data.get("status") == Comment.Status.REJECTED and "status" in self.changed_data
        if rejecting and data.get("reason") is None:
            self.add_error("reason", "Please choose why the comment is rejected.")
        return data


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


def decision_buttons(comment, decisions):
    """A changelist row's buttons, one per (status, label) of `decisions`: submit buttons of the
    changelist's own form, which changelist_view() picks out (no nested forms, no script)."""
    return format_html_join(
        " ",
        '<button type="submit" class="button" name="moderate" value="{}:{}"'
        ' aria-label="{}: comment by {}">{}</button>',
        ((status, comment.pk, label, comment.name, label) for status, label in decisions),
    )


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """The moderation queue: pending comments, newest first, decided one by one or in bulk."""

    form = CommentAdminForm
    list_display = [
        "comment_text",
        "commenter",
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
        "reason",
        "note",
        "spam_reason",
        "found_words",
        "rejection_reason",
        "rejection_note",
        "created_at",
        "ip_address",
        "user_agent",
        "moderator",
        "moderated_at",
        "history_link",
        "reports",
        "decisions",
    ]
    readonly_fields = [
        "reports",
        "decisions",
        "article",
        "parent",
        "spam_reason",
        "found_words",
        "rejection_reason",
        "rejection_note",
        "history_link",
        "masked_email",
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

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if request.user.has_perm(EMAIL_PERMISSION):
            return fields
        # Without the right, the address is shown masked and cannot be changed.
        return ["masked_email" if name == "email" else name for name in fields]

    @admin.display(description="Email")
    def masked_email(self, comment):
        # Shown only in place of the address, to those without the right to read it.
        return masked_email(comment.email)

    @admin.display(description="Commenter", ordering="name")
    def commenter(self, comment):
        if not comment.commenter_key:
            return comment.name
        return format_html(
            '{}<br><a class="commenter-history" href="{}">history</a>',
            comment.name,
            history_url(comment),
        )

    @admin.display(description="Readers' reports")
    def reports(self, comment):
        """What readers reported (never who), and whether a moderator has answered it."""
        return (
            format_html_join(
                "",
                "<p>{} · {}{}{}</p>",
                (
                    (
                        f"{timezone.localtime(report.created_at):%Y-%m-%d %H:%M}",
                        report.get_reason_display(),
                        f": “{report.note}”" if report.note else "",
                        " (answered)" if report.closed_at else "",
                    )
                    for report in comment.reports.all()
                ),
            )
            or "None."
        )

    @admin.display(description="Decisions (the audit)")
    def decisions(self, comment):
        """Every decision about this comment, newest first: who, when, from what to what, why.
        (Shown as text, not an inline: the comment's form posts nothing more than it did.)"""
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{} → {}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    f"{timezone.localtime(d.decided_at):%Y-%m-%d %H:%M}",
                    d.decider,
                    d.get_from_status_display(),
                    d.get_to_status_display(),
                    d.reason,
                    d.note,
                )
                for d in comment.decisions.select_related("decided_by")
            ),
        )
        if not rows:
            return "None yet."
        return format_html(
            '<table class="decisions"><thead><tr><th>When</th><th>By</th><th>Decision</th>'
            "<th>Why</th><th>Note</th></tr></thead><tbody>{}</tbody></table>",
            rows,
        )

    @admin.display(description="Commenter's history")
    def history_link(self, comment):
        if not comment.commenter_key:
            # Imported without an address: nothing ties it to anyone's other comments.
            return "None: this comment has no email address."
        return format_html(
            '<a href="{}">All comments by this commenter, notes, bans</a>', history_url(comment)
        )

    @admin.display(description="Comment")
    def comment_text(self, comment):
        """The whole comment, escaped, line breaks kept: a moderator judges all of it. The words
        a word list matched are marked, and named under it; a spam comment says why the site
        filed it."""
        text = console.highlighted(comment)
        if comment.matched_words:
            text = format_html("{}{}", text, self.found_words(comment))
        if comment.parent:
            text = format_html("↳ Reply to {}: {}", comment.parent.name, text)
        if comment.spam_reason:
            text = format_html(
                '{}<p class="spam-reason"><strong>Why spam:</strong> {}</p>',
                text,
                comment.spam_reason,
            )
        return format_html('<div class="comment-text">{}</div>', text)

    @admin.display(description="Words from the word lists")
    def found_words(self, comment):
        """Each word a list matched, as written, with the rule and the list that matched it."""
        if not comment.matched_words:
            return self.get_empty_value_display()
        return format_html(
            '<ul class="found-words">{}</ul>',
            format_html_join(
                "",
                "<li>{}<mark>{}</mark> — rule “{}” in {} ({})</li>",
                (
                    (
                        "In the name: " if match.get("field") == "name" else "",
                        match.get("text", ""),
                        match.get("rule", ""),
                        match.get("list", ""),
                        KIND_LABELS.get(match.get("kind"), match.get("kind", "")),
                    )
                    for match in comment.matched_words
                ),
            ),
        )

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
        return decision_buttons(
            comment, [(status, label) for status, label, _ in DECISIONS if status != comment.status]
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
        elif status == Comment.Status.REJECTED:
            # A rejection needs its reason: the same page as the bulk action, for one comment.
            return self.reject(request, Comment.objects.filter(pk=comment.pk))
        else:
            Comment.objects.filter(pk=comment.pk).moderate(status, request.user)
            self.message_user(
                request, f"The comment by {comment.name} was {verbs[status]}.", messages.SUCCESS
            )
        return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request, obj, form, change):
        if "status" not in form.changed_data:
            return super().save_model(request, obj, form, change)
        # The other fields as edited; the decision itself where every decision is made.
        decided, obj.status = obj.status, form.initial["status"]
        super().save_model(request, obj, form, change)
        reason = form.cleaned_data.get("reason")
        Comment.objects.filter(pk=obj.pk).moderate(
            decided,
            request.user,
            reason=reason.label if reason and decided == Comment.Status.REJECTED else "",
            note=form.cleaned_data.get("note", ""),
            site_url=request.build_absolute_uri("/"),
        )
        obj.refresh_from_db()

    def _moderate(self, request, queryset, status, verb, **why):
        count = queryset.moderate(status, request.user, **why)
        noun = "comment" if count == 1 else "comments"
        self.message_user(request, f"{count} {noun} {verb}.", messages.SUCCESS)

    @admin.action(description="Approve selected comments", permissions=["change"])
    def approve(self, request, queryset):
        self._moderate(request, queryset, Comment.Status.APPROVED, "approved")

    @admin.action(description="Reject selected comments…", permissions=["change"])
    def reject(self, request, queryset):
        """Ask why first (a page like Django's delete confirmation), then reject."""
        form = RejectForm(request.POST if "confirm" in request.POST else None)
        if form.is_valid():
            self._moderate(
                request,
                queryset,
                Comment.Status.REJECTED,
                "rejected",
                reason=form.cleaned_data["reason"].label,
                note=form.cleaned_data["note"],
                site_url=request.build_absolute_uri("/"),
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Why are these comments rejected?",
            "opts": self.opts,
            "comments": queryset.select_related("article"),
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "form_url": request.get_full_path(),
        }
        return TemplateResponse(request, "admin/comments/reject.html", context)

    @admin.action(description="Mark selected comments as spam", permissions=["change"])
    def mark_spam(self, request, queryset):
        self._moderate(request, queryset, Comment.Status.SPAM, "marked as spam")


KIND_LABELS = {
    WordList.Kind.REJECT: "banned: rejected",
    WordList.Kind.SPAM: "banned: spam",
    WordList.Kind.SUSPECT: "suspect: held for a moderator",
}


@admin.register(WordList)
class WordListAdmin(admin.ModelAdmin):
    """Banned and suspect words: what the site does with a comment before a moderator sees it."""

    list_display = ["name", "kind", "rule_count", "changed_at"]
    list_filter = ["kind"]
    search_fields = ["name", "rules"]
    fields = ["name", "kind", "rules"]

    @admin.display(description="Words and phrases")
    def rule_count(self, word_list):
        return word_list.rule_count


def history_url(comment):
    return reverse("admin:comments_commenter_change", args=[comment.commenter_key])


# The other moderation pages, each beside its feature's admin.
from . import admin_audit, admin_people, admin_reports  # noqa: F401

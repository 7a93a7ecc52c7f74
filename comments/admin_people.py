"""The commenter in the admin: everything they wrote and what became of it, moderators' private
notes, and bans and suspensions, each recorded with who, when and why, and lifted the same way.
Opened from any comment ("history"); its address is the commenter's key, never their email."""

from django import forms
from django.contrib import admin
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from .admin_rules import CommentRule
from .commenters import Commenter, Note, Sanction, email_for

HISTORY_LIMIT = 500


class NoteInline(CommentRule, admin.TabularInline):
    """Notes are added, never edited: each keeps its author and time."""

    model = Note
    fields = ["text", "author", "created_at"]
    readonly_fields = ["author", "created_at"]
    extra = 1

    def has_change_permission(self, request, obj=None):
        return False


class SanctionForm(forms.ModelForm):
    class Meta:
        model = Sanction
        fields = ["kind", "until", "reason"]

    def clean(self):
        data = super().clean()
        kind, until = data.get("kind"), data.get("until")
        if kind == Sanction.Kind.SUSPENSION and not until:
            self.add_error("until", "A suspension needs an end.")
        elif kind == Sanction.Kind.SUSPENSION and until <= timezone.now():
            self.add_error("until", "A suspension must end in the future.")
        elif kind == Sanction.Kind.BAN and until:
            self.add_error("until", "A ban has no end: lift it when it should stop.")
        return data


class SanctionInline(CommentRule, admin.TabularInline):
    """A sanction is added and later lifted (on the commenter's form), never edited."""

    model = Sanction
    form = SanctionForm
    fields = ["kind", "until", "reason", "created_by", "created_at", "lifted"]
    readonly_fields = ["created_by", "created_at", "lifted"]
    extra = 1

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="lifted")
    def lifted(self, sanction):
        if not sanction.pk:
            return ""
        if sanction.lifted_at:
            when = timezone.localtime(sanction.lifted_at)
            return f"{when:%Y-%m-%d %H:%M} by {sanction.lifted_by}: {sanction.lift_reason}"
        if sanction.until and sanction.until <= timezone.now():
            return "Ended by itself"
        return "In force"


class CommenterForm(forms.ModelForm):
    lift = forms.BooleanField(
        label="Lift the sanction in force",
        required=False,
        help_text="Comments go to the queue again.",
    )
    lift_reason = forms.CharField(label="Why lift it", required=False, max_length=1000)

    class Meta:
        model = Commenter
        fields = []

    def clean(self):
        data = super().clean()
        if data.get("lift"):
            if not Sanction.objects.in_force().filter(commenter=self.instance).exists():
                self.add_error("lift", "No sanction is in force.")
            elif not data.get("lift_reason", "").strip():
                self.add_error("lift_reason", "Please say why the sanction is lifted.")
        return data


@admin.register(Commenter)
class CommenterAdmin(CommentRule, admin.ModelAdmin):
    form = CommenterForm
    inlines = [SanctionInline, NoteInline]
    fields = ["address", "names", "standing", "lift", "lift_reason", "history"]
    readonly_fields = ["address", "names", "standing", "history"]
    list_display = ["__str__", "standing", "created_at"]

    def has_add_permission(self, request, obj=None):
        # A commenter exists through their comments: opened from one of them.
        return False

    def get_object(self, request, object_id, from_field=None):
        """A commenter nobody opened yet is made, unsaved, from their comments: the row is
        stored with the first note or sanction."""
        found = super().get_object(request, object_id, from_field)
        if found is None and Commenter(key=object_id).comments().exists():
            found = Commenter(key=object_id)
        if found is not None:
            found.viewer = request.user
        return found

    def save_model(self, request, obj, form, change):
        obj.save()
        if form.cleaned_data.get("lift"):
            for sanction in Sanction.objects.in_force().filter(commenter=obj):
                sanction.lift(request.user, form.cleaned_data["lift_reason"].strip())

    def save_formset(self, request, form, formset, change):
        for record in formset.save(commit=False):
            if isinstance(record, Note):
                record.author = request.user
            else:
                record.created_by = request.user
            record.save()

    def _comments(self, commenter):
        return commenter.comments().select_related("article").order_by("-created_at", "-id")

    @admin.display(description="Email address")
    def address(self, commenter):
        latest = self._comments(commenter).values_list("email", flat=True).first()
        return email_for(commenter.viewer, latest) if latest else "—"

    @admin.display(description="Names used")
    def names(self, commenter):
        return ", ".join(sorted(set(self._comments(commenter).values_list("name", flat=True))))

    def get_queryset(self, request):
        in_force = Prefetch("sanctions", Sanction.objects.in_force(), to_attr="in_force")
        return super().get_queryset(request).prefetch_related(in_force)

    @admin.display(description="Standing")
    def standing(self, commenter):
        # Prefetched by get_queryset; a commenter not stored yet has no sanction.
        sanctions = getattr(commenter, "in_force", [])
        return "; ".join(sanction.describe() for sanction in sanctions) or "May comment"

    @admin.display(description="Comments, newest first")
    def history(self, commenter):
        comments = self._comments(commenter).prefetch_related("decisions__decided_by")
        rows = format_html_join(
            "",
            '<tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>',
            (
                (
                    reverse("admin:comments_comment_change", args=[comment.pk]),
                    f"{timezone.localtime(comment.created_at):%Y-%m-%d %H:%M}",
                    comment.article.title,
                    comment.body[:200],
                    comment.get_status_display(),
                    "; ".join(
                        f"{d.get_to_status_display()} by {d.decider}, "
                        f"{timezone.localtime(d.decided_at):%Y-%m-%d %H:%M}"
                        + (f" ({d.reason})" if d.reason else "")
                        for d in comment.decisions.all()
                    ),
                )
                for comment in comments[:HISTORY_LIMIT]
            ),
        )
        return format_html(
            '<table class="commenter-history"><thead><tr><th>Written</th><th>Story</th>'
            "<th>Comment</th><th>Status</th><th>Decisions</th></tr></thead><tbody>{}</tbody></table>",
            rows,
        )

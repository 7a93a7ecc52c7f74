from itertools import pairwise

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import PermissionDenied
from django.db import router
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from articles.models import About, Article, Author, Byline, Category, Correction, Redirect
from articles.signals import collected

from .forms import AboutAdminForm, ArticleAdminForm, AuthorAdminForm
from .revisions import field_changes


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position", "comment_mode", "published_count"]
    list_editable = ["position"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).with_published_count()

    @admin.display(description="Published stories", ordering="published_count")
    def published_count(self, category):
        return category.published_count


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    form = AuthorAdminForm
    list_display = ["name", "user", "slug"]
    search_fields = ["name", "slug", "user__username"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["user"]


class PublicationFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("draft", "Draft"),
            ("review", "In review"),
            ("scheduled", "Scheduled"),
            ("published", "Published"),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "draft":
                return queryset.filter(status=Article.Status.DRAFT)
            case "review":
                return queryset.filter(status=Article.Status.REVIEW)
            case "scheduled":
                return queryset.scheduled()
            case "published":
                return queryset.published()
        return queryset


# Whether, when and how prominently a story is out. Restoring an old version brings back its
# words and filing but leaves these (and the story's writer) as they are today, unless an
# editor ticks the box to restore them too: an old draft must not unpublish a story by itself.
PUBLISHING_FIELDS = ["status", "published_at", "is_featured", "comment_mode"]
KEPT_ON_REVERT = {*PUBLISHING_FIELDS, "author"}


def with_words_of(story, record):
    """The stored `story`, changed in place to the words and filing of its old version."""
    for field in Article._meta.concrete_fields:
        if field.editable and not field.primary_key and field.name not in KEPT_ON_REVERT:
            setattr(story, field.attname, getattr(record, field.attname))
    return story


def restore_publishing_field(record):
    """The editors' checkbox on the revert form, saying what the old version would bring back."""
    when = timezone.localtime(record.published_at)
    lead = ", lead story" if record.is_featured else ""
    return forms.BooleanField(
        required=False,
        label="Also restore this version's status and publication time",
        help_text=(
            f"This version was: {Article.Status(record.status).label}, "
            f"{when:%-d %b %Y, %H:%M}{lead}. Unticked, the story keeps today's status, "
            "publication time, lead-story mark and comment setting."
        ),
    )


class BylineInline(admin.TabularInline):
    model = Byline
    extra = 0
    autocomplete_fields = ["author"]
    verbose_name = "author in the byline"
    verbose_name_plural = (
        "Byline (in order). Left empty, the writer's author profile is credited; a writer "
        "without one, or no writer, credits the site's staff. Usernames are never shown."
    )


class CorrectionInline(admin.StackedInline):
    model = Correction
    extra = 0
    fields = ["kind", "text", "created_at"]
    verbose_name = "correction or update"
    verbose_name_plural = "Corrections and updates (shown to readers, newest first)"


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    """Editors do everything; writers edit their own unpublished stories and cannot publish;
    moderators read published stories."""

    form = ArticleAdminForm
    list_display = ["title", "lead", "state", "published_at", "category", "author"]
    list_filter = [PublicationFilter, "category", "published_at", "is_featured"]
    list_select_related = ["category", "author"]
    search_fields = ["title", "standfirst", "slug"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    inlines = [BylineInline, CorrectionInline]
    actions = ["publish_now", "unpublish", "feature", "unfeature"]
    save_on_top = True
    # The history with word-level changes, and two versions to compare picked on it.
    object_history_template = "admin/articles/article/object_history.html"
    object_history_list_template = "admin/articles/article/object_history_list.html"
    fieldsets = [
        (None, {"fields": ["title", "slug", "standfirst", "body", "opened_version"]}),
        ("Filing", {"fields": ["category", "tags", "author", "byline"]}),
        (
            "Featured image",
            {
                "fields": [
                    "featured_image",
                    "featured_image_alt",
                    "featured_image_caption",
                    "featured_image_credit",
                    "kept_featured_image",
                ]
            },
        ),
        ("Publishing", {"fields": PUBLISHING_FIELDS}),
    ]

    @staticmethod
    def is_editor(request):
        return request.user.has_perm("articles.publish_article")

    def has_publish_permission(self, request):
        return self.is_editor(request)

    # The per-story rule, for every route here: the change form, the history and its versions,
    # revert, delete and the actions (and the preview, in views.py). A story this user may not
    # see is not found; one they may see but not change is read-only, and a save is a 403.
    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return obj.can_be_changed_by(request.user)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or obj.can_be_changed_by(request.user)

    def revert_disabled(self, request, obj=None):
        # Restoring a version is a change: simple_history alone lets anyone who may view it.
        return super().revert_disabled(request, obj) or not self.has_change_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if self.is_editor(request):
            return []
        readonly = ["author", "published_at", "is_featured"]
        return [*readonly, "slug"] if obj is not None and obj.was_public else readonly

    def get_prepopulated_fields(self, request, obj=None):
        if obj is not None and obj.was_public and not self.is_editor(request):
            return {}
        return super().get_prepopulated_fields(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if obj is not None and obj.was_public and "slug" in form.base_fields:
            form.base_fields[
                "slug"
            ].help_text = (
                "This story is public: changing its address makes the old one redirect here."
            )
        return form

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "status" and not self.is_editor(request):
            kwargs["choices"] = [
                (Article.Status.DRAFT, "Draft"),
                (Article.Status.REVIEW, "In review — ready for an editor"),
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        return {"author": request.user.pk, **super().get_changeform_initial_data(request)}

    def changeform_view(self, request, *args, **kwargs):
        # The story, its tags, bylines and corrections are one change: searchable and shown
        # to readers once it is all saved (articles/signals.py).
        with collected(router.db_for_write(Article)):
            return super().changeform_view(request, *args, **kwargs)

    def save_model(self, request, obj, form, change):
        if not obj.author_id or (not change and not self.is_editor(request)):
            obj.author = request.user
        super().save_model(request, obj, form, change)
        form.discard_kept_upload()

    def render_change_form(self, request, context, *args, **kwargs):
        form = context["adminform"].form
        if form.is_bound:  # shown again after an error: the chosen image must not be lost
            form.keep_upload()
        return super().render_change_form(request, context, *args, **kwargs)

    @admin.display(description="Lead", boolean=False, ordering="-is_featured")
    def lead(self, article):
        return "★ Lead story" if article.is_featured else ""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        # With no byline given, credit the writer if they have an author profile.
        author = getattr(article.author, "author_profile", None) if article.author else None
        if author and not article.byline and not article.bylines.exists():
            Byline.objects.create(article=article, author=author)

    def get_visible_story(self, request, object_id):
        """The stored story behind a history address, or 404: for a malformed id, a deleted
        story, and a story this user may not see (ids are sequential; a 403 would confirm
        that a colleague's draft exists)."""
        story = self.get_object(request, object_id)
        if story is None:
            raise Http404("No such article.")
        return story

    def history_view(self, request, object_id, extra_context=None):
        # Before simple_history, which shows the history of a story get_queryset() hides.
        self.get_visible_story(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        # Word by word, where simple_history shows a long text as "[13 chars]". Newest first:
        # each version is compared with the one before it.
        names = {}
        for newer, older in pairwise(historical_records):
            newer.history_delta_changes = field_changes(older, newer, names)

    def get_urls(self):
        # Before simple_history's "<id>/history/<version>/", which would take "compare" for
        # a version.
        compare = path(
            "<path:object_id>/history/compare/",
            self.admin_site.admin_view(self.compare_view),
            name="articles_article_compare",
        )
        return [compare, *super().get_urls()]

    def compare_view(self, request, object_id):
        """Two versions of a story side by side, field by field, word by word: `old` and `new`
        from the query string (any two; the older one is shown first), else the last two."""
        story = self.get_visible_story(request, object_id)
        if not self.has_view_history_or_change_history_permission(request, story):
            raise PermissionDenied
        versions = list(
            story.history.select_related("history_user").order_by("-history_date", "-history_id")
        )
        chosen = [request.GET.get("old"), request.GET.get("new")]
        if chosen == [None, None]:
            pair = versions[1::-1] if len(versions) > 1 else versions * 2
        else:
            by_id = {str(version.history_id): version for version in versions}
            if not all(choice in by_id for choice in chosen):
                raise Http404("No such version of this story.")
            pair = sorted((by_id[choice] for choice in chosen), key=versions.index, reverse=True)
        if not pair:
            raise Http404("This story has no history.")
        old, new = pair
        context = {
            **self.admin_site.each_context(request),
            "title": f"Compare versions: {story}",
            "opts": self.opts,
            "object": story,
            "versions": versions,
            "old": old,
            "new": new,
            "changes": field_changes(old, new),
        }
        return TemplateResponse(request, "admin/articles/article/compare.html", context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """One old version: read-only, or the form to restore it for those who may change
        the story now. Written here rather than extending simple_history's view, which saves
        for anyone who may view the story and without the change form's rules."""
        story = self.get_visible_story(request, object_id)
        if not str(version_id).isdigit():
            raise Http404("No such version.")
        record = get_object_or_404(story.history, history_id=version_id)
        if not self.has_view_history_or_change_history_permission(request, story):
            raise PermissionDenied
        may_revert = not self.revert_disabled(request, story)
        if request.method == "POST" and not may_revert:
            raise PermissionDenied
        # Atomic as the change form is: the version check in the form locks the row until
        # the save is done. One change, whose side effects run once (articles/signals.py).
        with collected(router.db_for_write(Article)):
            return self._history_form(request, story, record, may_revert, extra_context)

    def _history_form(self, request, story, record, may_revert, extra_context):
        fieldsets = self.get_fieldsets(request, story)
        form_class = self.get_form(request, story, change=True, fields=flatten_fieldsets(fieldsets))
        if may_revert:
            article = with_words_of(story, record)
            readonly_fields = self.get_readonly_fields(request, story)
            if self.is_editor(request):
                form_class = type(
                    form_class.__name__,
                    (form_class,),
                    {"restore_publishing": restore_publishing_field(record)},
                )
                fieldsets = [*fieldsets, ("Restoring", {"fields": ["restore_publishing"]})]
        else:
            article = record.instance  # The version as it was, to read.
            readonly_fields = flatten_fieldsets(fieldsets)

        if request.method == "POST":
            form = form_class(request.POST, request.FILES, instance=article)
            if form.is_valid():
                article = self.save_form(request, form, change=True)
                if form.cleaned_data.get("restore_publishing"):
                    for field in PUBLISHING_FIELDS:
                        setattr(article, field, getattr(record, field))
                saved_at = timezone.localtime(record.history_date)
                article._change_reason = f"Restored the version of {saved_at:%-d %b %Y, %H:%M}"
                self.save_model(request, article, form, change=True)
                form.save_m2m()
                self.log_change(request, article, self.construct_change_message(request, form, []))
                return self.response_change(request, article)
        else:
            form = form_class(instance=article)

        admin_form = helpers.AdminForm(
            form,
            fieldsets,
            self.get_prepopulated_fields(request, story) if may_revert else {},
            readonly_fields,
            model_admin=self,
        )
        # The context simple_history's own view gives its template.
        opts = self.opts
        context = {
            **self.admin_site.each_context(request),
            "title": self.history_form_view_title(request, story),
            "adminform": admin_form,
            "object_id": story.pk,
            "original": article,
            "is_popup": False,
            "media": self.media + admin_form.media,
            "errors": helpers.AdminErrorList(form, []),
            "app_label": opts.app_label,
            "original_opts": opts,
            "changelist_url": reverse("admin:articles_article_changelist"),
            "change_url": reverse("admin:articles_article_change", args=[story.pk]),
            "history_url": reverse("admin:articles_article_history", args=[story.pk]),
            "change_history": False,
            "revert_disabled": not may_revert,
            "add": False,
            "change": True,
            "has_add_permission": self.has_add_permission(request),
            "has_view_permission": True,
            "has_change_permission": may_revert,
            "has_delete_permission": self.has_delete_permission(request, story),
            "has_file_field": True,
            "has_absolute_url": False,
            "form_url": "",
            "opts": record._meta,
            "content_type_id": self.content_type_model_cls.objects.get_for_model(Article).id,
            "save_as": self.save_as,
            "save_on_top": self.save_on_top,
            **(extra_context or {}),
        }
        return self.render_history_view(request, self.object_history_form_template, context)

    @admin.display(description="Status", ordering="published_at")
    def state(self, article):
        if article.is_scheduled:
            when = timezone.localtime(article.published_at)
            return f"Scheduled for {when:%-d %b %Y, %H:%M}"
        return article.state_label

    def _bulk(self, request, queryset, verb, **changes):
        # Saved one by one so that every change keeps a revision and its redirects.
        articles = [a for a in queryset if self.has_change_permission(request, a)]
        with collected(router.db_for_write(Article)):  # One change, however many stories.
            for article in articles:
                for field, value in changes.items():
                    setattr(article, field, value)
                article.save()
        count = len(articles)
        self.message_user(
            request, f"{count} {'story' if count == 1 else 'stories'} {verb}.", messages.SUCCESS
        )

    @admin.action(description="Publish selected stories now", permissions=["publish"])
    def publish_now(self, request, queryset):
        self._bulk(
            request,
            queryset,
            "published",
            status=Article.Status.PUBLISHED,
            published_at=timezone.now(),
        )

    @admin.action(description="Unpublish selected stories (back to draft)", permissions=["publish"])
    def unpublish(self, request, queryset):
        self._bulk(request, queryset, "unpublished", status=Article.Status.DRAFT)

    @admin.action(description="Make the selected story the lead story", permissions=["publish"])
    def feature(self, request, queryset):
        # One lead at a time (Article.save unmarks the old one): several would be a guess.
        if queryset.count() != 1:
            self.message_user(request, "Choose one story to lead the front page.", messages.ERROR)
            return
        self._bulk(request, queryset, "now leads the front page", is_featured=True)

    @admin.action(description="Remove the lead-story mark", permissions=["publish"])
    def unfeature(self, request, queryset):
        self._bulk(request, queryset, "no longer featured", is_featured=False)


@admin.register(Redirect)
class RedirectAdmin(admin.ModelAdmin):
    """Old addresses of stories (renamed here, or imported from WordPress), for editors."""

    list_display = ["old_path", "article_link", "created_at"]
    search_fields = ["old_path", "article__title"]
    list_select_related = ["article"]
    autocomplete_fields = ["article"]
    date_hierarchy = "created_at"

    @admin.display(description="Now at")
    def article_link(self, redirect_):
        return format_html(
            '<a href="{}">{}</a>', redirect_.article.get_absolute_url(), redirect_.article
        )


@admin.register(About)
class AboutAdmin(admin.ModelAdmin):
    """One row only: the list view goes straight to it, and it cannot be added or deleted."""

    form = AboutAdminForm
    fields = ["site_name", "tagline", "summary", "body"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        about = About.load()
        return redirect(reverse("admin:articles_about_change", args=[about.pk]))

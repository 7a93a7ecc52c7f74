from django.contrib import admin, messages
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from .forms import AboutAdminForm, ArticleAdminForm, AuthorAdminForm
from .models import About, Article, Author, Byline, Category, Correction, SlugRedirect


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position", "published_count"]
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
        now = timezone.now()
        published = Q(status=Article.Status.PUBLISHED)
        match self.value():
            case "draft":
                return queryset.filter(status=Article.Status.DRAFT)
            case "review":
                return queryset.filter(status=Article.Status.REVIEW)
            case "scheduled":
                return queryset.filter(published, published_at__gt=now)
            case "published":
                return queryset.filter(published, published_at__lte=now)
        return queryset


class BylineInline(admin.TabularInline):
    model = Byline
    extra = 0
    autocomplete_fields = ["author"]
    verbose_name = "author in the byline"
    verbose_name_plural = "Byline (in order; leave empty to credit the writer)"


class CorrectionInline(admin.StackedInline):
    model = Correction
    extra = 0
    fields = ["kind", "text", "created_at"]
    verbose_name = "correction or update"
    verbose_name_plural = "Corrections and updates (shown to readers, newest first)"


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    """Editors do everything; writers edit their own unpublished stories and cannot publish."""

    form = ArticleAdminForm
    list_display = ["title", "state", "published_at", "category", "author", "is_featured"]
    list_filter = [PublicationFilter, "category", "published_at", "is_featured"]
    list_select_related = ["category", "author"]
    search_fields = ["title", "standfirst", "slug"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    inlines = [BylineInline, CorrectionInline]
    actions = ["publish_now", "unpublish", "feature", "unfeature"]
    save_on_top = True
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
                ]
            },
        ),
        ("Publishing", {"fields": ["status", "published_at", "is_featured", "allow_comments"]}),
    ]

    @staticmethod
    def is_editor(request):
        return request.user.has_perm("articles.publish_article")

    @classmethod
    def is_writer(cls, request):
        return request.user.has_perm("articles.add_article") and not cls.is_editor(request)

    def has_publish_permission(self, request):
        return self.is_editor(request)

    def get_queryset(self, request):
        articles = super().get_queryset(request)
        if self.is_writer(request):
            return articles.filter(author=request.user)
        return articles

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or not self.is_writer(request):
            return True
        # Writers: their own stories, until the story is out.
        return obj.author_id == request.user.pk and not obj.was_public

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

    def save_model(self, request, obj, form, change):
        if not obj.author_id or (not change and not self.is_editor(request)):
            obj.author = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        # With no byline given, credit the writer if they have an author profile.
        author = getattr(article.author, "author_profile", None) if article.author else None
        if author and not article.byline and not article.bylines.exists():
            Byline.objects.create(article=article, author=author)

    # simple_history's history URLs take any path before "/history/": a malformed id must be a
    # 404 for the editor who mistyped it, not a server error.
    def history_view(self, request, object_id, extra_context=None):
        if not str(object_id).isdigit():
            raise Http404("No such article.")
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not (str(object_id).isdigit() and str(version_id).isdigit()):
            raise Http404("No such version.")
        return super().history_form_view(request, object_id, version_id, extra_context)

    @admin.display(description="Status", ordering="published_at")
    def state(self, article):
        if article.is_scheduled:
            when = timezone.localtime(article.published_at)
            return f"Scheduled for {when:%-d %b %Y, %H:%M}"
        return article.state_label

    def _bulk(self, request, queryset, verb, **changes):
        # Saved one by one so that every change keeps a revision and its redirects.
        for article in queryset:
            for field, value in changes.items():
                setattr(article, field, value)
            article.save()
        count = queryset.count()
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

    @admin.action(description="Make selected stories lead stories", permissions=["publish"])
    def feature(self, request, queryset):
        self._bulk(request, queryset, "featured", is_featured=True)

    @admin.action(description="Remove the lead-story mark", permissions=["publish"])
    def unfeature(self, request, queryset):
        self._bulk(request, queryset, "no longer featured", is_featured=False)


@admin.register(SlugRedirect)
class SlugRedirectAdmin(admin.ModelAdmin):
    list_display = ["old_slug", "article_link", "created_at"]
    search_fields = ["old_slug", "article__title"]
    list_select_related = ["article"]

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

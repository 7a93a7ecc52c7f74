from django.contrib import admin
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from .forms import AboutAdminForm, ArticleAdminForm
from .models import About, Article, Category


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


class PublicationFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("draft", "Draft"), ("scheduled", "Scheduled"), ("published", "Published")]

    def queryset(self, request, queryset):
        now = timezone.now()
        published = Q(status=Article.Status.PUBLISHED)
        match self.value():
            case "draft":
                return queryset.filter(status=Article.Status.DRAFT)
            case "scheduled":
                return queryset.filter(published, published_at__gt=now)
            case "published":
                return queryset.filter(published, published_at__lte=now)
        return queryset


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = ["title", "state", "published_at", "category", "author", "is_featured"]
    list_filter = [PublicationFilter, "category", "published_at", "is_featured"]
    list_select_related = ["category", "author"]
    search_fields = ["title", "standfirst", "slug"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["title", "slug", "standfirst", "body"]}),
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

    @admin.display(description="Status", ordering="status")
    def state(self, article):
        return article.state_label

    def save_model(self, request, obj, form, change):
        if not obj.author_id:
            obj.author = request.user
        super().save_model(request, obj, form, change)

    def get_changeform_initial_data(self, request):
        return {"author": request.user.pk, **super().get_changeform_initial_data(request)}


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

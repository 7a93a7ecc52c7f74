import datetime
from itertools import groupby

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView, TemplateView
from django.views.generic.dates import MonthArchiveView, YearArchiveView
from taggit.models import Tag

from .models import About, Article, Author, Category, SlugRedirect

FRONT_PAGE_LATEST = 6
FRONT_PAGE_PER_CATEGORY = 4
RELATED_STORIES = 4


def front_page(request):
    published = Article.objects.published().for_listing()
    with_bylines = published.with_bylines()
    lead = with_bylines.filter(is_featured=True).first() or with_bylines.first()
    latest = published.exclude(pk=lead.pk) if lead else published
    per_category = {
        category_id: list(stories)
        for category_id, stories in groupby(
            published.latest_per_category(FRONT_PAGE_PER_CATEGORY),
            key=lambda story: story.category_id,
        )
    }
    sections = [
        (category, per_category[category.pk])
        for category in Category.objects.all()
        if category.pk in per_category
    ]
    return render(
        request,
        "articles/front_page.html",
        {"lead": lead, "latest": latest[:FRONT_PAGE_LATEST], "sections": sections},
    )


class ArticleDetail(DetailView):
    """One story. Staff may also open drafts and scheduled stories, marked as not public."""

    context_object_name = "article"

    def get_queryset(self):
        articles = (
            Article.objects.select_related("category", "author")
            .with_bylines()
            .prefetch_related("tags", "corrections")
        )
        if self.request.user.is_staff:
            return articles
        return articles.published()

    def get(self, request, *args, **kwargs):
        try:
            day = datetime.date(kwargs["year"], kwargs["month"], kwargs["day"])
        except ValueError:
            raise Http404("No such date.") from None
        try:
            self.object = self.get_object()
        except Http404:
            # A story renamed after publication keeps its old address as a redirect.
            moved = SlugRedirect.objects.filter(old_slug=kwargs["slug"]).select_related("article")
            old = moved.first()
            if old and old.article.is_public:
                return redirect(old.article, permanent=True)
            raise
        # The date is part of the address for readers, not for lookup: if the story's date
        # changed since a link was shared, send the reader to where it lives now.
        if timezone.localdate(self.object.published_at) != day:
            return redirect(self.object, permanent=True)
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, **kwargs):
        article = self.object
        published = Article.objects.published()
        in_section = published.filter(category_id=article.category_id)
        return super().get_context_data(
            current_category=article.category,
            related=published.for_listing().related_to(article)[:RELATED_STORIES],
            previous_story=in_section.before(article).first(),
            next_story=in_section.after(article).first(),
            **kwargs,
        )


@method_decorator(never_cache, name="dispatch")
class ArticlePreview(ArticleDetail):
    """Staff see any story, draft or scheduled, exactly as readers will, from the admin."""

    def get(self, request, *args, **kwargs):
        if not request.user.is_staff:
            raise Http404("No such story.")
        self.object = self.get_object()
        return self.render_to_response(self.get_context_data(object=self.object))


class AuthorArticleList(ListView):
    template_name = "articles/author_detail.html"
    paginate_by = settings.ARTICLES_PER_PAGE
    context_object_name = "articles"

    def get_queryset(self):
        self.author = get_object_or_404(Author, slug=self.kwargs["slug"])
        return Article.objects.published().for_listing().filter(bylines__author=self.author)

    def get_context_data(self, **kwargs):
        return super().get_context_data(author=self.author, **kwargs)


class CategoryArticleList(ListView):
    template_name = "articles/category_detail.html"
    paginate_by = settings.ARTICLES_PER_PAGE
    context_object_name = "articles"

    def get_queryset(self):
        self.category = get_object_or_404(Category, slug=self.kwargs["slug"])
        return Article.objects.published().for_listing().filter(category=self.category)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            category=self.category, current_category=self.category, **kwargs
        )


class TagArticleList(ListView):
    template_name = "articles/tag_detail.html"
    paginate_by = settings.ARTICLES_PER_PAGE
    context_object_name = "articles"
    # A tag used only on drafts must not reveal itself.
    allow_empty = False

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return Article.objects.published().for_listing().filter(tags=self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class ArchiveMixin:
    date_field = "published_at"
    paginate_by = settings.ARTICLES_PER_PAGE
    context_object_name = "articles"

    def get_queryset(self):
        return Article.objects.published().for_listing()


class ArticleArchive(TemplateView):
    """The "Articles Archive": every month that has stories, grouped by year, with counts."""

    template_name = "articles/article_archive.html"

    def get_context_data(self, **kwargs):
        months = Article.objects.published().month_counts()
        years = [
            (year, list(group))
            for year, group in groupby(months, key=lambda row: row["month"].year)
        ]
        return super().get_context_data(years=years, **kwargs)


class ArticleYearArchive(ArchiveMixin, YearArchiveView):
    make_object_list = True

    def get_context_data(self, **kwargs):
        year = int(self.get_year())
        months = Article.objects.published().filter(published_at__year=year).month_counts()
        return super().get_context_data(months=months, **kwargs)


class ArticleMonthArchive(ArchiveMixin, MonthArchiveView):
    month_format = "%m"


class AboutView(TemplateView):
    template_name = "articles/about.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(page=About.load(), **kwargs)

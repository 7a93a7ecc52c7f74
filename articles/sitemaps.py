"""Sitemaps for search engines: an index of sections, and a Google News sitemap.

/sitemap.xml is the index. It lists /sitemap-<section>.xml for the static pages, the
categories, tags and authors with published stories, the news of the last two days, and one
section per month of stories (sitemap-articles-2026-11.xml): a month stays small whatever the
size of the archive, and the index asks the database for all months in one query.
"""

from datetime import timedelta

from django.contrib.sitemaps import Sitemap, views
from django.db.models import Count, Max, OuterRef, Subquery
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control
from taggit.models import Tag

from .models import About, Article, Author, Category

SITEMAP_MAX_AGE = 60 * 60
# Google News reads stories of the last two days, at most 1,000 per sitemap.
NEWS_WINDOW = timedelta(hours=48)
NEWS_MAX_AGE = 5 * 60


class StorySitemap(Sitemap):
    """Stories, dated by their last correction, update or revision, else their publication."""

    def lastmod(self, article):
        return article.last_updated or article.published_at


class MonthSitemap(StorySitemap):
    """The stories published in one month (of the site's time zone, as the archive counts)."""

    def __init__(self, month, count, latest):
        self.month, self.count, self.latest = month, count, latest

    def items(self):
        next_month = (self.month + timedelta(days=31)).replace(day=1)
        stories = Article.objects.published().filter(
            published_at__gte=self.month, published_at__lt=next_month
        )
        return stories.only("slug", "published_at", "revised_at").prefetch_related("corrections")

    @property
    def paginator(self):
        # The index asks every month for its number of pages: spare it a COUNT per month.
        paginator = super().paginator
        paginator.count = self.count
        return paginator

    def get_latest_lastmod(self):
        return self.latest


class NewsSitemap(StorySitemap):
    limit = 1000

    def items(self):
        since = timezone.now() - NEWS_WINDOW
        stories = Article.objects.published().filter(published_at__gte=since)
        return stories.only("title", "slug", "published_at", "revised_at").prefetch_related(
            "corrections"
        )


class ListingSitemap(Sitemap):
    """Pages that list stories, dated by their newest story; only those with a published one."""

    model = None
    # How a story points at the listed object.
    lookup = None

    def items(self):
        newest = (
            Article.objects.published()
            .filter(**{self.lookup: OuterRef("pk")})
            .order_by("-published_at")
            .values("published_at")[:1]
        )
        return (
            self.model.objects.annotate(newest=Subquery(newest))
            .filter(newest__isnull=False)
            .order_by("pk")
        )

    def lastmod(self, obj):
        return obj.newest

    def get_latest_lastmod(self):
        return self.items().aggregate(latest=Max("newest"))["latest"]


class CategorySitemap(ListingSitemap):
    model = Category
    lookup = "category"


class TagSitemap(ListingSitemap):
    model = Tag
    lookup = "tags"

    def location(self, tag):
        return reverse("articles:tag", kwargs={"slug": tag.slug})


class AuthorSitemap(ListingSitemap):
    model = Author
    lookup = "bylines__author"


class PageSitemap(Sitemap):
    """The front page and the archive index, dated by the newest story; the About page."""

    def items(self):
        return ["articles:front", "articles:archive", "articles:about"]

    def location(self, name):
        return reverse(name)

    def lastmod(self, name):
        if name == "articles:about":
            return About.load().updated_at
        return Article.objects.published().aggregate(latest=Max("published_at"))["latest"]


def sections():
    """Every sitemap of the index by name, the <section> of its address."""
    months = (
        Article.objects.published()
        .annotate(month=TruncMonth("published_at"))
        .values("month")
        .annotate(
            count=Count("id", distinct=True),
            published=Max("published_at"),
            revised=Max("revised_at"),
            corrected=Max("corrections__created_at"),
        )
        .order_by("-month")
    )
    return {
        "pages": PageSitemap(),
        "news": NewsSitemap(),
        "categories": CategorySitemap(),
        "tags": TagSitemap(),
        "authors": AuthorSitemap(),
        **{
            f"articles-{row['month']:%Y-%m}": MonthSitemap(
                row["month"],
                row["count"],
                max(date for date in (row["published"], row["revised"], row["corrected"]) if date),
            )
            for row in months
        },
    }


@cache_control(public=True, max_age=SITEMAP_MAX_AGE)
def index(request):
    return views.index(request, sections(), sitemap_url_name="sitemap-section")


@cache_control(public=True, max_age=SITEMAP_MAX_AGE)
def section(request, section):
    return views.sitemap(request, sections(), section=section)


@cache_control(public=True, max_age=NEWS_MAX_AGE)
def news(request):
    """Google News's own format: the index links it as the "news" section."""
    return views.sitemap(
        request, {"news": NewsSitemap()}, section="news", template_name="sitemaps/news.xml"
    )

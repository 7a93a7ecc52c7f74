"""Sitemaps for search engines: an index of sections, and a Google News sitemap.

/sitemap.xml is the index. It lists /sitemap-<section>.xml for the static pages, the
categories, tags and authors with published stories, the news of the last two days, and one
section per month of stories (sitemap-articles-2026-11.xml): a month stays small whatever the
size of the archive, and the index asks the database for all months in one query.

Every address is at settings.SITE_URL, whichever Host the request came with.
"""

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap, views
from django.db.models import Count, Max, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control
from taggit.models import Tag

from articles import cache_tags
from articles.furniture import months_with_stories, site_furniture
from articles.models import About, Article, Author, Category
from articles.templatetags.seo_tags import absolute_url
from pagecache.pages import PAGE_NUMBER, reader_page

SITEMAP_MAX_AGE = 60 * 60
# Google News reads stories of the last two days, at most 1,000 per sitemap.
NEWS_WINDOW = timedelta(hours=48)
NEWS_MAX_AGE = 5 * 60


class CanonicalSitemap(Sitemap):
    """Addresses at the site's canonical address (Django would take the request's host)."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class StorySitemap(CanonicalSitemap):
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


class KnownSizeMixin:
    """A sitemap whose size and newest date the index already knows (from `index_stats`), so
    the index spends no query of its own on it. Without them, it asks as usual."""

    def __init__(self, count=None, latest=None):
        self.count, self.latest = count, latest

    @property
    def paginator(self):
        paginator = super().paginator
        if self.count is not None:
            paginator.count = self.count
        return paginator

    def get_latest_lastmod(self):
        return self.latest if self.count is not None else super().get_latest_lastmod()


class NewsSitemap(KnownSizeMixin, StorySitemap):
    limit = 1000

    def items(self):
        since = timezone.now() - NEWS_WINDOW
        stories = Article.objects.published().filter(published_at__gte=since)
        return stories.only("title", "slug", "published_at", "revised_at").prefetch_related(
            "corrections"
        )


class ListingSitemap(KnownSizeMixin, CanonicalSitemap):
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
        if self.count is not None:
            return self.latest
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


class PageSitemap(CanonicalSitemap):
    """The front page and the archive index, dated by the newest story; the About page."""

    def __init__(self, latest=None):
        self.latest = latest

    def get_latest_lastmod(self):
        if self.latest is None:
            return super().get_latest_lastmod()
        about = site_furniture()["about"].updated_at
        return max(date for date in (self.latest, about) if date)

    def items(self):
        return ["articles:front", "articles:archive", "articles:about"]

    def location(self, name):
        return reverse(name)

    def lastmod(self, name):
        if name == "articles:about":
            return About.load().updated_at
        return Article.objects.published().aggregate(latest=Max("published_at"))["latest"]


def index_stats():
    """What the index says of its fixed sections, from two small indexed queries: the newest
    story, and the number and newest dates of the last two days' news. The numbers of
    categories, tags and authors are those that exist: they only decide whether a section
    needs a second page, at 50,000 entries, and counting those with a published story would
    read every tagged story."""
    published = Article.objects.published()
    recent = published.filter(published_at__gte=timezone.now() - NEWS_WINDOW)
    return {
        **published.aggregate(latest=Max("published_at")),
        **recent.aggregate(
            news=Count("pk"), news_published=Max("published_at"), news_revised=Max("revised_at")
        ),
        "categories": len(site_furniture()["nav_categories"]),
        "tags": Tag.objects.count(),
        "authors": Author.objects.count(),
    }


def sections(stats=None):
    """Every sitemap of the index by name, the <section> of its address; with `stats`
    (index_stats()) the fixed sections need no query to be listed in the index."""
    months = months_with_stories(revised=True)
    stats = stats or {}
    latest = stats.get("latest")
    news_latest = [stats.get(date) for date in ("news_published", "news_revised")]
    return {
        "pages": PageSitemap(latest),
        "news": NewsSitemap(stats.get("news"), max(filter(None, news_latest), default=None)),
        "categories": CategorySitemap(stats.get("categories"), latest),
        "tags": TagSitemap(stats.get("tags"), latest),
        "authors": AuthorSitemap(stats.get("authors"), latest),
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
@reader_page
def index(request):
    response = views.index(
        request, sections(index_stats()), sitemap_url_name="syndication:sitemap-section"
    )
    # Each month's date is its newest story's revision or correction: any edit may move one.
    cache_tags.carries(request, cache_tags.ANY_STORY)
    # Django names each section at the request's host: give it the canonical address.
    for item in response.context_data["sitemaps"]:
        address = urlsplit(item.location)
        item.location = absolute_url(address.path + (f"?{address.query}" if address.query else ""))
    return response


@cache_control(public=True, max_age=SITEMAP_MAX_AGE)
@reader_page(params={"p": PAGE_NUMBER})  # Django numbers a sitemap's pages ?p=2.
def section(request, section):
    # A month's stories' addresses and dates change with an edit: ANY_STORY rather than a tag
    # per story, which would make a header as long as the month.
    cache_tags.carries(request, cache_tags.ANY_STORY)
    return views.sitemap(request, sections(), section=section)


@cache_control(public=True, max_age=NEWS_MAX_AGE)
def news(request):
    """Google News's own format: the index links it as the "news" section.

    Not kept in the page cache: which stories it lists changes with the clock (the last two
    days), not only with the content. One cheap indexed query, and HTTP caches keep it.
    """
    return views.sitemap(
        request, {"news": NewsSitemap()}, section="news", template_name="sitemaps/news.xml"
    )

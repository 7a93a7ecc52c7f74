"""Feeds beside the pages they follow (/category/world/feed/rss/ beside /category/world/), the
sitemaps and robots.txt at the root, where crawlers look for them."""

from django.urls import path
from django.views.decorators.cache import cache_control
from django.views.generic import TemplateView

from . import feeds, sitemaps

app_name = "syndication"

urlpatterns = [
    path("feeds/rss/", feeds.LatestStories(), name="feed-rss"),
    path("feeds/atom/", feeds.LatestStories(feeds.AtomFeed), name="feed-atom"),
    path("category/<slug:slug>/feed/rss/", feeds.CategoryStories(), name="category-feed-rss"),
    path(
        "category/<slug:slug>/feed/atom/",
        feeds.CategoryStories(feeds.AtomFeed),
        name="category-feed-atom",
    ),
    path("tag/<uslug:slug>/feed/rss/", feeds.TagStories(), name="tag-feed-rss"),
    path("tag/<uslug:slug>/feed/atom/", feeds.TagStories(feeds.AtomFeed), name="tag-feed-atom"),
    path("author/<slug:slug>/feed/rss/", feeds.AuthorStories(), name="author-feed-rss"),
    path(
        "author/<slug:slug>/feed/atom/",
        feeds.AuthorStories(feeds.AtomFeed),
        name="author-feed-atom",
    ),
    path("sitemap.xml", sitemaps.index, name="sitemap"),
    # Before sitemap-<section>.xml: the index links the news sitemap as its "news" section.
    path("sitemap-news.xml", sitemaps.news, name="sitemap-news"),
    path("sitemap-<slug:section>.xml", sitemaps.section, name="sitemap-section"),
    path(
        "robots.txt",
        cache_control(public=True, max_age=24 * 60 * 60)(
            TemplateView.as_view(
                template_name="robots.txt", content_type="text/plain; charset=utf-8"
            )
        ),
        name="robots",
    ),
]

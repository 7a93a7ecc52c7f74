from django.apps import AppConfig


class SyndicationConfig(AppConfig):
    """Addresses for machines: RSS and Atom feeds (feeds.py), the sitemaps and Google News
    sitemap (sitemaps.py), robots.txt (urls.py).

    Above articles: it reads published stories and records what it shows for the page cache
    (articles.cache_tags), as the pages do; articles never imports syndication. Templates
    link the feeds by name (`{% url 'syndication:feed-rss' %}`).
    """

    name = "syndication"
    verbose_name = "Feeds and sitemaps"

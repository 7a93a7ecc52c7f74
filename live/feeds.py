"""The Atom feed of a live story's entries, newest first: for readers' feed apps and for
partners who carry our updates. Here rather than in syndication/, a sibling that must not know
live coverage; built the same way (addresses from SITE_URL, cached as a reader page)."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.utils.feedgenerator import Atom1Feed

from articles import cache_tags
from articles.models import Article
from articles.templatetags.seo_tags import absolute_url

from .models import LiveEntry

FEED_LENGTH = 50
# Feed readers poll; a live story's feed is worth a fresher answer than the site's.
FEED_MAX_AGE = 30


class LiveStoryFeed(Feed):
    feed_type = Atom1Feed
    reader_page = True  # Served from the page cache to anonymous readers, purged per story.

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        patch_cache_control(response, public=True, max_age=FEED_MAX_AGE)
        return response

    def get_object(self, request, pk):
        article = get_object_or_404(Article.objects.published().exclude(live_since=None), pk=pk)
        cache_tags.shows_stories(request, [article])
        return article

    def title(self, article):
        return f"{article.title}: live updates"

    def link(self, article):
        return absolute_url(article.get_absolute_url())

    def feed_url(self, article):
        return absolute_url(self.request_path)

    def subtitle(self, article):
        return article.standfirst

    def get_feed(self, obj, request):
        self.request_path = request.path
        return super().get_feed(obj, request)

    def items(self, article):
        entries = LiveEntry.objects.filter(article=article).select_related("author")
        entries = list(entries.order_by("-posted_at", "-pk")[:FEED_LENGTH])
        for entry in entries:
            entry.article = article
        return entries

    def item_title(self, entry):
        return entry.title

    def item_description(self, entry):
        return entry.body

    def item_link(self, entry):
        return absolute_url(entry.get_absolute_url())

    def item_guid(self, entry):
        return absolute_url(entry.get_absolute_url())

    def item_pubdate(self, entry):
        return entry.posted_at

    def item_updateddate(self, entry):
        return entry.updated_at or entry.posted_at

    def item_author_name(self, entry):
        return (entry.author.get_full_name() or None) if entry.author else None

"""RSS 2.0 and Atom feeds of the newest stories: the whole site, a category, a tag, an author.

Each entry carries the standfirst as its summary, the section and tags as categories, the
byline, and the featured image twice: as an enclosure, which every reader understands, and as
Media RSS `media:content`, which news readers use for the picture beside the headline.

Every address in a feed, and every entry's id, comes from settings.SITE_URL, never from the
Host a request came with: a site reachable under two names, or moved to a new one, never
shows its readers every story again as new.
"""

import copy
import mimetypes
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import escape
from taggit.models import Tag

from articles import cache_tags
from articles.models import About, Article, Author, Category
from articles.templatetags.seo_tags import absolute_url
from images.processing import fallback_rendition

FEED_LENGTH = 30
# Readers poll feeds often; a story may reach them a few minutes late.
FEED_MAX_AGE = 5 * 60
MEDIA_RSS = "http://search.yahoo.com/mrss/"


def add_media_content(handler, item):
    """The featured image, the item's enclosure, again as Media RSS with its width."""
    for enclosure in item["enclosures"]:
        attrs = {
            "url": enclosure.url,
            "medium": "image",
            "type": enclosure.mime_type,
            "width": item.get("image_width"),
            "fileSize": enclosure.length if enclosure.length != "0" else None,
        }
        handler.addQuickElement(
            "media:content", "", {name: str(value) for name, value in attrs.items() if value}
        )


class RssFeed(Rss201rev2Feed):
    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:media": MEDIA_RSS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        add_media_content(handler, item)


class AtomFeed(Atom1Feed):
    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA_RSS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        add_media_content(handler, item)


def feed_image(article):
    """(name, width) of the featured image as feeds show it: the 960-pixel JPEG or PNG
    rendition that pages fall back to (images/pictures.py), or the original when the image's
    width is unknown and it has no renditions."""
    image = article.featured_image
    fallback = fallback_rendition(image.name, article.featured_image_width)
    if fallback is None:
        return image.name, article.featured_image_width
    width, name = fallback
    return name, width


class LatestStories(Feed):
    """The newest published stories of the whole site.

    urls.py makes one instance per address, serving RSS (the default) or Atom:
    `LatestStories(AtomFeed)`. Subclasses narrow the stories to a category, tag or author.
    """

    reader_page = True  # Served from the page cache to anonymous readers.

    item_guid_is_permalink = False

    def __init__(self, feed_type=RssFeed):
        self.feed_type = feed_type

    def __call__(self, request, *args, **kwargs):
        # One instance serves every request, perhaps in several threads at once: what this
        # request needs (its address, the site's name) goes on a copy.
        feed = copy.copy(self)
        feed.request = request
        feed.about = About.load()
        response = Feed.__call__(feed, request, *args, **kwargs)
        patch_cache_control(response, public=True, max_age=FEED_MAX_AGE)
        return response

    def stories(self, obj):
        return Article.objects.published()

    def items(self, obj):
        stories = list(
            self.stories(obj)
            .for_listing()
            .with_bylines()
            .prefetch_related("tags", "corrections")
            .defer("body", "search_vector")[:FEED_LENGTH]
        )
        cache_tags.shows_stories(self.request, stories)
        return stories

    def title(self, obj):
        return self.about.site_name

    def subtitle(self, obj):
        """Atom's name for RSS's description."""
        return self.description(obj)

    def description(self, obj):
        return self.about.tagline or self.about.summary

    def link(self, obj):
        return absolute_url(reverse("articles:front"))

    def feed_url(self, obj):
        return absolute_url(self.request.path)

    def author_name(self, obj):
        # Atom wants an author for every entry: the site stands in for a story without a byline.
        return self.about.site_name

    def item_title(self, article):
        return article.title

    def item_link(self, article):
        return absolute_url(article.get_absolute_url())

    def item_description(self, article):
        # Both formats read the summary as HTML; the standfirst is plain text.
        return escape(article.standfirst)

    def item_guid(self, article):
        """A tag URI (RFC 4151) that names the story by its id and the day it was created, so
        it survives changes of slug, date or headline: readers never show a story twice.
        The authority is the canonical site's host, whichever name the feed was fetched by."""
        host = urlsplit(settings.SITE_URL).hostname
        return f"tag:{host},{article.created_at:%Y-%m-%d}:article-{article.pk}"

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return article.last_updated or article.published_at

    def item_author_name(self, article):
        return article.byline_text or None

    def item_categories(self, article):
        names = [article.category.name, *(tag.name for tag in article.tags.all())]
        return list(dict.fromkeys(names))

    def item_enclosures(self, article):
        if not article.featured_image:
            return []
        name, _ = feed_image(article)
        storage = article.featured_image.storage
        try:
            # RSS requires the length in bytes: a stat on the file system storage.
            length = storage.size(name)
        except OSError:
            length = 0  # Not made yet (renditions are made after the save); readers accept 0.
        url = absolute_url(storage.url(name))
        return [
            Enclosure(url, str(length), mimetypes.guess_type(name)[0] or "application/octet-stream")
        ]

    def item_extra_kwargs(self, article):
        if not article.featured_image:
            return {}
        _, width = feed_image(article)
        return {"image_width": width}


class CategoryStories(LatestStories):
    def get_object(self, request, slug):
        return get_object_or_404(Category, slug=slug)

    def stories(self, category):
        return super().stories(category).filter(category=category)

    def title(self, category):
        return f"{self.about.site_name} — {category.name}"

    def description(self, category):
        return category.description or f"The latest {category.name} stories."

    def link(self, category):
        return absolute_url(category.get_absolute_url())


class TagStories(LatestStories):
    """The stories of one tag. A tag whose stories were all unpublished keeps a valid, empty
    feed, so its subscribers' readers do not drop it. Like the tag's page, a tag used only on
    unpublished stories must not reveal itself, and the database cannot tell it from one that
    never had a published story: so every tag address answers alike, known or not, and a tag
    without published stories is named by its address only."""

    def get_object(self, request, slug):
        tag = Tag.objects.filter(slug=slug).first()
        if tag and Article.objects.published().filter(tags=tag).exists():
            return tag
        return Tag(name=slug, slug=slug)

    def stories(self, tag):
        if tag.pk is None:
            return Article.objects.none()
        return super().stories(tag).filter(tags=tag)

    def title(self, tag):
        return f"{self.about.site_name} — {tag.name}"

    def description(self, tag):
        return f"Stories about {tag.name} from {self.about.site_name}."

    def link(self, tag):
        return absolute_url(reverse("articles:tag", kwargs={"slug": tag.slug}))


class AuthorStories(LatestStories):
    def get_object(self, request, slug):
        author = get_object_or_404(Author, slug=slug)
        # Like the author's page: nobody's until their first story is published.
        if not self.stories(author).exists():
            raise Http404("This author has no published story.")
        return author

    def stories(self, author):
        return super().stories(author).filter(bylines__author=author)

    def title(self, author):
        return f"{self.about.site_name} — {author.name}"

    def description(self, author):
        return author.bio or f"Stories by {author.name} from {self.about.site_name}."

    def link(self, author):
        return absolute_url(author.get_absolute_url())

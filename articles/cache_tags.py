"""The names of the page cache's tags for what this site's pages show, in one place.

A page records the tags of what it shows (pagecache.pages.tag): the stories on it, and the list
it is (the front page, a section, a tag, an author, the archives). A change raises the tags
of what it changed (articles/signals.py, comments): a story edited in place raises its story's
tag, and only the pages showing that story are made again. The lists' tags are never raised
here (a change of what a list holds also changes Top Categories, on every page: the whole
generation is raised), but they go out with the page for a CDN or Varnish, to purge by hand.
"""

from pagecache.pages import tag

FRONT = "front"
ARCHIVE = "archive"
# Raised with every story edited in place: what is drawn from every story's text or dates (the
# search results, which an edit may add a story to; the sitemaps' dates) is made again.
ANY_STORY = "stories"


def story(article):
    return story_id(article.pk)


def story_id(pk):
    return f"story-{pk}"


def headline_id(pk):
    """Where only the story's headline and address are shown (the "Most read" box, on nearly
    every page): a change of its text alone leaves those pages be."""
    return f"headline-{pk}"


def edited(article, saved):
    """The tags an edit in place raises: the story's, its headline's if that or its address
    changed (`saved`: the stored state before the save), and ANY_STORY."""
    tags = [story(article), ANY_STORY]
    if any(saved.get(name) != getattr(article, name) for name in ("title", "slug")):
        tags.append(headline_id(article.pk))
    return tags


def section(category):
    return f"section-{category.pk}"


def topic(tag_object):
    """A taggit tag's page ("topic", not to be confused with the page cache's tags)."""
    return f"tag-{tag_object.pk}"


def author(person):
    return f"author-{person.pk}"


def comments(article):
    """The story's comments: its page and its comments pages carry it."""
    return comments_id(article.pk)


def comments_id(pk):
    return f"comments-{pk}"


def shows_stories(request, stories):
    """Tell the page cache that the page shows `stories` (as cards, links, headlines)."""
    tag(request, *(story(article) for article in stories if article))


def carries(request, *tags):
    """Tell the page cache what else the page is or shows: FRONT, section(category),
    comments(article)..."""
    tag(request, *tags)

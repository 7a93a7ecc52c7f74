from django import template

from articles import cache_tags
from mostread.counts import most_read_lists
from pagecache.pages import tag

register = template.Library()


@register.inclusion_tag("mostread/tags/most_read.html", takes_context=True)
def most_read(context):
    """The "Most read" box: today's and this week's most read stories, left out while empty.

    Its own tag, so only pages that show it ask for the lists (cached: see counts.py), and
    tell the page cache that they show those stories.
    """
    lists = most_read_lists()
    shown = {story["pk"] for stories in lists.values() for story in stories}
    tag(context.get("request"), *(cache_tags.headline_id(pk) for pk in shown))
    return {**lists}  # A copy: the tag adds to it, and the lists are shared (counts.py).

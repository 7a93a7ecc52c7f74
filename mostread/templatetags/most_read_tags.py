from django import template

from mostread.counts import most_read_lists

register = template.Library()


@register.inclusion_tag("mostread/tags/most_read.html")
def most_read():
    """The "Most read" box: today's and this week's most read stories, left out while empty.

    Its own tag, so only pages that show it ask for the lists (cached: see counts.py).
    """
    return most_read_lists()

from django import template

from mostread.counts import most_read_lists

register = template.Library()


@register.inclusion_tag("mostread/tags/most_read.html")
def most_read():
    """The "Most read" box: today's and this week's most read stories, left out while empty.

    Its own tag, so only pages that show it ask for the lists (cached: see counts.py).
    """
    return most_read_lists()


@register.inclusion_tag("mostread/tags/beacon.html")
def most_read_beacon(article):
    """The script that counts a reading of `article` once the page has loaded (counts.py);
    nothing for a story readers cannot see (a preview). The story page shows it through this
    tag, so that articles never names most read's address."""
    return {"article": article}

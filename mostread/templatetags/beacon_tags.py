from django import template

register = template.Library()


@register.inclusion_tag("mostread/tags/beacon.html")
def most_read_beacon(article):
    """The script that counts a reading of `article` once the page has loaded (counts.py);
    nothing for a story readers cannot see (a preview). The story page shows it through this
    tag, as it shows comments through {% comments_for %}, so that articles never names most
    read's address."""
    return {"article": article}

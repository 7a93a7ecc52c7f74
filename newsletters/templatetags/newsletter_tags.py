from django import template

register = template.Library()


@register.inclusion_tag("newsletters/tags/signup.html")
def newsletter_signup():
    """The sign-up form: no query, nothing per reader, so the page stays cacheable (one per
    page: after the story on a story's page, else in the footer)."""
    return {}

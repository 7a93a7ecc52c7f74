"""Rich text from editors, made safe to show: an allow-list of tags and attributes (nh3).

The list matches what the admin's prose editor produces (see `images/body_images.py:BODY_EDITOR`),
plus `b`, `i` and `h4`, which older or pasted HTML may hold.
"""

import nh3

ALLOWED_TAGS = {
    "p", "br", "hr",
    "h2", "h3", "h4",
    "strong", "em", "b", "i", "sub", "sup",
    "a",
    "ul", "ol", "li",
    "blockquote",
    "figure", "figcaption", "img",
}  # fmt: skip

ALLOWED_ATTRIBUTES = {
    # Without this empty entry nh3 keeps its default `title` and `lang` on every tag.
    "*": set(),
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start"},
}

# Relative URLs (links within the site) pass through; any other scheme is removed.
URL_SCHEMES = {"http", "https", "mailto"}

# Dropped with everything inside them, rather than left behind as stray text.
DROPPED_WITH_CONTENT = {
    "script", "style", "template", "noscript", "iframe", "object",
    "svg", "math", "textarea", "select", "title",
}  # fmt: skip

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags=DROPPED_WITH_CONTENT,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    link_rel="noopener noreferrer",
    strip_comments=True,
)


def sanitize_html(html):
    """Keep only the allowed tags, attributes and URL schemes. Safe to apply twice."""
    return _cleaner.clean(html)

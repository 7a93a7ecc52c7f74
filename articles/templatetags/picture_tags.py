from django import template
from django.utils.html import format_html, format_html_join

from articles.images import fallback_rendition, rendition_names

register = template.Library()


@register.simple_tag
def picture(article, sizes="100vw", alt=None, loading="lazy", fetchpriority=None):
    """A story's featured image as <picture>: WebP renditions, and one JPEG or PNG rendition
    for browsers without WebP.

    `sizes` tells the browser how wide the image is shown; `alt` overrides the article's alt
    text (alt="" for a picture beside a linked headline that says the same). Rendition URLs
    follow from the image's name and stored width, without asking the storage whether the
    files exist: `regenerate_renditions` makes any that are missing.

        {% picture article sizes="(min-width: 42rem) 40rem, 100vw" loading="eager" %}
    """
    image = article.featured_image
    if not image:
        return ""
    width, height = article.featured_image_width, article.featured_image_height
    renditions = rendition_names(image.name, width)
    img = {
        "src": image.url,
        "width": width,
        "height": height,
        "alt": article.featured_image_alt if alt is None else alt,
        "loading": loading,
        "fetchpriority": fetchpriority,
        "decoding": "async",
    }
    if not renditions:
        # Dimensions unknown, so no renditions to name: the original will do.
        return format_html("<img{}>", _attributes(img))

    url = image.storage.url
    webp_srcset = ", ".join(f"{url(webp)} {w}w" for w, webp, _ in renditions)
    # Every browser that chooses among widths reads WebP too (Safari since 14, 2020): the
    # fallback is one JPEG or PNG, not a second list of widths on every page that shows it.
    img["src"] = url(fallback_rendition(image.name, width)[1])
    return format_html(
        '<picture><source type="image/webp"{}><img{}></picture>',
        _attributes({"srcset": webp_srcset, "sizes": sizes}),
        _attributes(img),
    )


def _attributes(attrs):
    """name="value" pairs, escaped, in the given order; None leaves an attribute out."""
    return format_html_join(
        "", ' {}="{}"', ((name, value) for name, value in attrs.items() if value is not None)
    )

from django import template

from images.pictures import picture as image_picture

register = template.Library()


@register.simple_tag
def picture(article, sizes="100vw", alt=None, loading="lazy", fetchpriority=None):
    """A story's featured image as <picture> (images/pictures.py): WebP renditions, and one
    JPEG or PNG rendition for browsers without WebP.

    `sizes` tells the browser how wide the image is shown; `alt` overrides the article's alt
    text (alt="" for a picture beside a linked headline that says the same).

        {% picture article sizes="(min-width: 42rem) 40rem, 100vw" loading="eager" %}
    """
    if not article.featured_image:
        return ""
    return image_picture(
        article.featured_image,
        article.featured_image_width,
        article.featured_image_height,
        article.featured_image_alt if alt is None else alt,
        sizes,
        loading=loading,
        fetchpriority=fetchpriority,
    )

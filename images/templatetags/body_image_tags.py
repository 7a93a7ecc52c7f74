from django import template
from django.utils.safestring import mark_safe

from images.body_images import body_pictures as rewrite

register = template.Library()


@register.filter
def body_pictures(body):
    """Body HTML (a story's, the About text), with our own body images as <picture>
    renditions: {{ article.body|body_pictures }}."""
    # Sanitised by its model's save (articles/html.py); the rewrite escapes what it writes.
    return mark_safe(rewrite(body))

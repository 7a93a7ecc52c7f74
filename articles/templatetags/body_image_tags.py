from django import template
from django.utils.safestring import mark_safe

from articles.body_images import body_pictures as rewrite

register = template.Library()


@register.filter
def body_pictures(body):
    """A story's body, sanitised on save (Article.save), with our own body images as
    <picture> renditions: {{ article.body|body_pictures }}."""
    # Sanitised on save; the rewrite escapes what it writes.
    return mark_safe(rewrite(body))

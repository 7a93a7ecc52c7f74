"""What readers see changed: raise the page cache's generation (see page_cache.py)."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from taggit.models import Tag, TaggedItem

from .models import About, Article, Author, Byline, Category, Correction
from .page_cache import content_changed

SHOWN_TO_READERS = (Article, Category, About, Author, Byline, Correction, Tag, TaggedItem)


@receiver(post_save)
@receiver(post_delete)
def model_changed(sender, using, **kwargs):
    if sender in SHOWN_TO_READERS:
        content_changed(using)


@receiver(m2m_changed, sender=Article.tags.through)
def tags_changed(sender, action, using, **kwargs):
    if action.startswith("post_"):
        content_changed(using)

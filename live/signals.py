"""A live story's own row changed: what open pages are told about it is worked out again."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from articles.models import Article

from . import stream


@receiver(post_save, sender=Article)
@receiver(post_delete, sender=Article)
def story_changed(sender, instance, using=None, **kwargs):
    """Taken down, deleted, rescheduled: once committed, the stream's state (which says whether
    readers may see it) is built again from the database, before any page asks: nothing of a
    story readers may no longer see is served from the cache."""
    if instance.live_since is not None:
        pk = instance.pk
        transaction.on_commit(lambda: stream.build(pk), using=using)

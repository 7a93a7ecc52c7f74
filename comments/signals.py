"""A comment readers can see changed: raise its story's comments tag in the page cache."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from articles import cache_tags
from pagecache.generations import tags_changed

from .models import Comment


@receiver(post_save, sender=Comment)
@receiver(post_delete, sender=Comment)
def comment_changed(sender, instance, using, **kwargs):
    # A new comment waiting for a moderator changes no page; one published or withdrawn
    # changes its story's page and comments pages (which carry its comments tag), and only those.
    if instance.status == Comment.Status.APPROVED or not kwargs.get("created", False):
        # One withdrawn (rejected, deleted) must not be served from a stale copy for a moment.
        shown = instance.status == Comment.Status.APPROVED and kwargs["signal"] is post_save
        tags_changed(cache_tags.comments(instance.article), using=using, stale_ok=shown)

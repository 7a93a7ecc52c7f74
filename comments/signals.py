"""A comment readers can see changed: raise the page cache's generation."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from pagecache.generations import page_changed

from .models import Comment, pages_of


@receiver(post_save, sender=Comment)
@receiver(post_delete, sender=Comment)
def comment_changed(sender, instance, using, **kwargs):
    # A new comment waiting for a moderator changes no page; one published or withdrawn
    # changes its story's page and comments pages, and only those.
    if instance.status == Comment.Status.APPROVED or not kwargs.get("created", False):
        # One withdrawn (rejected, deleted) must not be served from a stale copy for a moment.
        shown = instance.status == Comment.Status.APPROVED and kwargs["signal"] is post_save
        for page in pages_of(instance.article):
            page_changed(page, using, stale_ok=shown)

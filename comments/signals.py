"""A comment readers can see changed: raise the page cache's generation."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from pagecache.generations import page_changed

from .models import Comment


@receiver(post_save, sender=Comment)
@receiver(post_delete, sender=Comment)
def comment_changed(sender, instance, using, **kwargs):
    # A new comment waiting for a moderator changes no page; one published or withdrawn
    # changes its story's page, and only that one.
    if instance.status == Comment.Status.APPROVED or not kwargs.get("created", False):
        page_changed(instance.article.get_absolute_url(), using)

"""What readers see changed: raise the page cache's generation (see page_cache.py).

Only changes readers could see: a writer saving a draft over and over (with its bylines,
corrections and tags) must not empty the whole page cache each time. A story counts when it is
published or scheduled now (a scheduled one moves "next due") or was public before the save.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from taggit.models import Tag, TaggedItem

from .models import About, Article, Author, Byline, Category, Correction
from .page_cache import content_changed

SHOWN_TO_READERS = (Category, About, Author)


def is_or_was_shown(article):
    return article.status == Article.Status.PUBLISHED or article.was_public


def _tagged_story_shown(tagged_item):
    if tagged_item.content_type_id != ContentType.objects.get_for_model(Article).pk:
        return True  # Not a story's tag: no rule to tell, so assume readers see it.
    stories = Article.objects.filter(pk=tagged_item.object_id, status=Article.Status.PUBLISHED)
    return stories.exists()


def _shown(sender, instance, created):
    if sender in SHOWN_TO_READERS:
        return True
    if sender is Article:
        return is_or_was_shown(instance)
    if sender in (Byline, Correction):
        return is_or_was_shown(instance.article)
    if sender is TaggedItem:
        return _tagged_story_shown(instance)
    if sender is Tag:
        return not created  # A new tag is on no published story yet: TaggedItem tells.
    return False


@receiver(post_save)
@receiver(post_delete)
def model_changed(sender, instance, using, created=False, **kwargs):
    if _shown(sender, instance, created):
        content_changed(using)


@receiver(m2m_changed, sender=Article.tags.through)
def tags_changed(sender, instance, action, reverse, using, **kwargs):
    if not action.startswith("post_"):
        return
    if reverse or is_or_was_shown(instance):  # reverse: a tag's stories changed, whichever.
        content_changed(using)

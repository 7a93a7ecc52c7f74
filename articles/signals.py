"""A story's side effects beyond its own row, in one place.

- its search vector: title, standfirst, body and tags (PostgreSQL full-text search);
- its old address, when the slug of a published story changes (articles/redirects.py);
- renditions of a new featured image;
- the page cache, told that what readers see changed (pagecache/generations.py), and through it
  the CDN or Varnish in front.

Each is run once per change however many rows the change touches. A change made inside
`collected()` (the admin wraps each save, revert and bulk action in one) has its effects
collected while it is made, by database connection, and run once when the outermost block ends,
still inside its transaction: one admin save of a story with new tags, bylines and corrections
writes the search vector once and raises the page cache's generation once. A change made
outside one (a script, the shell, a test) is a change of its own: its effects run at once.

Raising the generation once means one content_changed(): the page cache raises the number
then, and again when the transaction commits (a reader between the two would otherwise cache
the old content under the new number). Renditions wait for the commit too: an image is resized
only once the story holding it is stored for good, and a failed resize must not undo the save.

A story edited in place (public before and after, on the same lists: Article.edited_in_place)
raises only its own tags (articles/cache_tags.edited): only the pages that show it are made
again, which is what lets a page cache keep serving while a breaking story is saved every few
seconds. Anything else readers see (a story published, moved to another section, retagged;
a section renamed, About edited, a byline or correction) raises the whole generation: it changes
lists and counts that every page shows (Top Categories, the archive's months).

Only changes readers could see reach the page cache: a writer saving a draft over and over
(with its bylines, corrections and tags) must not empty the whole page cache each time. A story
counts when it is published or scheduled now (a scheduled one moves "next due") or was public
before the save. A change that takes something away from readers (a public story unpublished
or deleted, anything they saw deleted) tells it with stale_ok=False: no copy of a page made
before it is served again, not even while the page is rendered anew.
"""

from contextlib import contextmanager
from functools import partial

from asgiref.local import Local
from django.contrib.contenttypes.models import ContentType
from django.db import router, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from taggit.models import Tag, TaggedItem

from images.processing import generate_renditions
from pagecache.generations import content_changed, tags_changed

from . import cache_tags
from .models import About, Article, Author, Byline, Category, Correction

SHOWN_TO_READERS = (Category, About, Author)


class Changes:
    """What one change has done so far that needs an effect beyond its rows."""

    def __init__(self):
        self.shown = False  # Readers could see it: the page cache must be told.
        self.edited = set()  # Tags of stories edited in place: only pages showing them changed.
        self.taken_away = False  # Readers could see something that is gone: no stale page.
        self.stories = set()  # Stories whose search vector is to be written again.
        self.images = {}  # Featured images to make renditions of, by file name.

    def run(self, using):
        if self.stories:
            stories = Article.objects.using(using).filter(pk__in=self.stories)
            stories.update_search_vector()  # One UPDATE for them all.
        for image in self.images.values():
            # robust: a failed resize is logged; it must not fail the editor's request.
            transaction.on_commit(partial(generate_renditions, image), using=using, robust=True)
        if self.shown:
            content_changed(using, stale_ok=not self.taken_away)
        elif self.edited:
            tags_changed(*self.edited, using=using)


# The changes being collected, {database alias: Changes}, per thread: as Django's connections.
_collecting = Local()


def _open_changes():
    if not hasattr(_collecting, "changes"):
        _collecting.changes = {}
    return _collecting.changes


@contextmanager
def collected(using=None):
    """A transaction whose changes to stories have their side effects run once, at its end
    (still inside it). Nested blocks join the outermost one. An error discards what was
    collected with the rest of the transaction; what a savepoint rolled back inside it had
    recorded is kept, which is safe: every effect reads the stored state when it runs."""
    using = using or router.db_for_write(Article)
    open_changes = _open_changes()
    if using in open_changes:  # Part of a change already being collected.
        with transaction.atomic(using=using):
            yield
        return
    open_changes[using] = changes = Changes()
    try:
        with transaction.atomic(using=using):
            yield
            del open_changes[using]  # Whatever the effects themselves save is a change of its own.
            changes.run(using)
    finally:
        open_changes.pop(using, None)


def _record(using, *, shown=False, edited=(), stories=(), image=None, taken_away=False):
    changes = _open_changes().get(using)
    at_once = changes is None
    if at_once:
        changes = Changes()
    changes.shown |= shown or taken_away
    changes.taken_away |= taken_away
    changes.edited.update(edited)
    changes.stories.update(stories)
    if image is not None:
        changes.images[image.name] = image
    if at_once:
        changes.run(using)


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
    if sender in (Byline, Correction):
        return is_or_was_shown(instance.article)
    if sender is TaggedItem:
        return _tagged_story_shown(instance)
    if sender is Tag:
        return not created  # A new tag is on no published story yet: TaggedItem tells.
    return False


@receiver(post_save, sender=Article)
def story_saved(sender, instance, using, raw=False, **kwargs):
    if raw:  # Loaded as it was stored (loaddata, import_site): shown, nothing to derive.
        _record(using, shown=is_or_was_shown(instance))
        return
    saved = getattr(instance, "_saved", {})  # The stored state before this save.
    instance._keep_old_address(saved)  # In the transaction: the old link never breaks.
    image = instance.featured_image
    new_image = image and image.name != saved.get("featured_image")
    in_place = instance.edited_in_place
    _record(
        using,
        shown=is_or_was_shown(instance) and not in_place,
        edited=cache_tags.edited(instance, saved) if in_place else (),
        stories=[instance.pk],
        image=image if new_image else None,
        taken_away=instance.was_public and not instance.is_public,
    )


@receiver(post_delete, sender=Article)
def story_deleted(sender, instance, using, **kwargs):
    if is_or_was_shown(instance):
        _record(using, taken_away=True)


@receiver(post_save)
@receiver(post_delete)
def model_changed(sender, instance, using, created=False, **kwargs):
    """Anything else readers see: sections, About, authors, bylines, corrections, tags."""
    if _shown(sender, instance, created):
        _record(using, shown=True, taken_away=kwargs.get("signal") is post_delete)


@receiver(m2m_changed, sender=Article.tags.through)
def story_tags_changed(sender, instance, action, reverse, using, pk_set=None, **kwargs):
    # The admin sets a story's tags on every save: taggit then adds none (an empty pk_set).
    if not action.startswith("post_") or (action != "post_clear" and not pk_set):
        return
    if reverse:  # A tag's stories changed, whichever they are.
        _record(using, shown=True, stories=pk_set or ())
    else:  # Tags are searchable: the story's vector is written again.
        _record(using, shown=is_or_was_shown(instance), stories=[instance.pk])

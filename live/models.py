"""A live story's entries, and the numbered log of changes readers' pages follow.

The story itself says whether coverage runs (Article.live_since / live_until, on the story so
that every card knows it without a query). Every post, edit, pin and delete of an entry, and
coverage starting or ending, is one LiveChange row: its id is the story's new *version*, which
open pages poll for (stream.py), and the rows after a page's version tell it which entries to
fetch again or remove. A deleted entry is really deleted: only its id stays in the log.
"""

import html
import re

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator

from articles.html import sanitize_html
from articles.models import Article

# Tags that end a word: "end.</p><p>Next" is two words, "<em>easing</em>." one.
BLOCK_TAGS = re.compile(r"</?(?:p|br|hr|li|ul|ol|h[1-6]|blockquote|figure|figcaption|img)\b[^>]*>")


def plain_text(body):
    """An entry's text without its markup, on one line: for feeds' titles and JSON-LD."""
    return " ".join(html.unescape(strip_tags(BLOCK_TAGS.sub(" ", body))).split())


class LiveEntryQuerySet(models.QuerySet):
    def in_stream_order(self):
        """As readers see them: pinned entries first, then the newest first."""
        return self.order_by("-is_pinned", "-posted_at", "-pk")


class LiveEntry(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="live_entries")
    posted_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was last edited after posting: readers see it."
    )
    headline = models.CharField(
        max_length=200, blank=True, help_text="Optional: a few words, bold above the text."
    )
    body = models.TextField(help_text="Cleaned of scripts and styles on save, as story bodies.")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    is_key_event = models.BooleanField(
        "key event", default=False, help_text="Listed in the summary at the top of the story."
    )
    is_pinned = models.BooleanField(
        "pinned", default=False, help_text="Stays first in the stream until unpinned."
    )

    objects = LiveEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-is_pinned", "-posted_at", "-pk"]
        verbose_name = "live entry"
        verbose_name_plural = "live entries"
        indexes = [models.Index(fields=["article", "-posted_at"], name="live_entry_stream_idx")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = sanitize_html(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#{self.anchor}"

    @property
    def title(self):
        """Its headline, else the start of its text: what a feed, JSON-LD and a share say."""
        return self.headline or Truncator(plain_text(self.body)).chars(80) or f"Update {self.pk}"

    @property
    def anchor(self):
        return f"update-{self.pk}"


class LiveChange(models.Model):
    """One change of a live story's stream; its id is the stream's version after it."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    # The entry posted, edited, pinned or deleted; None for coverage starting or ending.
    entry_id = models.PositiveBigIntegerField(null=True, blank=True)
    made_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["article", "-id"], name="live_change_story_idx")]

    def __str__(self):
        return f"Version {self.pk} of story {self.article_id}"

    @classmethod
    def record(cls, article_id, entry_id=None):
        """Log a change of the story's stream, mark the story revised (its dateModified, its
        Last-Modified, its cards' keys) and, once committed, tell open pages and the page cache
        (stream.changed)."""
        from . import stream

        now = timezone.now()
        change = cls.objects.create(article_id=article_id, entry_id=entry_id, made_at=now)
        # An update, not a save: the story's own history and optimistic lock are the
        # editors' form's, and nothing else of the story changed.
        Article.objects.filter(pk=article_id).update(updated_at=now)
        # "Updated" is for readers: only a public story's revision is theirs to be told of.
        Article.objects.filter(Article.public_q(now), pk=article_id).update(revised_at=now)
        transaction.on_commit(lambda: stream.changed(article_id))
        return change

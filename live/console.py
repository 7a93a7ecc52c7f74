"""The posting screen of a live story (/admin/live/liveentry/story/<id>/): one box and a Post
button (Ctrl+Enter, static/live/console.js), the stream below as readers see it, and each entry's
Edit, Pin, Key event and Delete. Every action is a plain form, so it works without JavaScript,
and is one request, answered with a redirect back here.

Who may use it is the story change form's rule (ArticleAdmin.has_change_permission): a story
someone may not open in the admin is not found; one they may open but not change is a 403.
Every change goes through LiveChange.record(), which tells open pages and the page cache.
"""

import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from articles.models import Article

from . import stream
from .forms import LiveEntryForm
from .models import LiveChange, LiveEntry

ID = re.compile(r"[1-9][0-9]{0,17}")
# Actions on one entry: what they set, and how the message says it.
TOGGLES = {
    "pin": ({"is_pinned": True}, "pinned"),
    "unpin": ({"is_pinned": False}, "unpinned"),
    "key": ({"is_key_event": True}, "marked as a key event"),
    "unkey": ({"is_key_event": False}, "no longer a key event"),
}


def console_url(article):
    return reverse("admin:live_liveentry_console", args=[article.pk])


def story_for(request, pk):
    article = get_object_or_404(Article.objects.visible_to(request.user), pk=pk)
    if not article.can_be_changed_by(request.user):
        raise PermissionDenied
    return article


def view(request, model_admin, pk):
    article = story_for(request, pk)
    editing = None
    edit = request.POST.get("entry") or request.GET.get("edit") or ""
    if edit:
        if not ID.fullmatch(edit):
            return HttpResponseBadRequest("Say which update.")
        editing = get_object_or_404(LiveEntry, pk=edit, article=article)
    form = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action in ("start", "end"):
            return coverage(request, article, action)
        if not article.is_live:
            messages.error(request, "Coverage is not running: start it to post or change updates.")
            return HttpResponseRedirect(console_url(article))
        if action == "post":
            form = LiveEntryForm(request.POST, instance=editing)
            if form.is_valid():
                return save(request, article, form, editing)
        elif editing is not None and action == "delete":
            with transaction.atomic():
                entry_id = editing.pk
                editing.delete()
                LiveChange.record(article.pk, entry_id)
            messages.success(request, "The update was deleted from the page and the feed.")
            return HttpResponseRedirect(console_url(article))
        elif editing is not None and action in TOGGLES:
            values, verb = TOGGLES[action]
            with transaction.atomic():
                LiveEntry.objects.filter(pk=editing.pk).update(**values)
                LiveChange.record(article.pk, editing.pk)
            messages.success(request, f"The update was {verb}.")
            return HttpResponseRedirect(console_url(article))
        else:
            return HttpResponseBadRequest("Unknown action.")
    if form is None:
        form = LiveEntryForm(instance=editing)
    found = stream.state(article.pk) if article.live_since else None
    entries = []
    if found:
        by_id = {entry.pk: entry for entry in article.live_entries.all()}
        # Drawn by our templates (stream.py), kept as plain strings by the cache.
        entries = [
            (by_id[pk], mark_safe(found["html"][pk])) for pk in found["order"] if pk in by_id
        ]
    return render(
        request,
        "admin/live/console.html",
        {
            **model_admin.admin_site.each_context(request),
            "opts": LiveEntry._meta,
            "title": f"Live coverage: {article.title}",
            "article": article,
            "form": form,
            "editing": editing,
            "entries": entries,
            "media": model_admin.media + form.media,
        },
        status=400 if form.errors else 200,
    )


def save(request, article, form, editing):
    entry = form.save(commit=False)
    with transaction.atomic():
        if editing is None:
            entry.article = article
            entry.author = request.user
            entry.posted_at = timezone.now()
        else:
            entry.updated_at = timezone.now()
        entry.save()
        LiveChange.record(article.pk, entry.pk)
    messages.success(request, "Posted." if editing is None else "The update was changed.")
    return HttpResponseRedirect(console_url(article))


def coverage(request, article, action):
    """Start (or resume) and end live coverage: the story's own columns, saved as a change of
    the story (its history, its cards' Live badge), and a new version for open pages."""
    now = timezone.now()
    with transaction.atomic():
        if action == "start":
            article.live_since = article.live_since or now
            article.live_until = None
        else:
            if not article.is_live:
                return HttpResponseRedirect(console_url(article))
            article.live_until = now
        article.save(update_fields=["live_since", "live_until", "updated_at"])
        LiveChange.record(article.pk)
    text = "Live coverage is running." if action == "start" else "Live coverage ended: frozen."
    messages.success(request, text)
    return HttpResponseRedirect(console_url(article))

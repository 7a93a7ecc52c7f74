"""What open pages follow: a live story's stream, kept in the cache so that readers cost no query.

For each live story the cache holds (STATE_SECONDS, rebuilt from the database when lost):
- `live:version:<id>`: (version, running, public from, the JSON of the changes from INLINE
  versions back): all that the poll (polls.py) reads, ~1 s apart from every open page;
- `live:state:<id>`: the version, the recent log of changes (LiveChange ids and the entry each
  touched), the stream's order, which entries are pinned, each entry's drawn HTML by key, and
  the key events' summary drawn;
- the changes from one version to the newest, as the pages get them (keep_changes);
- each entry's HTML under a key made of everything it shows (entry_key), like the story cards
  (articles/fragments.py), in the `pages` cache: an edit is a new key, nothing is purged.

A change (models.LiveChange.record) rebuilds the state once committed (changed()), which draws
only the entries whose key is new, and raises the story's page-cache tag, so that the cached
story page (and the front page, when it is the lead) is made again with every entry, its new
dateModified and JSON-LD. A page older than the log (a laptop woken after hours) is told to
reload the stream instead.
"""

import hashlib
import json

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone

from articles import cache_tags
from articles.fragments import templates_version
from articles.models import Article
from pagecache.generations import pages_cache, tags_changed

from .models import LiveChange, LiveEntry
from .polls import changes_key, version_key

STATE_SECONDS = 24 * 60 * 60
# With a cache of its own in each process (no REDIS_URL: development, or a deploy the
# newsroom.W001 check warns about), a process that did not handle a post learns of it only from
# the database: the state is kept there this long.
LOCAL_STATE_SECONDS = 2
# How many changes a page may be behind and still be brought up to date entry by entry.
LOG_KEPT = 500
# Key events listed in the summary at the top of the story, and under the front page's lead.
KEY_EVENTS_SHOWN = 8
NOT_FOUND = (0, False, None, None)
# The poll's answer carries the changes from this many versions back to the newest: a page up
# to this far behind (after a post, nearly every page is one behind) needs no second request.
# Each version adds at most one entry's HTML to every new version's answer.
INLINE = 3


def state_key(article_id):
    return f"live:state:{article_id}"


def state_seconds():
    shared = not settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")
    return STATE_SECONDS if shared else LOCAL_STATE_SECONDS


def entry_key(entry):
    """The cache key of an entry's HTML: a new key whenever anything it shows changes."""
    shown = (
        entry.pk,
        entry.headline,
        entry.body,
        entry.posted_at.isoformat(),
        entry.updated_at and entry.updated_at.isoformat(),
        entry.is_key_event,
        entry.is_pinned,
        author_name(entry),
        entry.article_id,
        timezone.get_current_timezone_name(),
        templates_version(),
    )
    return f"live:entry:{entry.pk}:{hashlib.sha256(repr(shown).encode()).hexdigest()[:24]}"


def author_name(entry):
    author = entry.author
    return (author.get_full_name() or author.get_username()) if author else ""


def draw_entries(entries):
    """{entry id: (key, HTML)}: from the cache where drawn before (one read), else drawn now
    and kept (one write)."""
    keys = {entry.pk: entry_key(entry) for entry in entries}
    store = pages_cache()
    found = store.get_many(list(keys.values()))
    drawn = {}
    for entry in entries:
        key = keys[entry.pk]
        if key not in found:
            drawn[key] = render_to_string(
                "live/entry.html", {"entry": entry, "author": author_name(entry)}
            ).strip()
    if drawn:
        store.set_many(drawn, STATE_SECONDS)
    html = {**found, **drawn}
    return {pk: (key, html[key]) for pk, key in keys.items()}


def build(article_id):
    """Read the story's stream from the database, draw what is new and keep it: the state."""
    article = (
        Article.objects.filter(pk=article_id)
        .only("title", "slug", "published_at", "status", "live_since", "live_until")
        .first()
    )
    if article is None or article.live_since is None:
        cache.set(version_key(article_id), NOT_FOUND, state_seconds())
        return None
    entries = list(
        LiveEntry.objects.filter(article_id=article_id).select_related("author").in_stream_order()
    )
    for entry in entries:
        entry.article = article  # Their addresses are the story's: no query each.
    log = list(
        LiveChange.objects.filter(article_id=article_id)
        .order_by("-id")
        .values_list("id", "entry_id")[:LOG_KEPT]
    )[::-1]
    drawn = draw_entries(entries)
    key_events = [entry for entry in entries if entry.is_key_event]
    key_events.sort(key=lambda entry: entry.posted_at, reverse=True)
    public_from = article.published_at if article.status == Article.Status.PUBLISHED else None
    state = {
        "version": log[-1][0] if log else 0,
        # A page at an older version than this cannot be told entry by entry what changed.
        "oldest": log[0][0] - 1 if len(log) == LOG_KEPT else 0,
        "log": log,
        "running": article.is_live,
        "public_from": public_from,
        "ended_at": article.live_until,
        "order": [entry.pk for entry in entries],
        "pinned": [entry.pk for entry in entries if entry.is_pinned],
        "keys": {pk: key for pk, (key, _) in drawn.items()},
        "summary": render_to_string(
            "live/key_events.html", {"entries": key_events[:KEY_EVENTS_SHOWN]}
        ).strip(),
    }
    # Two rebuilds at once (two quick posts): the newer version is never overwritten.
    html = {pk: html for pk, (_, html) in drawn.items()}
    drawn_html = {key: text for key, text in drawn.values()}
    poll = (state["version"], state["running"], public_from, inline_changes(state, drawn_html))
    current = cache.get(version_key(article_id))
    if current and current[0] > state["version"]:
        return {**state, "html": html, "poll": poll}
    cache.set(state_key(article_id), state, state_seconds())
    if len(log) >= 2:
        # Pages whose script came before the changes were inline ask this, all at once.
        since = log[-2][0]
        body = encode(changes_from(state, since, drawn_html))
        keep_changes(article_id, since, state["version"], body)
    cache.set(version_key(article_id), poll, state_seconds())
    return {**state, "html": html, "poll": poll}


def inline_changes(state, html):
    """The JSON of the changes from INLINE versions back to the newest, with their "since":
    the same for every page, so shared-cacheable. A page nearer than that is told of a few
    entries it already shows again, with their current HTML: applying them changes nothing."""
    log = state["log"]
    if not log:
        return None
    since = log[-INLINE - 1][0] if len(log) > INLINE else state["oldest"]
    return encode({**changes_from(state, since, html), "since": since})


def changed(article_id):
    """After a committed change: the new state for open pages, a new copy of the story's
    pages (cached copies carry the story's tag: the story page, the front page if it leads,
    lists showing its card). An entry gone is gone at once: no stale copy is served."""
    build(article_id)
    tags_changed(cache_tags.story_id(article_id), stale_ok=False)


def version(article_id):
    """(version, running, public from, the inline changes' JSON) of the story's stream, from
    the cache: no query, except once after the cache lost it."""
    found = cache.get(version_key(article_id))
    if found is None:
        built = build(article_id)
        return NOT_FOUND if built is None else built["poll"]
    return found


def encode(changes):
    """changes_since()'s answer as the JSON the pages get."""
    return json.dumps(changes, separators=(",", ":")).encode()


def keep_changes(article_id, since, to, body):
    """Keep the JSON of the changes from version `since` to `to` (the newest) for every page
    that asks the same (polls.py answers them from here). They never change: a later change
    is another `to`."""
    cache.set(changes_key(article_id, since, to), body, STATE_SECONDS)


def state(article_id):
    """The stream's state with every entry's HTML (`html`), for drawing the whole stream."""
    found = cache.get(state_key(article_id))
    if found is None:
        return build(article_id)
    html = pages_cache().get_many(list(found["keys"].values()))
    if len(html) < len(set(found["keys"].values())):  # Evicted: draw them again.
        return build(article_id)
    found["html"] = {pk: html[key] for pk, key in found["keys"].items()}
    return found


def changes_since(article_id, since, _again=True):
    """What a page at version `since` needs, as JSON-ready data (changes_from), with the
    entries' HTML from the cache. None when the story has no stream."""
    found = cache.get(state_key(article_id)) or build(article_id)
    if found is None:
        return None
    keys = [found["keys"][pk] for pk in touched(found, since) if pk in found["keys"]]
    html = pages_cache().get_many(keys)
    if len(html) < len(set(keys)) and _again:  # Evicted: draw them again.
        build(article_id)
        return changes_since(article_id, since, _again=False)
    return changes_from(found, since, html)


def touched(found, since):
    """The ids of the entries posted, edited or deleted after version `since`, in order."""
    ids = dict.fromkeys(entry_id for version, entry_id in found["log"] if version > since)
    ids.pop(None, None)  # Coverage started or ended: no entry.
    return list(ids)


def changes_from(found, since, html):
    """From the state `found` and entries' HTML by key: the entries added or edited since
    version `since` (their HTML), the ids deleted since, the pinned ones in order, the
    summary; or {"reload": true} when `since` is older than the log."""
    answer = {
        "version": found["version"],
        "running": found["running"],
        "pinned": found["pinned"],
        "summary": found["summary"],
    }
    if since < found["oldest"]:
        return {**answer, "reload": True}
    ids = touched(found, since)
    keys = {pk: found["keys"][pk] for pk in ids if pk in found["keys"]}
    return {
        **answer,
        "entries": [{"id": pk, "html": html[key]} for pk, key in keys.items() if key in html],
        "deleted": [pk for pk in ids if pk not in found["keys"]],
    }

"""Most read: readings counted by a beacon in the cache, added to ArticleView in batches.

Article pages load static/js/beacon.js, which POSTs to views.hit once per reading. Counting there,
not in the article view, counts pages served from a cache or a CDN as well; readers without
JavaScript are not counted, which is acceptable for a ranking. A hit adds one to a counter per
story and hour in Django's cache and writes nothing to the database; every MOST_READ_FLUSH_EVERY
hits or MOST_READ_FLUSH_SECONDS, whichever comes first, one request adds the waiting counts to
ArticleView in one statement (`manage.py flush_view_counts` does it on demand).

A reader counts once per story per hour, however often their browser posts: a reader is their
address and browser (User-Agent), kept only as a hash keyed with SECRET_KEY until the hour ends,
and one address counts as at most READERS_PER_ADDRESS readers of a story an hour. No cookie is
set and nothing about the reader is stored in clear.

With the local-memory cache each server process counts and flushes its own hits; with a shared
cache (Redis) they all share one set of counters.
"""

import math
import time
from contextlib import suppress
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.crypto import salted_hmac

from articles import cache_tags
from articles.models import Article
from client_address import bucket, parse_ip
from pagecache.generations import content_generation, request_tag_versions

from .models import ArticleView

# Counts older than this that were never flushed (no flush for a day) are given up.
KEEP = timedelta(hours=25)
# A flush that takes longer than this (a stuck process) no longer keeps others waiting.
LOCK_SECONDS = 60
TOP = 5
# A household or an office reading through one address; a script that changes its User-Agent on
# every post is still one address. IPv6 addresses count by /64, what one subscriber is given.
READERS_PER_ADDRESS = 5
WINDOWS = {"today": timedelta(hours=24), "week": timedelta(days=7)}

UNFLUSHED_KEY = "most-read:unflushed"
PERIOD_KEY = "most-read:period"
LOCK_KEY = "most-read:flushing"


def flush_every():
    return getattr(settings, "MOST_READ_FLUSH_EVERY", 50)


def flush_seconds():
    return getattr(settings, "MOST_READ_FLUSH_SECONDS", 60)


def _hour(moment):
    return moment.replace(minute=0, second=0, microsecond=0)


# Per hour: a counter per story read, numbered slots naming those stories (so a flush can find
# them without listing keys, which the cache API cannot do), and how many slots there are.
def _counter_key(hour, article_id):
    return f"most-read:{hour:%Y%m%d%H}:{article_id}"


def _size_key(hour):
    return f"most-read:{hour:%Y%m%d%H}:size"


def _slot_key(hour, n):
    return f"most-read:{hour:%Y%m%d%H}:slot:{n}"


def _digest(*parts):
    """A keyed hash: who read what cannot be recovered from the cache without SECRET_KEY."""
    message = "\n".join(map(str, parts))
    # The salt still names the module's old home: a new one would count readers again in the
    # hour of the deploy that moved it.
    return salted_hmac("articles.most_read.reader", message, algorithm="sha256").hexdigest()


def _network(address):
    ip = parse_ip(address)
    return bucket(None if ip is None else str(ip))


def _first_reading(reader, article_id, now):
    """Whether `reader` ((address, user agent)) has not been counted reading the story this
    hour and their address has readers left; if so, remember them until the hour ends."""
    address, agent = reader
    hour = _hour(now)
    until_next_hour = max(1, math.ceil((hour + timedelta(hours=1) - now).total_seconds()))
    per_address = (
        f"most-read:{hour:%Y%m%d%H}:address:{_digest(_network(address), article_id, hour)}"
    )
    if (cache.get(per_address) or 0) >= READERS_PER_ADDRESS:
        return False
    seen = f"most-read:{hour:%Y%m%d%H}:reader:{_digest(address, agent, article_id, hour)}"
    if not cache.add(seen, True, until_next_hour):
        return False
    _incr(per_address, until_next_hour)
    return True


def _incr(key, timeout):
    """Add one to a counter in the cache, creating it if it is missing; return the new value."""
    if cache.add(key, 1, timeout):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # Expired between add() and incr().
        cache.set(key, 1, timeout)
        return 1


def record_hit(article_id, reader=None):
    """Count one reading of a story; return False if it is not counted: not published, or not
    the first this hour of `reader` ((address, user agent); None counts every call)."""
    now = timezone.now()
    hour = _hour(now)
    key = _counter_key(hour, article_id)
    # The story's first reading this hour (in this cache): check it once an hour.
    if cache.get(key) is None and not Article.objects.published().filter(pk=article_id).exists():
        return False
    if reader is not None and not _first_reading(reader, article_id, now):
        return False
    try:
        cache.incr(key)
    except ValueError:
        if cache.add(key, 1, KEEP.total_seconds()):
            slot = _incr(_size_key(hour), KEEP.total_seconds())
            cache.set(_slot_key(hour, slot), article_id, KEEP.total_seconds())
        else:
            _incr(key, KEEP.total_seconds())  # Another request started it meanwhile.
    unflushed = _incr(UNFLUSHED_KEY, None)
    # True when no flush (and no hit) started a period in the last MOST_READ_FLUSH_SECONDS; the
    # hit that starts a period after a quiet spell waits for company rather than flush alone.
    period_over = cache.add(PERIOD_KEY, True, flush_seconds())
    if unflushed >= flush_every() or (period_over and unflushed > 1):
        flush()
    return True


def _waiting(now):
    """The counters of the last KEEP hours: {counter key: (article_id, hour, count)}, and the
    keys of each hour that has any, {hour: [keys]}."""
    hours = [_hour(now - timedelta(hours=n)) for n in range(int(KEEP.total_seconds() // 3600))]
    sizes = cache.get_many([_size_key(hour) for hour in hours])
    slots = {
        _slot_key(hour, n): hour
        for hour in hours
        for n in range(1, sizes.get(_size_key(hour), 0) + 1)
    }
    named = {
        _counter_key(slots[slot], article_id): (article_id, slots[slot])
        for slot, article_id in cache.get_many(list(slots)).items()
    }
    counts = cache.get_many(list(named))
    waiting = {key: (*named[key], count) for key, count in counts.items() if count > 0}
    keys = {hour: [_size_key(hour)] for hour in hours if _size_key(hour) in sizes}
    for slot, hour in slots.items():
        keys[hour].append(slot)
    for key, (_, hour) in named.items():
        keys[hour].append(key)
    return waiting, keys


def pending():
    """{(article_id, hour): count} waiting in this cache to be flushed."""
    waiting, _ = _waiting(timezone.now())
    return {(article_id, hour): count for article_id, hour, count in waiting.values()}


def flush(dry_run=False):
    """Add the counts waiting in the cache to ArticleView, in one transaction.

    Return {(article_id, hour): count} added (with `dry_run`, what would be), or None when
    another flush is running. Counts of stories no longer published are dropped.
    """
    if not cache.add(LOCK_KEY, True, LOCK_SECONDS):
        return None
    try:
        now = timezone.now()
        waiting, keys = _waiting(now)
        published = set(
            Article.objects.published()
            .filter(pk__in={article_id for article_id, _, _ in waiting.values()})
            .values_list("pk", flat=True)
        )
        added = {
            (article_id, hour): count
            for article_id, hour, count in waiting.values()
            if article_id in published
        }
        if dry_run:
            return added
        _add_to_counts(added)
        # Take away what was added rather than reset, so hits counted meanwhile are kept.
        for key, (_, _, count) in waiting.items():
            with suppress(ValueError):  # Expired meanwhile.
                cache.decr(key, count)
        # An hour that ended a while ago gets no more hits: forget its keys once flushed.
        ended = now - timedelta(hours=1, minutes=1)
        cache.delete_many(
            [key for hour, hour_keys in keys.items() if hour <= ended for key in hour_keys]
        )
        # Hits counted during the flush only delay the next trigger; none is lost.
        cache.set(UNFLUSHED_KEY, 0, None)
        cache.set(PERIOD_KEY, True, flush_seconds())
        return added
    finally:
        cache.delete(LOCK_KEY)


def _add_to_counts(counts, batch_size=300):
    """Add to ArticleView counts with INSERT … ON CONFLICT DO UPDATE (SQLite and PostgreSQL),
    which adds where `bulk_create(update_conflicts=True)` could only overwrite."""
    if not counts:
        return
    quote = connection.ops.quote_name
    table = quote(ArticleView._meta.db_table)
    article, hour, count = (
        quote(ArticleView._meta.get_field(name).column) for name in ("article", "hour", "count")
    )
    rows = [
        (article_id, connection.ops.adapt_datetimefield_value(at), n)
        for (article_id, at), n in sorted(counts.items())
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(rows), batch_size):
            batch = rows[start : start + batch_size]
            cursor.execute(
                f"INSERT INTO {table} ({article}, {hour}, {count}) "
                f"VALUES {', '.join(['(%s, %s, %s)'] * len(batch))} "
                f"ON CONFLICT ({article}, {hour}) "
                f"DO UPDATE SET {count} = {table}.{count} + excluded.{count}",
                [value for row in batch for value in row],
            )


def read_since(stories, since):
    """`stories` read since `since`, most read first, with their page views as `read_count`
    (hourly ArticleView rows, so the window starts at the first whole hour after `since`)."""
    return (
        stories.filter(views__hour__gte=since)
        .annotate(read_count=Sum("views__count"))
        .order_by("-read_count", "-published_at", "-id")
    )


# Each process keeps the lists it read this long (under the same key: a change readers see or
# an edited headline is a new one): nearly every page shows them, and a cache read and its
# unpickling per page was a tenth of a light page's time.
IN_PROCESS_SECONDS = 5
_lists_in_process = {}


def most_read_lists():
    """{"today": [...], "week": [...]}: the most read stories of the last 24 hours and 7 days,
    as {"pk", "title", "url"}, newest counts included up to the last flush.

    Cached for MOST_READ_CACHE_SECONDS under a key naming the hour, the content generation and
    the number of ANY_STORY, so most pages showing them run no query, a story taken down leaves
    every list at once and an edited headline shows in them at once; when not cached, one
    query for both lists.
    """
    now = timezone.now()
    edits = request_tag_versions([cache_tags.ANY_STORY])[cache_tags.ANY_STORY]
    key = f"most-read:lists:{content_generation()}:{edits}:{_hour(now):%Y%m%d%H}"
    kept = _lists_in_process.get(key)
    if kept and kept[0] > time.monotonic():
        return kept[1]
    lists = cache.get(key)
    if lists is None:
        published = Article.objects.published()
        since = {name: now - period for name, period in WINDOWS.items()}
        # Each list's top stories, chosen by a subquery, with both counts of each fetched at once.
        tops = Q()
        for start in since.values():
            tops |= Q(pk__in=read_since(published, start).values("pk")[:TOP])
        counts = {
            name: Sum("views__count", filter=Q(views__hour__gte=start))
            for name, start in since.items()
        }
        # Read through the hour index: only the week's readings, never every story.
        in_window = published.filter(tops, views__hour__gte=min(since.values()))
        stories = list(in_window.annotate(**counts).only("title", "slug", "published_at"))
        lists = {
            name: [
                {"pk": story.pk, "title": story.title, "url": story.get_absolute_url()}
                for story in sorted(
                    (story for story in stories if getattr(story, name)),
                    key=lambda story, name=name: (
                        -getattr(story, name),
                        -story.published_at.timestamp(),
                        -story.pk,
                    ),
                )[:TOP]
            ]
            for name in since
        }
        cache.set(key, lists, getattr(settings, "MOST_READ_CACHE_SECONDS", 60))
    _lists_in_process.clear()
    _lists_in_process[key] = (time.monotonic() + IN_PROCESS_SECONDS, lists)
    return lists

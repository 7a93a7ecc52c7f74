"""Generations: the number every cached page and every value kept for pages is stored under.

Any change readers could see (publishing, editing, a comment approved, About edited, a section
renamed...) raises the site's *generation*, once the change is committed (content_changed). A
value stored under an older generation is never read again, and a page stored under one is
served again only while a new copy is made, for at most PAGE_CACHE_STALE_SECONDS (middleware.py):
a change shows on every page and every app server sharing the cache (Redis) within that bound.

A change that only some pages show (one story's new headline, a comment under a story) raises
*tags* instead (tags_changed): plain strings such as "story-12" that a page records while it is
made (pages.tag) and keeps, with each tag's number, in its copy. Only the copies carrying a
raised tag go out of date; the apps above name the tags (the page cache knows no story). Every
raise is also sent, once committed, to a CDN or Varnish in front (purge.py): the tags raised, or
SITE_TAG, which every page carries, for a raise of the generation.

Some changes come by the clock alone, with no save to announce them: a scheduled story falls
due. The apps above register a source of such moments (register_expiry), asked whenever a
generation starts; the generation is good until the earliest of them, and is raised when it
passes, as if an editor had published by hand. The state of the generation, (generation, good
until), is itself kept for at most GENERATION_DATA_SECONDS: a generation whose state is lost
(expired, evicted) is raised too, since a moment may have passed unseen.

Each raise is recorded for a short while (when, and whether a copy made before it may still be
served while a new one is made): see changed_since() and PAGE_CACHE_STALE_SECONDS. A change that
takes something away from readers (a story unpublished or deleted, a comment withdrawn) is
raised with stale_ok=False: no copy made before it is ever served again, not even for a moment.
"""

import hashlib
import math
import time
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.db import transaction
from django.utils import timezone

from .purge import purge

GENERATION_KEY = "site:generation"
# The tag every page carries: what a CDN or Varnish purges when the whole generation is raised.
SITE_TAG = "site"
# (generation, the moment its content next changes by the clock, or None): one small value
# that tells whether the generation may still be used, with no query.
STATE_KEY = "site:state"
# The state and any value kept per generation (cached()) are recomputed at least this often:
# counts such as Top Categories' move only with content changes, but no entry should live
# for ever.
GENERATION_DATA_SECONDS = 60 * 60
# The cache alias of page copies (settings.CACHES); the default cache where it is not configured.
PAGES_ALIAS = "pages"

# A raise is recorded this much longer than PAGE_CACHE_STALE_SECONDS (app servers' clocks differ).
RAISES_KEPT_EXTRA_SECONDS = 5
# A copy outdated by more raises than this (a busy half minute of edits) is not served stale.
MOST_RAISES_FOLLOWED = 50

# Callables given a generation as it starts, returning the next moment (an aware datetime) at
# which what readers see changes by the clock alone, or None; see register_expiry().
_expiry_sources = []


def register_expiry(source):
    """Tell the page cache that pages change at the moment `source(generation)` returns, by
    the clock alone (a scheduled story going live): the generation is raised then.

    `source` is called whenever a generation starts (after a change, or when the last one's
    moment has passed), with that generation; it returns an aware datetime in the future, or
    None when nothing is due. It may keep() what it read on the way, for that generation
    (the query that finds the moment can fetch the site furniture too). Call it from an
    AppConfig.ready().
    """
    if source not in _expiry_sources:
        _expiry_sources.append(source)
    return source


def pages_cache():
    """Where page copies are kept: the `pages` cache, which may evict freely."""
    return caches[PAGES_ALIAS if PAGES_ALIAS in settings.CACHES else DEFAULT_CACHE_ALIAS]


def content_changed(using=None, stale_ok=True):
    """Raise the generation now and again once the current transaction commits.

    Again after the commit: a reader's request between the two would otherwise cache the old
    content under the new generation. The CDN or Varnish in front is told once it commits.

    `stale_ok=False`: something readers could see is gone (unpublished, deleted, taken down):
    no page cached before the change is served again, not even while a new copy is made.
    """
    _raise_generation(stale_ok)
    transaction.on_commit(partial(_raise_generation, stale_ok, tell_cdn=True), using=using)


def tags_changed(*tags, using=None, stale_ok=True):
    """Only the pages carrying one of `tags` changed (a story's headline, its comments): their
    copies go out of date, now and again once the transaction commits, as for
    content_changed(), and the CDN or Varnish in front purges them once it commits.
    `stale_ok=False` as for content_changed (a comment withdrawn)."""
    tags = sorted(set(tags))
    if tags:
        _raise_tags(tags, stale_ok)
        transaction.on_commit(partial(_raise_tags, tags, stale_ok, tell_cdn=True), using=using)


def tag_key(tag):
    """The cache key of the number of `tag` (raised by tags_changed)."""
    return f"page:tag:{tag}"


def _raise_tags(tags, stale_ok=True, tell_cdn=False):
    _forget_request_scope()
    for tag in tags:
        _raise(tag_key(tag), stale_ok)
    if tell_cdn:
        purge(tags, hard=not stale_ok)


# Within one request (one_generation_per_request()): {"generation": …, "tags": {tag: number}}
# once read.
_request_scope = ContextVar("pagecache_request_scope", default=None)
# Tags that nearly every page reads the number of (register_common_tags): read with the
# generation, in the same round trip.
_common_tags = []


def register_common_tags(*tags):
    """Tell the page cache that most pages read the numbers of `tags` (request_tag_versions):
    they are read with the generation, in one round trip. Call it from an AppConfig.ready()."""
    _common_tags.extend(tag for tag in tags if tag not in _common_tags)


def generation_keys():
    """What current_generation() reads: the generation, its state and the common tags."""
    return [GENERATION_KEY, STATE_KEY, *map(tag_key, _common_tags)]


@contextmanager
def one_generation_per_request():
    """Within it, current_generation() asks the cache once: a page's furniture, counts and
    lists (three to four reads a page) are all under the generation it first read, as the
    page's copy is; one this process raises is read again."""
    token = _request_scope.set({})
    try:
        yield
    finally:
        _request_scope.reset(token)


def _forget_request_scope():
    """A raise by this process: what the request read before it is read again."""
    scope = _request_scope.get()
    if scope is not None:
        scope.clear()


def _raise_generation(stale_ok=True, tell_cdn=False):
    _forget_request_scope()
    _raise(GENERATION_KEY, stale_ok)
    if tell_cdn:
        purge([SITE_TAG], hard=not stale_ok)


def tag_versions(tags):
    """{tag: its number now, or None when it was never raised (or its number was lost)}, in
    one cache read."""
    found = cache.get_many([tag_key(tag) for tag in tags])
    return {tag: found.get(tag_key(tag)) for tag in tags}


def request_tag_versions(tags):
    """tag_versions(tags), read once per request (one_generation_per_request()), the common
    tags with the generation: for what a page reads under them (cached(), "Most read"). The
    page cache's own checks read them afresh."""
    scope = _request_scope.get()
    known = scope.get("tags") if scope else None
    if known is None or not all(tag in known for tag in tags):
        versions = tag_versions(tags)
        if scope is not None and "generation" in scope:
            scope.setdefault("tags", {}).update(versions)
        return versions
    return {tag: known[tag] for tag in tags}


def tag_versions_before(tags, moment):
    """{tag: the number a page made since `moment` is made under}: its number now, or the one
    before when it was raised at `moment` or later. A page learns its tags only once it is
    made, so it reads their numbers then: one raised meanwhile may be a change the page
    missed, and the copy is out of date at once (served stale at most, as after any raise)."""
    versions = tag_versions(tags)
    numbered = {tag: number for tag, number in versions.items() if number is not None}
    names = {tag: _raised_key(tag_key(tag), number) for tag, number in numbered.items()}
    raised = cache.get_many(list(names.values())) if names else {}
    for tag, name in names.items():
        when = raised.get(name)
        # No record: raised longer ago than a render lasts.
        if when is not None and when[0] >= moment:
            versions[tag] = numbered[tag] - 1
    return versions


def _raised_key(key, number):
    return f"{key}:raised:{number}"


def _raise(key, stale_ok):
    """Move the counter at `key` on by one (a new number, never an old one, if it is lost) and
    record the move for as long as a copy made before it could be served stale."""
    keep_for = settings.PAGE_CACHE_STALE_SECONDS + RAISES_KEPT_EXTRA_SECONDS
    try:
        number = cache.incr(key)
    except ValueError:  # Not in the cache (first use, evicted, flushed): start afresh.
        number = time.time_ns()
        cache.set(key, number, None)
        # A copy made while the counter did not exist yet is outdated since this number.
        cache.set(f"{key}:start", number, keep_for)
    cache.set(_raised_key(key, number), (timezone.now(), stale_ok), keep_for)


def changed_since(key, old, new):
    """When the counter at `key` (a generation, a page's version) first moved past `old` (None:
    it did not exist), now that it reads `new`: the moment a copy made under `old` became out
    of date. None unless every move since is still recorded and allowed stale copies: a copy
    so old, or older than something taken away from readers, is never served."""
    if new is None or old == new:
        return None
    first = cache.get(f"{key}:start") if old is None else old + 1
    if first is None or not 0 <= new - first < MOST_RAISES_FOLLOWED:
        return None
    names = [_raised_key(key, number) for number in range(first, new + 1)]
    raised = cache.get_many(names)
    if len(raised) != len(names) or not all(stale_ok for _, stale_ok in raised.values()):
        return None
    return raised[names[0]][0]


def content_generation():
    """The number any change readers could see raises (one cache read, no query), whether or
    not a moment registered with register_expiry has passed since: the key of what does not
    change by the clock, or follows the clock itself, such as the "Most read" lists. Within a
    request, the one current_generation() read."""
    scope = _request_scope.get()
    if scope and "content" in scope:
        return scope["content"]
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # A new number, never an old one: pages cached before an eviction must not match.
        cache.add(GENERATION_KEY, time.time_ns(), None)
        generation = cache.get(GENERATION_KEY)
    return generation


def current_generation(found=None):
    """The generation a page is cached under, from two small values in the cache. `found`:
    what generation_keys() names, as cache.get_many() gave it, when the caller has already
    read it."""
    scope = _request_scope.get()
    if found is None and scope:
        return scope["generation"]
    if found is None:
        found = cache.get_many(generation_keys())
    generation = _current_generation(found)
    if scope is not None and generation is not None:
        scope["generation"] = generation
        if found.get(GENERATION_KEY) == generation:  # Not raised just now (_start_generation).
            scope["content"] = generation
            # `found` holds what generation_keys() names: a tag not found was never raised.
            scope["tags"] = {tag: found.get(tag_key(tag)) for tag in _common_tags}
    return generation


def _current_generation(found):
    generation, state = found.get(GENERATION_KEY), found.get(STATE_KEY)
    if generation is not None and state is not None and state[0] == generation:
        good_until = state[1]
        if good_until is None or good_until > timezone.now():
            return generation
    return _start_generation(generation, state)


def _start_generation(generation, state):
    """A generation whose state is unknown gets one, asking the registered sources when it
    ends. When the state was lost, or says the generation has ended, the generation is raised
    first: no page cached before now may be served again."""
    if generation is None or state is None or state[0] == generation:
        # As after an editor's change: a CDN or Varnish in front must not keep what ended.
        _raise_generation(tell_cdn=True)
    # Twice at most: a source may itself change the content (the first furniture of a new
    # site creates its About row), and the generation it raised is the one pages want.
    for _attempt in range(2):
        # Read before the sources look at the content: a change they miss (not yet
        # committed) raises the generation again on commit, past this one.
        generation = content_generation()
        now = timezone.now()
        moments = [source(generation) for source in _expiry_sources]
        good_until = min((moment for moment in moments if moment), default=None)
        seconds = GENERATION_DATA_SECONDS
        if good_until is not None:
            seconds = max(1, min(seconds, math.ceil((good_until - now).total_seconds())))
        cache.set(STATE_KEY, (generation, good_until), seconds)
        if content_generation() == generation:
            break
    return generation


def _kept_key(name, generation):
    return f"site:cached:{generation}:{hashlib.sha256(name.encode()).hexdigest()}"


def keep(name, value, generation):
    """Keep `value` as `name` under `generation` (what cached(name, …) reads while it lasts)."""
    cache.set(_kept_key(name, generation), value, GENERATION_DATA_SECONDS)
    _kept_in_process.pop(_kept_key(name, generation), None)


# This process's copies of what cached() read lately: a key names its generation (and tags'
# numbers), so a copy never goes out of date; it spares a cache read and the unpickling on
# every page (the furniture's, the front page's choice, a reader's story...). Bounded (a story
# with its text is some 10 KB: a worker stays well under its 150 MB): when full it starts
# again. Callers must not change what they are given.
IN_PROCESS_KEPT = 1000
_kept_in_process = {}


def cached(name, compute, *, unbounded=False, tags=()):
    """compute(), kept under the current generation as `name` (at most
    GENERATION_DATA_SECONDS): recomputed after any change readers could see, and only then.

    `unbounded`: names that readers make up (a count per search) are kept with the page
    copies, where a flood of them can only evict pages. `tags`: recomputed when one of them is
    raised too (one more cache read). None, what compute() returns for nothing found (a
    story at an address nobody published), is not kept: a flood of made-up addresses must
    not fill the cache.
    """
    generation = current_generation()  # First: it reads the common tags' numbers too.
    if tags:
        name = f"{name}:{sorted(request_tag_versions(tags).items())}"
    key = _kept_key(name, generation)
    value = _kept_in_process.get(key)
    if value is not None:
        return value
    store = pages_cache() if unbounded else cache
    value = store.get(key)
    if value is None:
        value = compute()
        if value is None:
            return None
        store.set(key, value, GENERATION_DATA_SECONDS)
    if generation is not None:  # None: the cache is away; nothing is kept.
        _keep_in_process(key, value)
    return value


def _keep_in_process(key, value):
    if len(_kept_in_process) >= IN_PROCESS_KEPT:
        _kept_in_process.clear()
    _kept_in_process[key] = value


def cached_within_stale_bound(name, compute, *, tags):
    """compute(), kept under the current generation as `name` (with the page copies) and
    made again when one of `tags` is raised, but at most once every PAGE_CACHE_STALE_SECONDS:
    the bound within which pages show such a change anyway (a raise with stale_ok=False is
    no different here: take things away from readers by raising the generation). For what is
    too costly to make again after every raise of a busy tag (a search's ranking)."""
    generation = current_generation()
    if generation is None:  # The cache is away: nothing is kept.
        return compute()
    versions = request_tag_versions(tags)
    key = _kept_key(f"bounded:{name}", generation)
    now = time.time()

    def usable(kept):
        return kept is not None and (
            kept[1] == versions or now - kept[2] < settings.PAGE_CACHE_STALE_SECONDS
        )

    # This process's copy first (no round trip), then the one all processes share.
    kept = _kept_in_process.get(key)
    if not usable(kept):
        kept = pages_cache().get(key)
        if not usable(kept):
            kept = (compute(), versions, now)
            pages_cache().set(key, kept, GENERATION_DATA_SECONDS)
        _keep_in_process(key, kept)
    return kept[0]


def cached_count(name, queryset, tags=()):
    """queryset.count(), kept under the generation (and `tags`) as `name`. With the page
    copies: searches name as many counts as readers type words, and each can be counted
    again."""
    return cached(name, queryset.count, unbounded=True, tags=tags)

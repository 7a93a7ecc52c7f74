"""Whole-page caching for anonymous readers: a change shows at once, or within a bound.

Every public page (pages.reader_page) is cached whole, per address, with the site's generation
it was made under and the numbers of the tags it carries (generations.py): any change readers
could see raises the generation, or only the tags of what it changed (a story's headline), so a
page stored before the change is served again only while a new copy is made (see "No stampede"
below).

Tags for an HTTP cache in front: a shared page goes out with its tags (pages.tag) and SITE_TAG
in Cache-Tag (Cloudflare), Surrogate-Key (Fastly) and xkey (Varnish), from the cache too, so that
the purges purge.py sends drop exactly the pages that changed. With such a purge configured
(PAGE_CACHE_PURGE), a page also says how long the cache in front may keep it
(Surrogate-Control: max-age, as long as the copy kept here is fresh; no-store for a stale one).

An address is the path and only the query parameters its page declares (`reader_page(params=…)`):
the view never sees the others, so `?page=2&utm_source=x` is the `?page=2` page and one cache
entry. The copies live in their own cache, `pages` (settings.CACHES), where a flood of them can
only evict other copies, never the rate limits, locks and counters kept in `default`.

Staff never get a cached page (they see drafts, banners and their own messages), and neither
does a reader carrying a message (their comment was received). Cached pages carry no per-reader
data at all: no CSRF token (the comment form is checked by where the browser says it was sent
from, comments/origin.py) and no CSP nonce; a response that leaves with a cookie is never
stored and never labelled public.

Revalidation: a page's ETag is taken over the page as the view made it, before compression
(ETagBeforeCompressionMiddleware, below GZipMiddleware, which marks a compressed copy's ETag
weak), and its Last-Modified is when what it shows last changed (pages.last_modified), kept
from the previous copy while the ETag is the same: a page cached again with the same content
answers the same validators, so crawlers and feed readers get their 304s. HEAD is answered from
the same copy as GET, conditional HEAD included.

No stampede: a copy is kept under its address alone, with the generation and tag numbers it
was made under. When it is out of date, one request (a short lock in the default cache, shared
by every process and server) renders the page again while every other one is served the
previous copy, for at most PAGE_CACHE_STALE_SECONDS after it went out of date, and never once
something was taken away from readers since (content_changed(stale_ok=False)). With no copy to
serve, the others wait a moment for the one being made rather than all rendering it.
"""

import datetime
import hashlib
import math
import re
import time
from typing import NamedTuple

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core import signing
from django.core.cache import cache
from django.http import HttpResponseBase, QueryDict
from django.utils import timezone
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
    set_response_etag,
)
from django.utils.http import http_date, parse_http_date_safe, split_directive_names, urlencode
from django.utils.regex_helper import _lazy_re_compile

from .generations import (
    GENERATION_KEY,
    SITE_TAG,
    changed_since,
    current_generation,
    generation_keys,
    one_generation_per_request,
    pages_cache,
    tag_key,
    tag_versions,
    tag_versions_before,
)
from .pages import declared_params

ACCEPTS_GZIP = _lazy_re_compile(r"\bgzip\b")
# Addresses with free text or an odd spelling are unbounded: a client can make a new one on every
# request. At most this many of them are stored per PAGE_CACHE_SECONDS, so the popular searches
# of the moment are cached but a flood of new ones is served, uncached, without filling the cache.
OPEN_ENDED_PAGES = 200
# A message is shown on the page that follows what caused it (a comment sent): a messages cookie
# older than this is not a reader waiting to see one, but one replayed to skip the cache.
MESSAGE_COOKIE_MAX_AGE = 10 * 60
# The one request rendering a page again holds its lock this long at most: a render that takes
# longer (a stuck database) lets another request try.
RENDER_LOCK_SECONDS = 10
# With no copy to serve, a request waits this long at most for the one being rendered, looking
# every RENDER_POLL_SECONDS, before rendering the page itself.
RENDER_WAIT_SECONDS = 3
RENDER_POLL_SECONDS = 0.05


FRESH, STALE = "fresh", "stale"
# The headers that carry a page's tags to a CDN or Varnish: (name, separator).
TAG_HEADERS = (("Cache-Tag", ","), ("Surrogate-Key", " "), ("xkey", " "))


class Copy(NamedTuple):
    """A page as stored in the pages cache, with what it was made under."""

    generation: int
    tags: dict  # {tag: its number when the page was made, or None} (pages.tag)
    fresh_until: datetime.datetime  # After this it is out of date (served stale at most).
    # Never served after this, not even stale: the page reads differently by the clock then
    # (midnight's date, pages.changes_at: comments closing).
    valid_until: datetime.datetime
    response: HttpResponseBase


def _cached_copy(request):
    """(key, generation, copy or None) of the request's page in the cache."""
    found = cache.get_many(generation_keys())
    key = page_key(request)
    return key, current_generation(found), pages_cache().get(key)


def _freshness(request, copy):
    """FRESH, STALE (out of date, but may be served while a new copy is made) or None."""
    # A copy stored by an older release (a path version where the tags are) is not used.
    if not isinstance(copy, Copy) or not isinstance(copy.tags, dict):
        return None
    now = timezone.now()
    if now >= copy.valid_until:
        return None
    out_of_date_since = [copy.fresh_until] if now >= copy.fresh_until else []
    # One cache read for the numbers of all its tags.
    tags = tag_versions(copy.tags) if copy.tags else {}
    for key, made_under, current in (
        (GENERATION_KEY, copy.generation, request.page_generation),
        *((tag_key(tag), number, tags[tag]) for tag, number in copy.tags.items()),
    ):
        if made_under != current:
            moment = changed_since(key, made_under, current)
            if moment is None:  # Too long ago, or something was taken away since.
                return None
            out_of_date_since.append(moment)
    if not out_of_date_since:
        return FRESH
    stale_for = now - min(out_of_date_since)
    if stale_for <= datetime.timedelta(seconds=settings.PAGE_CACHE_STALE_SECONDS):
        return STALE
    return None


def _render_lock(key):
    return f"{key}:rendering"


def _may_render(request):
    """Whether this request renders the page: it takes the lock, or no lock can be had at all
    (the cache is away, or the last holder has just finished)."""
    lock = _render_lock(request.page_cache_key)
    if cache.add(lock, True, RENDER_LOCK_SECONDS):
        request.page_render_lock = lock
        return True
    return cache.get(lock) is None


def _wait_for_copy(request):
    """The fresh copy another request is rendering, once stored; None if it takes too long
    or that request stored none (an error page, a search over its budget)."""
    lock = _render_lock(request.page_cache_key)
    deadline = time.monotonic() + RENDER_WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(RENDER_POLL_SECONDS)
        rendering = cache.get(lock) is not None
        copy = pages_cache().get(request.page_cache_key)
        if _freshness(request, copy) == FRESH:
            return copy
        if not rendering:
            return None
    return None


def _next_midnight(now):
    """The masthead shows the date: every page changes at midnight, the site's time."""
    tomorrow = timezone.localtime(now).date() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time.min))


def _keep_declared(request, params):
    """Leave in request.GET only the parameters the page declares; return (the normalised query
    for the cache key, whether the address is canonical: every value one that matches)."""
    kept = [(name, values) for name, values in request.GET.lists() if name in params]
    request.GET = QueryDict(urlencode(kept, doseq=True), encoding=request.GET.encoding)
    canonical = all(
        params[name] is not None
        and len(values) == 1
        and re.fullmatch(params[name], values[0]) is not None
        for name, values in kept
    )
    return urlencode(sorted(kept), doseq=True), canonical


def page_key(request):
    # Stored compressed or not, as the first reader's browser asked (see GZipMiddleware). Only
    # the declared parameters count; hosts are ALLOWED_HOSTS only. No generation: the previous
    # copy stays reachable, to be served while a new one is made (Copy says what it was made
    # under).
    gzip = "gz" if ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")) else ""
    address = f"{gzip}{request.scheme}://{request.get_host()}{request.path}?{request.page_query}"
    return f"page:{hashlib.sha256(address.encode()).hexdigest()}"


def _is_staff_or_member(request):
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated)


def _carries_messages(request):
    """Whether the reader has messages waiting ("your comment was received"), in a messages
    cookie this site signed recently. Any other (junk, forged, replayed long after) is taken out
    of the request, so that no page shows it, and deleted on the way out: it does not make
    the reader skip the cache."""
    value = request.COOKIES.get(CookieStorage.cookie_name)
    if value is None:
        return False
    signer = signing.get_cookie_signer(salt=CookieStorage.key_salt)
    try:
        signer.unsign(value, max_age=MESSAGE_COOKIE_MAX_AGE)
    except signing.BadSignature:  # Expired, too: SignatureExpired is one.
        del request.COOKIES[CookieStorage.cookie_name]
        request.drop_messages_cookie = True
        return False
    return True


def _for_this_reader(request):
    """Drafts, staff banners, "your comment was received": pages for one person only."""
    return request.carries_messages or _is_staff_or_member(request)


def _may_use_cache(request):
    # HEAD is answered from the same copy as GET: the same headers, without the body.
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and not _for_this_reader(request)
    )


def _cookies_on_the_way_out(request):
    """Whether the middleware above this one will add a cookie to the response after it
    leaves here: CSRF (a token was used, or the reader's cookie was unreadable), the session
    (saved, or a dead session's cookie deleted) or messages (one was added)."""
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return True
    messages = getattr(request, "_messages", None)
    if messages is not None and messages.added_new:
        return True
    session = getattr(request, "session", None)
    if session is None:
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES and session.is_empty():
        return True
    saved = session.modified or settings.SESSION_SAVE_EVERY_REQUEST
    return saved and not session.is_empty()


def _may_store(request, response):
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not _cookies_on_the_way_out(request)
        and not any(word in cache_control for word in ("private", "no-store", "no-cache"))
    )


def _within_open_ended_budget():
    """Count one more open-ended page stored; False once OPEN_ENDED_PAGES are this period's."""
    period = settings.PAGE_CACHE_SECONDS
    key = f"page:open-ended:{int(timezone.now().timestamp() // period)}"
    cache.add(key, 0, period)
    try:
        return cache.incr(key) <= OPEN_ENDED_PAGES
    except ValueError:  # The cache is away: store nothing that has no bound.
        return False


def _last_modified(request, response, now):
    """When what the page shows last changed: as the previous copy said if the content is the
    same (same ETag), else the moment the view reported (pages.last_modified), else now (it
    changed in a way no view reported: a section renamed, a comment withdrawn)."""
    previous = getattr(request, "page_previous_copy", None)
    before = previous.response if isinstance(previous, Copy) else None
    same = before is not None and before.get("ETag") == response.get("ETag")
    if same and before.has_header("Last-Modified"):
        return before["Last-Modified"]
    reported = getattr(request, "page_last_modified", None)
    earlier = parse_http_date_safe(before.get("Last-Modified", "")) if before else None
    if reported is not None and (earlier is None or reported.timestamp() > earlier):
        return http_date(min(reported, now).timestamp())
    return http_date(now.timestamp())


def _share(request, response):
    """Label a page that is the same for every reader for HTTP caches; keep it in the cache."""
    canonical = request.page_canonical
    now = timezone.now()
    tags = getattr(request, "page_tags", set())
    if canonical:  # Only a page an HTTP cache may keep is purged from one.
        for header, separator in TAG_HEADERS:
            response[header] = separator.join(sorted({*tags, SITE_TAG}))
    if not response.has_header("ETag"):  # ETagBeforeCompressionMiddleware sets it, uncompressed.
        set_response_etag(response)
    if canonical and not response.has_header("Last-Modified"):  # Feeds and sitemaps date theirs.
        # Not on a search: when a page was made would tell when someone searched for that.
        response["Last-Modified"] = _last_modified(request, response, now)
    if "max-age" not in response.get("Cache-Control", ""):
        # Browsers may keep any page; shared caches only those whose addresses have a bound.
        patch_cache_control(
            response,
            **({"public": True} if canonical else {"private": True}),
            max_age=settings.PAGE_MAX_AGE,
            stale_while_revalidate=settings.PAGE_STALE_WHILE_REVALIDATE,
        )
    key = getattr(request, "page_cache_key", None)
    if key is None or not (canonical or _within_open_ended_budget()):
        return
    valid_until = _next_midnight(now)
    changes = getattr(request, "page_changes_at", None)
    if changes is not None:
        valid_until = min(valid_until, changes)
    seconds = min(settings.PAGE_CACHE_SECONDS, (valid_until - now).total_seconds())
    if seconds >= 1:
        fresh_until = now + datetime.timedelta(seconds=seconds)
        versions = tag_versions_before(tags, request.page_render_started) if tags else {}
        copy = Copy(request.page_generation, versions, fresh_until, valid_until, response)
        # Kept past its freshness for as long as it may be served stale.
        pages_cache().set(key, copy, math.ceil(seconds) + settings.PAGE_CACHE_STALE_SECONDS)
        if not settings.PAGE_CACHE_PURGE or tag_versions(versions) == versions:
            request.page_fresh_until = fresh_until
        # Else one of its tags was raised while it was made: out of date already, and its
        # purge may have reached the cache in front before this page does. Not kept there.


def _tell_cache_in_front(request, response):
    """How long a CDN or Varnish that is sent purges may keep the page: as long as the copy
    kept here is fresh (it is purged if it changes before), not at all if that one is stale or
    none is kept. Set as the page leaves, never stored with it."""
    if not settings.PAGE_CACHE_PURGE or not response.has_header("xkey"):
        return
    fresh_until = getattr(request, "page_fresh_until", None)
    seconds = (fresh_until - timezone.now()).total_seconds() if fresh_until else 0
    response["Surrogate-Control"] = f"max-age={int(seconds)}" if seconds >= 1 else "no-store"


def _for_this_reader_only(response):
    response.headers.pop("Cache-Control", None)
    for header in (*(name for name, _ in TAG_HEADERS), "Surrogate-Control"):
        response.headers.pop(header, None)
    add_never_cache_headers(response)


def _answer_head(request, response):
    """304 to a conditional HEAD, as ConditionalGetMiddleware answers a GET (it leaves HEAD
    alone): a crawler checking with HEAD learns the page has not changed."""
    if request.method != "HEAD" or response.status_code != 200:
        return response
    last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
    etag = response.get("ETag")
    if not (etag or last_modified):
        return response
    return get_conditional_response(
        request, etag=etag, last_modified=last_modified, response=response
    )


class PageCacheMiddleware:
    """Serve anonymous readers' public pages from the cache; label every page for HTTP caches.

    Below the session, authentication and message middleware (it asks who the reader is) and
    below ConditionalGetMiddleware (which answers 304 from the ETag stored with the page). The
    cache is looked up in process_view, once Django has resolved the address: no other
    address pays for a lookup, and none is resolved twice.

    The CSRF, session and message middleware are above this one: they add their cookies after
    a page has left here, so _cookies_on_the_way_out() tells beforehand.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def process_view(self, request, view_func, view_args, view_kwargs):
        params = declared_params(view_func)
        request.is_reader_page = params is not None
        if params is None:
            return None
        request.page_query, request.page_canonical = _keep_declared(request, params)
        request.carries_messages = _carries_messages(request)
        if not _may_use_cache(request):
            return None
        key, generation, copy = _cached_copy(request)
        request.page_cache_key, request.page_generation = key, generation
        request.page_previous_copy = copy
        request.page_render_started = timezone.now()
        freshness = _freshness(request, copy)
        if freshness == FRESH:
            return self._serve(request, copy, "hit")
        if _may_render(request):
            return None
        if freshness == STALE:  # Another request is rendering it again.
            return self._serve(request, copy, "stale")
        copy = _wait_for_copy(request)
        return self._serve(request, copy, "hit") if copy else None

    @staticmethod
    def _serve(request, copy, how):
        request.page_cache_hit = how
        request.page_fresh_until = copy.fresh_until if how == "hit" else None
        return copy.response

    def __call__(self, request):
        try:
            with one_generation_per_request():
                response = self._respond(request)
        finally:
            lock = getattr(request, "page_render_lock", None)
            if lock:  # Stored (or not storable): the waiting requests need not wait any more.
                cache.delete(lock)
        return response

    def _respond(self, request):
        response = self.get_response(request)

        if not getattr(request, "is_reader_page", False):
            return response
        hit = getattr(request, "page_cache_hit", None)
        if not hit:
            if _for_this_reader(request):
                add_never_cache_headers(response)
                return response
            if _may_store(request, response):
                _share(request, response)  # Stored as it is now, before any cookie below.
        _tell_cache_in_front(request, response)
        if getattr(request, "drop_messages_cookie", False):
            response.delete_cookie(
                CookieStorage.cookie_name,
                domain=settings.SESSION_COOKIE_DOMAIN,
                samesite=settings.SESSION_COOKIE_SAMESITE,
            )
        if response.cookies or _cookies_on_the_way_out(request):
            # A cookie is one reader's: no shared cache may keep it, nor give it to another.
            _for_this_reader_only(response)
        if settings.PAGE_CACHE_DEBUG_HEADER and getattr(request, "page_cache_key", None):
            # Development only: in production it would tell who searched for what.
            response["X-Page-Cache"] = hit or "miss"
        return _answer_head(request, response)


class ETagBeforeCompressionMiddleware:
    """An ETag taken over the response as the view made it, before GZipMiddleware compresses it
    (gzip output differs on every run: Django pads it with random bytes against BREACH).

    Below GZipMiddleware, which marks the ETag of a compressed copy weak (W/"…"): the same tag,
    compressed or not, that a conditional GET or HEAD compares weakly (RFC 9110). Set as
    ConditionalGetMiddleware would set it, on any GET or HEAD whose response may be stored.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.method in ("GET", "HEAD")
            and not response.streaming
            and not response.has_header("ETag")
            and "no-store" not in split_directive_names(response.get("Cache-Control", ""))
        ):
            set_response_etag(response)
        return response

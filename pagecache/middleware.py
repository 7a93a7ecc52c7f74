"""Whole-page caching for anonymous readers that never shows a stale page.

Every public page (pages.reader_page) is cached whole, per address, under the site's current
generation (generations.py): any change readers could see raises it, so a page stored before
the change is never served again.

An address is the path and only the query parameters its page declares (`reader_page(params=…)`):
the view never sees the others, so `?page=2&utm_source=x` is the `?page=2` page and one cache
entry. The copies live in their own cache, `pages` (settings.CACHES), where a flood of them can
only evict other copies, never the rate limits, locks and counters kept in `default`.

Staff never get a cached page (they see drafts, banners and their own messages), and neither
does a reader carrying a message (their comment was received). Cached pages carry no per-reader
data at all: no CSRF token (the comment form fetches one when a reader starts typing) and no
CSP nonce; a response that leaves with a cookie is never stored and never labelled public.
"""

import datetime
import hashlib
import math
import re

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core import signing
from django.core.cache import cache
from django.http import QueryDict
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control, set_response_etag
from django.utils.http import http_date, urlencode
from django.utils.regex_helper import _lazy_re_compile

from .generations import GENERATION_KEY, STATE_KEY, current_generation, pages_cache, path_key
from .pages import declared_params

ACCEPTS_GZIP = _lazy_re_compile(r"\bgzip\b")
# Addresses with free text or an odd spelling are unbounded: a client can make a new one on every
# request. At most this many of them are stored per PAGE_CACHE_SECONDS, so the popular searches
# of the moment are cached but a flood of new ones is served, uncached, without filling the cache.
OPEN_ENDED_PAGES = 200
# A message is shown on the page that follows what caused it (a comment sent): a messages cookie
# older than this is not a reader waiting to see one, but one replayed to skip the cache.
MESSAGE_COOKIE_MAX_AGE = 10 * 60


def _cached_entry(request):
    """(key, path version, entry or None) of the request's page in the cache."""
    version_key = path_key(request.path)
    found = cache.get_many([GENERATION_KEY, STATE_KEY, version_key])
    key = page_key(request, current_generation(found))
    return key, found.get(version_key), pages_cache().get(key)


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


def page_key(request, generation):
    # Stored compressed or not, as the first reader's browser asked (see GZipMiddleware). Only
    # the declared parameters count; hosts are ALLOWED_HOSTS only.
    gzip = "gz" if ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")) else ""
    address = f"{gzip}{request.scheme}://{request.get_host()}{request.path}?{request.page_query}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"page:{generation}:{digest}"


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
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method == "GET"
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


def _share(request, response):
    """Label a page that is the same for every reader for HTTP caches; keep it in the cache."""
    canonical = request.page_canonical
    if canonical:
        # Not on a search: when a page was made would tell when someone searched for that.
        response["Last-Modified"] = http_date()
    set_response_etag(response)
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
    now = timezone.now()
    valid_until = _next_midnight(now)
    changes = getattr(request, "page_changes_at", None)
    if changes is not None:
        valid_until = min(valid_until, changes)
    seconds = min(settings.PAGE_CACHE_SECONDS, (valid_until - now).total_seconds())
    if seconds >= 1:
        entry = (valid_until, request.page_path_version, response)
        pages_cache().set(key, entry, math.ceil(seconds))


def _for_this_reader_only(response):
    response.headers.pop("Cache-Control", None)
    add_never_cache_headers(response)


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
        request.page_cache_key, request.page_path_version, entry = _cached_entry(request)
        fresh = entry is not None and entry[1] == request.page_path_version
        if not (fresh and timezone.now() < entry[0]):
            return None
        request.page_cache_hit = True
        return entry[2]

    def __call__(self, request):
        response = self.get_response(request)

        if not getattr(request, "is_reader_page", False):
            return response
        hit = getattr(request, "page_cache_hit", False)
        if not hit:
            if _for_this_reader(request):
                add_never_cache_headers(response)
                return response
            if _may_store(request, response):
                _share(request, response)  # Stored as it is now, before any cookie below.
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
            response["X-Page-Cache"] = "hit" if hit else "miss"
        return response

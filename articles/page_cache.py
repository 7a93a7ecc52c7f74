"""Whole-page caching for anonymous readers that never shows a stale page.

Every public page is cached whole, per address, under the site's *generation*: a number in the
cache that any change readers could see (publishing, editing, a comment approved, About edited,
a category renamed...) raises, once the change is committed. A page stored under an older
generation is never read again, so a change shows at once on every page and every app server
sharing the cache (Redis); the stale entries simply expire.

The site furniture every page shows (navigation, Top Categories, the About box) is cached under
the same generation, with the moment the next scheduled story falls due: when that moment
passes, the generation is raised as if an editor had published it by hand.

An address is the path and only the query parameters its page declares (`reader_page(params=…)`):
the view never sees the others, so `?page=2&utm_source=x` is the `?page=2` page and one cache
entry. The copies live in their own cache, `pages` (settings.CACHES), where a flood of them can
only evict other copies, never the rate limits, locks and counters kept in `default`.

Staff never get a cached page (they see drafts, banners and their own messages), and neither
does a reader carrying a message (their comment was received). Cached pages carry no per-reader
data at all: no CSRF token (the comment form fetches one when a reader starts typing, see
comments/views.py) and no CSP nonce; a response that leaves with a cookie is never stored and
never labelled public.
"""

import datetime
import hashlib
import math
import re
import time
from functools import partial, wraps
from urllib.parse import unquote

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core import signing
from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.db import transaction
from django.db.models import Subquery
from django.http import QueryDict
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control, set_response_etag
from django.utils.http import http_date, urlencode
from django.utils.regex_helper import _lazy_re_compile

GENERATION_KEY = "site:generation"
ACCEPTS_GZIP = _lazy_re_compile(r"\bgzip\b")
FURNITURE_KEY = "site:furniture"
# (generation, next scheduled story's time) of the furniture: all a cached page needs to know.
STATE_KEY = "site:state"
# Furniture is recomputed at least this often: the published counts of Top Categories move
# only with content changes, but a cache entry should not live for ever.
FURNITURE_SECONDS = 60 * 60
# The cache alias of page copies (settings.CACHES); the default cache where it is not configured.
PAGES_ALIAS = "pages"

# Query parameter patterns for reader_page(params=…). A page number has one spelling per page:
# "2", not "02" or "2.0", so the pages of a list are as many cache entries as it has pages.
PAGE_NUMBER = r"[1-9][0-9]{0,5}"
# The parameters of a paginated list (ListView and the date views read ?page=).
PAGINATED = {"page": PAGE_NUMBER}
# Any value at all (what a reader searched for): such addresses have no end, see OPEN_ENDED_PAGES.
FREE_TEXT = None
# Addresses with free text or an odd spelling are unbounded: a client can make a new one on every
# request. At most this many of them are stored per PAGE_CACHE_SECONDS, so the popular searches
# of the moment are cached but a flood of new ones is served, uncached, without filling the cache.
OPEN_ENDED_PAGES = 200
# A message is shown on the page that follows what caused it (a comment sent): a messages cookie
# older than this is not a reader waiting to see one, but one replayed to skip the cache.
MESSAGE_COOKIE_MAX_AGE = 10 * 60


def reader_page(view=None, *, params=None):
    """Mark a view as a public page that anonymous readers may be served from the cache.

    `params`: {name: pattern} of the query parameters the page reads (e.g. {"page": PAGE_NUMBER});
    the view sees no other. An address whose values all match their patterns is cached like any
    page; one with FREE_TEXT or a value that does not match is open-ended (see OPEN_ENDED_PAGES).
    Use as `@reader_page` or `@reader_page(params={...})`, on a function or a class.
    """
    if view is None:
        return partial(reader_page, params=params)
    if isinstance(view, type):
        view.reader_page = True
        view.reader_params = params or {}
        return view

    @wraps(view)
    def wrapper(*args, **kwargs):
        return view(*args, **kwargs)

    wrapper.reader_page = True
    wrapper.reader_params = params or {}
    return wrapper


def _declared_params(view_func):
    """{name: pattern} of a reader page (a function, a class-based view or a Feed instance), or
    None for any other view."""
    for holder in (view_func, getattr(view_func, "view_class", None)):
        if getattr(holder, "reader_page", False):
            return getattr(holder, "reader_params", {})
    return None


def pages_cache():
    """Where page copies are kept: the `pages` cache, which may evict freely."""
    return caches[PAGES_ALIAS if PAGES_ALIAS in settings.CACHES else DEFAULT_CACHE_ALIAS]


def content_changed(using=None):
    """Raise the generation now and again once the current transaction commits.

    Again after the commit: a reader's request between the two would otherwise cache the old
    content under the new generation.
    """
    _raise_generation()
    transaction.on_commit(_raise_generation, using=using)


def page_changed(path, using=None):
    """Only the page at `path` changed (a comment under a story): its cached copies, whatever
    their query string, are not served again. Now, and again once the transaction commits."""
    _raise_path_version(path)
    transaction.on_commit(partial(_raise_path_version, path), using=using)


def _path_key(path):
    # Decoded, as request.path is: get_absolute_url() percent-encodes non-Latin slugs.
    return f"page:path:{hashlib.sha256(unquote(path).encode()).hexdigest()}"


def _raise_path_version(path):
    cache.set(_path_key(path), time.time_ns(), None)


def _raise_generation():
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # Not in the cache (first use, evicted, flushed): start afresh.
        cache.set(GENERATION_KEY, time.time_ns(), None)


def _current_generation():
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # A new number, never an old one: pages cached before an eviction must not match.
        cache.add(GENERATION_KEY, time.time_ns(), None)
        generation = cache.get(GENERATION_KEY)
    return generation


def content_generation():
    """The number any change readers could see raises (one cache read, no query): the key of
    whatever is cached from the published content, such as the "Most read" lists."""
    return _current_generation()


def site_furniture():
    """{"generation", "about", "nav_categories", "top_categories"}: what every page shows.

    Two queries when not cached (About with the next scheduled story's time; the categories
    with their published counts), none when cached.
    """
    from .models import About, Article, Category

    state = cache.get_many([GENERATION_KEY, FURNITURE_KEY, STATE_KEY])
    generation = state.get(GENERATION_KEY)
    furniture = state.get(FURNITURE_KEY)
    if furniture and generation is not None and furniture["generation"] == generation:
        due = furniture["next_due"]
        if due is None or due > timezone.now():
            if STATE_KEY not in state:  # Evicted on its own: current_generation() needs it.
                cache.set(STATE_KEY, (generation, due), FURNITURE_SECONDS)
            return furniture
        furniture = None  # A scheduled story has just gone live.
    if furniture is None or generation is None:
        # Expired (it expires when the next scheduled story falls due), evicted, or a story
        # has gone live: no page cached before now may be served again.
        _raise_generation()
    generation = _current_generation()

    now = timezone.now()
    next_due = (
        Article.objects.filter(status=Article.Status.PUBLISHED, published_at__gt=now)
        .order_by("published_at")
        .values("published_at")[:1]
    )
    about = About.objects.annotate(next_due=Subquery(next_due)).filter(pk=1).first()
    if about is None:  # A new site: About.load() creates the row, which raises the generation.
        about = About.load()
        generation = _current_generation()
        about.next_due = next(iter(next_due.values_list("published_at", flat=True)), None)
    categories = list(Category.objects.with_published_count().order_by("position", "name"))
    furniture = {
        "generation": generation,
        "next_due": about.next_due,
        "about": about,
        "nav_categories": categories,
        "top_categories": sorted(
            (category for category in categories if category.published_count),
            key=lambda category: (-category.published_count, category.position, category.name),
        ),
    }
    seconds = FURNITURE_SECONDS
    if about.next_due:
        seconds = max(1, min(seconds, math.ceil((about.next_due - now).total_seconds())))
    cache.set_many({FURNITURE_KEY: furniture, STATE_KEY: (generation, about.next_due)}, seconds)
    return furniture


def current_generation(found=None):
    """The generation a page is cached under, from two small values in the cache (the
    furniture is only rebuilt, and read whole, when they say it is out of date). `found`:
    those values, when the caller has already read them."""
    if found is None:
        found = cache.get_many([GENERATION_KEY, STATE_KEY])
    generation, state = found.get(GENERATION_KEY), found.get(STATE_KEY)
    if generation is not None and state is not None and state[0] == generation:
        due = state[1]
        if due is None or due > timezone.now():
            return generation
    return site_furniture()["generation"]


def _cached_entry(request):
    """(key, path version, entry or None) of the request's page in the cache."""
    path_key = _path_key(request.path)
    found = cache.get_many([GENERATION_KEY, STATE_KEY, path_key])
    key = page_key(request, current_generation(found))
    return key, found.get(path_key), pages_cache().get(key)


def months_with_stories():
    """ArticleQuerySet.month_counts() of the published stories: grouping the whole archive by
    month is the archive pages' and the sitemaps' one costly query, so it is kept under the
    generation like the furniture."""
    from .models import Article

    key = f"site:months:{current_generation()}"
    months = cache.get(key)
    if months is None:
        months = list(Article.objects.published().month_counts())
        cache.set(key, months, FURNITURE_SECONDS)
    return months


def cached_count(name, queryset):
    """queryset.count(), kept under the content generation as `name`. With the page copies:
    searches name as many counts as readers type words, and each can be counted again."""
    key = f"site:count:{current_generation()}:{hashlib.sha256(name.encode()).hexdigest()}"
    counts = pages_cache()
    count = counts.get(key)
    if count is None:
        count = queryset.count()
        counts.set(key, count, FURNITURE_SECONDS)
    return count


def changes_at(request, moment):
    """Tell the page cache that this page will read differently at `moment` by the clock alone
    (comments closing, say), with no save to announce it: it is not served after then."""
    if request is None or moment is None:
        return
    current = getattr(request, "page_changes_at", None)
    if current is None or moment < current:
        request.page_changes_at = moment


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
        params = _declared_params(view_func)
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

"""Whole-page caching for anonymous readers that never shows a stale page.

Every public page is cached whole, per address, under the site's *generation*: a number in the
cache that any change readers could see (publishing, editing, a comment approved, About edited,
a category renamed...) raises, once the change is committed. A page stored under an older
generation is never read again, so a change shows at once on every page and every app server
sharing the cache (Redis); the stale entries simply expire.

The site furniture every page shows (navigation, Top Categories, the About box) is cached under
the same generation, with the moment the next scheduled story falls due: when that moment
passes, the generation is raised as if an editor had published it by hand.

Staff never get a cached page (they see drafts, banners and their own messages), and neither
does a reader carrying a message (their comment was received). Cached pages carry no per-reader
data at all: no CSRF token (the comment form fetches one when a reader starts typing, see
comments/views.py) and no CSP nonce.
"""

import datetime
import hashlib
import math
import time
from functools import partial, wraps

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.db.models import Subquery
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control, set_response_etag
from django.utils.http import http_date
from django.utils.regex_helper import _lazy_re_compile

GENERATION_KEY = "site:generation"
ACCEPTS_GZIP = _lazy_re_compile(r"\bgzip\b")
FURNITURE_KEY = "site:furniture"
# (generation, next scheduled story's time) of the furniture: all a cached page needs to know.
STATE_KEY = "site:state"
# Furniture is recomputed at least this often: the published counts of Top Categories move
# only with content changes, but a cache entry should not live for ever.
FURNITURE_SECONDS = 60 * 60


def reader_page(view):
    """Mark a view as a public page that anonymous readers may be served from the cache."""
    if isinstance(view, type):
        view.reader_page = True
        return view

    @wraps(view)
    def wrapper(*args, **kwargs):
        return view(*args, **kwargs)

    wrapper.reader_page = True
    return wrapper


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
    return f"page:path:{hashlib.sha256(path.encode()).hexdigest()}"


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


# The generation this process saw last: almost always still the current one, so a cached page
# is looked up in the same round trip to the cache as the generation itself.
_last_seen = {"generation": None}


def _cached_entry(request):
    """(key, path version, entry or None) of the request's page in the cache."""
    path_key = _path_key(request.path)
    guess = _last_seen["generation"]
    keys = [GENERATION_KEY, STATE_KEY, path_key]
    if guess is not None:
        keys.append(page_key(request, guess))
    found = cache.get_many(keys)
    generation = current_generation(found)
    _last_seen["generation"] = generation
    key = page_key(request, generation)
    entry = found.get(key) if generation == guess else cache.get(key)
    return key, found.get(path_key), entry


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
    """queryset.count(), kept under the content generation as `name`."""
    key = f"site:count:{current_generation()}:{hashlib.sha256(name.encode()).hexdigest()}"
    count = cache.get(key)
    if count is None:
        count = queryset.count()
        cache.set(key, count, FURNITURE_SECONDS)
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


def page_key(request, generation):
    # Stored compressed or not, as the first reader's browser asked (see GZipMiddleware).
    gzip = "gz" if ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")) else ""
    address = f"{gzip}{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"page:{generation}:{digest}"


def _is_staff_or_member(request):
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated)


def _may_use_cache(request):
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.is_reader_page
        and request.method == "GET"
        and CookieStorage.cookie_name not in request.COOKIES
        and not _is_staff_or_member(request)
    )


def _may_store(request, response):
    cache_control = response.get("Cache-Control", "")
    return (
        getattr(request, "is_reader_page", False)
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not any(word in cache_control for word in ("private", "no-store", "no-cache"))
    )


class PageCacheMiddleware:
    """Serve anonymous readers' public pages from the cache; label every page for HTTP caches.

    Below the session, authentication and message middleware (it asks who the reader is) and
    below ConditionalGetMiddleware (which answers 304 from the ETag stored with the page). The
    cache is looked up in process_view, once Django has resolved the address: no other
    address pays for a lookup, and none is resolved twice.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def process_view(self, request, view_func, view_args, view_kwargs):
        view_class = getattr(view_func, "view_class", None)
        request.is_reader_page = bool(
            getattr(view_func, "reader_page", False) or getattr(view_class, "reader_page", False)
        )
        if not _may_use_cache(request):
            return None
        request.page_cache_key, request.page_path_version, entry = _cached_entry(request)
        fresh = entry is not None and entry[1] == request.page_path_version
        if not (fresh and timezone.now() < entry[0]):
            return None
        request.page_cache_hit = True
        response = entry[2]
        response["X-Page-Cache"] = "hit"
        return response

    def __call__(self, request):
        response = self.get_response(request)

        if not getattr(request, "is_reader_page", False) or getattr(
            request, "page_cache_hit", False
        ):
            return response
        if _is_staff_or_member(request) or CookieStorage.cookie_name in request.COOKIES:
            # Drafts, staff banners, "your comment was received": for this person only.
            add_never_cache_headers(response)
            return response
        if _may_store(request, response):
            # The same page for every reader: browsers, proxies and CDNs may keep it.
            response["Last-Modified"] = http_date()
            set_response_etag(response)
            if "max-age" not in response.get("Cache-Control", ""):
                patch_cache_control(
                    response,
                    public=True,
                    max_age=settings.PAGE_MAX_AGE,
                    stale_while_revalidate=settings.PAGE_STALE_WHILE_REVALIDATE,
                )
            key = getattr(request, "page_cache_key", None)
            if key:
                response["X-Page-Cache"] = "miss"
                now = timezone.now()
                valid_until = _next_midnight(now)
                changes = getattr(request, "page_changes_at", None)
                if changes is not None:
                    valid_until = min(valid_until, changes)
                seconds = min(settings.PAGE_CACHE_SECONDS, (valid_until - now).total_seconds())
                if seconds >= 1:
                    entry = (valid_until, request.page_path_version, response)
                    cache.set(key, entry, math.ceil(seconds))
        return response

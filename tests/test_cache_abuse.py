"""Abuse of the page cache and of "Most read" (issue 11): a flood of addresses cannot evict the
rate limits, one client cannot push a story up "Most read", a story taken down leaves it at
once, no shared page carries a cookie, junk cookies do not skip the cache, and a writer's
draft saves keep it."""

import itertools
import time
from datetime import timedelta

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core import signing
from django.core.cache import cache, caches
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import path, reverse
from django.utils import timezone

from articles import views
from articles.models import Article, Author, Byline, Correction
from comments.models import Comment
from mostread import counts
from mostread.models import ArticleView
from pagecache import middleware as page_cache_middleware
from pagecache.pages import reader_page

from .factories import make_article, make_category, make_comment
from .test_settings import run_python

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"


def queries(client, url, **extra):
    """(response, number of SQL queries it cost): none means it came from the page cache."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **extra)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return response, len(captured)


def from_cache(client, url, **extra):
    return queries(client, url, **extra)[1] == 0


def shared(response):
    """Labelled so that a proxy or CDN may keep it and give it to other readers."""
    control = response.get("Cache-Control", "")
    return "public" in control or ("private" not in control and "no-store" not in control)


def for_this_reader_only(response):
    control = response["Cache-Control"]
    return "private" in control and "no-store" in control and "public" not in control


# Point 4: which addresses are cached, and where -----------------------------------------------


def test_parameters_a_page_does_not_read_neither_reach_it_nor_make_a_new_cache_entry(
    client, monkeypatch
):
    monkeypatch.setattr(views.CategoryArticleList, "paginate_by", 2)
    section = make_category(name="World")
    for n in range(5):
        make_article(category=section, title=f"Story {n}")
    url = section.get_absolute_url()

    first, _ = queries(client, f"{url}?page=2&utm_source=mail&fbclid=x1")

    # The page is the ?page=2 page: its links carry nothing a campaign added.
    assert "utm_source" not in first.text
    assert "fbclid" not in first.text
    assert 'href="?page=3"' in first.text
    # Any other spelling of the same page, in any order, is the same cache entry.
    assert from_cache(client, f"{url}?fbclid=x2&page=2")
    assert from_cache(client, f"{url}?page=2")
    assert not from_cache(client, f"{url}?page=3&utm_source=mail")


def test_a_flood_of_made_up_addresses_stores_no_new_page(client):
    story = make_article()
    url = story.get_absolute_url()
    client.get(url)

    for n in range(50):
        assert from_cache(client, f"{url}?utm_source=x{n}&page={n}")


@pytest.fixture
def small_caches(settings):
    """Caches of their own with room for few entries, as a full Redis or worker would have."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "h3-cache-abuse-default",
            "OPTIONS": {"MAX_ENTRIES": 20},
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "h3-cache-abuse-pages",
            "OPTIONS": {"MAX_ENTRIES": 10},
        },
    }
    yield
    for alias in settings.CACHES:
        caches[alias].clear()


def post_comment(client, story):
    return client.post(reverse("comments:post", args=[story.pk]), {"body": "Spam"})


@pytest.mark.parametrize("flood", ["made-up query strings", "every story of the site"])
def test_flooding_the_page_cache_leaves_the_comment_rate_limit_intact(
    client, settings, small_caches, flood
):
    # One window for the whole test: no boundary to cross.
    settings.COMMENTS_RATE_LIMIT = (3, 10**9)
    story = make_article()
    addresses = (
        [f"{story.get_absolute_url()}?utm_id={n}" for n in range(60)]
        if flood == "made-up query strings"
        else [make_article(title=f"Story {n}").get_absolute_url() for n in range(30)]
    )
    for _ in range(3):
        assert post_comment(client, story).status_code != 429

    for address in addresses:
        Client().get(address)

    assert post_comment(client, story).status_code == 429


def test_open_ended_addresses_are_stored_only_within_a_budget(client, monkeypatch):
    monkeypatch.setattr(page_cache_middleware, "OPEN_ENDED_PAGES", 3)
    # Each search finds the story: a search that finds nothing needs no query even uncached
    # (its ranking is kept until a story changes), and "no query" is what tells a cached page.
    make_article(title="Harvest festival 0 1 2 3 4 5")
    searches = [f"/search/?q=harvest+{n}" for n in range(6)]
    for url in searches:
        response, _ = queries(client, url)
        # What someone searched for is theirs: no shared cache keeps it, no date says when.
        assert "private" in response["Cache-Control"]
        assert "public" not in response["Cache-Control"]
        assert not response.has_header("Last-Modified")

    assert [from_cache(client, url) for url in searches] == [True] * 3 + [False] * 3


def test_the_page_cache_header_is_not_sent_in_production(client, settings):
    settings.DEBUG = False
    settings.PAGE_CACHE_DEBUG_HEADER = False
    url = make_article().get_absolute_url()

    first = client.get(url)
    again = client.get(url)

    assert from_cache(client, url)
    assert not first.has_header("X-Page-Cache")
    assert not again.has_header("X-Page-Cache")
    assert not client.get("/search/?q=anything").has_header("X-Page-Cache")


@pytest.mark.parametrize(
    ("env", "pages_location", "pages_prefix"),
    [
        (
            {"PAGE_CACHE_REDIS_URL": "redis://pages.internal:6379/0"},
            "redis://pages.internal:6379/0",
            "site:pages",
        ),
        ({}, "redis://cache.internal:6379/0", "site:pages"),
    ],
)
def test_page_copies_are_kept_apart_from_the_rate_limits(env, pages_location, pages_prefix):
    result = run_python(
        "import django; django.setup(); from django.conf import settings; "
        "d, p = settings.CACHES['default'], settings.CACHES['pages']; "
        "print(d['LOCATION'], d['KEY_PREFIX'], p['LOCATION'], p['KEY_PREFIX'], p['BACKEND'])",
        DEBUG="true",
        ENV_FILE="",
        REDIS_URL="redis://cache.internal:6379/0",
        CACHE_KEY_PREFIX="site",
        **env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "redis://cache.internal:6379/0",
        "site",
        pages_location,
        pages_prefix,
        "pagecache.backends.FailSafeRedisCache",
    ]


def test_a_page_cache_redis_without_redis_url_is_refused():
    result = run_python(
        "import django; django.setup()",
        DEBUG="true",
        ENV_FILE="",
        REDIS_URL="",
        PAGE_CACHE_REDIS_URL="redis://pages.internal:6379/0",
    )
    assert result.returncode != 0
    assert "PAGE_CACHE_REDIS_URL needs REDIS_URL" in result.stderr


# Point 10: cookies on shared pages ----------------------------------------------------------


def test_a_dead_session_cookie_gets_a_private_page_and_no_shared_copy_carries_it(client):
    url = make_article().get_absolute_url()
    Client().get(url)  # Another reader filled the cache.

    for _ in range(2):
        client.cookies["sessionid"] = "expired-or-made-up"
        response = client.get(url)
        assert response.cookies["sessionid"].value == ""  # Django deletes it...
        assert for_this_reader_only(response)  # ...so no shared cache may keep the answer.

    other = Client()
    assert from_cache(other, url)
    clean = other.get(url)
    assert not clean.cookies
    assert "public" in clean["Cache-Control"]


def test_an_unreadable_csrf_cookie_is_replaced_on_a_private_page_only(client):
    url = make_article().get_absolute_url()
    client.cookies["csrftoken"] = "not-a-token!"

    response = client.get(url)

    assert response.cookies["csrftoken"].value  # A fresh secret, for this reader alone.
    assert for_this_reader_only(response)


calls = itertools.count(1)


@reader_page
def page_with_a_token(request):
    return HttpResponse(f"<p>{next(calls)}</p><input value='{get_token(request)}'>")


urlpatterns = [path("with-a-token/", page_with_a_token)]


@pytest.mark.urls(__name__)
def test_a_page_made_with_a_csrf_token_is_never_stored():
    first = Client().get("/with-a-token/")
    second = Client().get("/with-a-token/")

    assert first.cookies["csrftoken"]
    assert for_this_reader_only(first)
    assert second.content != first.content  # Made again, with the second reader's token.
    assert for_this_reader_only(second)


def message_cookie(text):
    """A messages cookie as the site sets it after a comment is posted."""
    storage = CookieStorage(HttpRequest())
    storage.add(messages.SUCCESS, text)
    response = HttpResponse()
    storage.update(response)
    return response.cookies[CookieStorage.cookie_name].value


@pytest.fixture
def cached_story():
    story = make_article(title="Storm warning")
    Client().get(story.get_absolute_url())
    return story


def test_a_junk_messages_cookie_does_not_skip_the_cache(client, cached_story):
    client.cookies["messages"] = "junk"
    url = cached_story.get_absolute_url()

    response, cost = queries(client, url)

    assert cost == 0
    assert response.cookies["messages"].value == ""  # Deleted...
    assert for_this_reader_only(response)  # ...on an answer for this reader only.
    assert from_cache(client, url)  # Without it, an ordinary reader.


def test_a_message_cookie_replayed_long_after_does_not_skip_the_cache(
    client, monkeypatch, cached_story
):
    with monkeypatch.context() as patch:
        eleven_minutes_ago = int(time.time()) - 11 * 60
        patch.setattr(
            signing.TimestampSigner,
            "timestamp",
            lambda self: signing.b62_encode(eleven_minutes_ago),
        )
        client.cookies["messages"] = message_cookie("Thank you for your comment.")

    response, cost = queries(client, cached_story.get_absolute_url())

    assert cost == 0
    assert "Thank you for your comment." not in response.text


def test_a_reader_with_a_real_message_still_gets_it_on_a_fresh_page(client, cached_story):
    client.cookies["messages"] = message_cookie("Thank you for your comment.")

    response, _ = queries(client, cached_story.get_absolute_url())

    # Made for this reader: no copy of the page holds the message.
    assert "Thank you for your comment." in response.text
    assert for_this_reader_only(response)


# Point 10: a writer's draft saves keep the page cache ----------------------------------------


def test_a_writers_draft_saves_keep_every_cached_page(client):
    story = make_article(title="Published story")
    draft = make_article(title="Work in progress", status=Article.Status.DRAFT)
    author = Author.objects.create(name="Dana Writer", slug="dana-writer")
    pages = ["/", story.get_absolute_url(), story.category.get_absolute_url(), "/feeds/rss/"]
    for url in pages:
        client.get(url)

    draft.title = "Work in progress, second go"
    draft.save()
    draft.tags.add("Elections")
    Byline.objects.create(article=draft, author=author)
    Correction.objects.create(article=draft, text="Not yet.")
    draft.status = Article.Status.REVIEW
    draft.save()

    assert all(from_cache(client, url) for url in pages)

    # What readers can see still shows at once.
    story.title = "Published story, updated"
    story.save()
    assert "Published story, updated" in client.get("/").text


def test_scheduling_or_taking_down_a_story_still_shows_at_once(client):
    story = make_article(title="Taken down")
    client.get("/")

    story.status = Article.Status.DRAFT
    story.save()
    assert "Taken down" not in client.get("/").text

    draft = make_article(title="Scheduled", status=Article.Status.DRAFT)
    client.get("/")
    draft.status = Article.Status.PUBLISHED
    draft.published_at = timezone.now() + timedelta(minutes=1)
    draft.save()
    assert not from_cache(client, "/")  # "Next due" moved.


# Points 8 and 9: "Most read" ----------------------------------------------------------------


def beacon(story, address="192.0.2.10", agent=BROWSER):
    url = reverse("mostread:hit", args=[story.pk])
    return Client(headers={"user-agent": agent}).post(url, REMOTE_ADDR=address)


def counted(story):
    return sum(
        count for (article_id, _), count in counts.pending().items() if article_id == story.pk
    )


def test_one_client_posting_the_beacon_500_times_counts_once_an_hour(monkeypatch):
    story = make_article()
    for _ in range(500):
        assert beacon(story).status_code == 204
    assert counted(story) == 1

    an_hour_later = timezone.now() + timedelta(hours=1)
    monkeypatch.setattr(timezone, "now", lambda: an_hour_later)
    beacon(story)
    assert counted(story) == 2


def test_different_readers_count_each_once():
    story = make_article()
    for _ in range(3):
        beacon(story, address="192.0.2.10")
        beacon(story, address="198.51.100.7")
        beacon(story, address="192.0.2.10", agent=BROWSER.replace("Linux", "Windows"))

    assert counted(story) == 3


def test_a_script_changing_its_user_agent_counts_as_a_household_at_most():
    story = make_article()
    for n in range(100):
        beacon(story, agent=f"{BROWSER} r{n}")
        beacon(story, address=f"2001:db8::{n + 1:x}", agent=f"{BROWSER} r{n}")  # One /64.

    assert counted(story) == 2 * counts.READERS_PER_ADDRESS


def test_who_read_what_is_not_kept_in_clear():
    story = make_article()
    beacon(story, address="203.0.113.99", agent="Mozilla/5.0 Reader-Fingerprint-Example")

    stored = repr(list(cache._cache.items())) + repr(list(cache._cache.keys()))
    assert counted(story) == 1
    assert "203.0.113.99" not in stored
    assert "Reader-Fingerprint-Example" not in stored


@pytest.mark.parametrize("take_down", ["unpublish", "delete"])
def test_a_story_taken_down_leaves_most_read_on_every_page_at_once(client, take_down):
    gone = make_article(title="Retracted scoop", category=make_category(name="Business"))
    other = make_article(title="Other news", category=make_category(name="Sport"))
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    ArticleView.objects.create(article=gone, hour=hour, count=50)
    ArticleView.objects.create(article=other, hour=hour, count=5)
    pages = ["/", other.get_absolute_url(), other.category.get_absolute_url()]
    for url in pages:
        assert "Retracted scoop" in client.get(url).text

    if take_down == "unpublish":
        gone.status = Article.Status.DRAFT
        gone.save()
    else:
        gone.delete()

    for url in pages:
        assert "Retracted scoop" not in client.get(url).text, url


def test_a_comment_approved_under_a_story_with_a_non_latin_address_shows_at_once(client):
    story = make_article(title="Алматы", slug="алматы-қаласы")
    comment = make_comment(story, body="Жақсы мақала.", status="pending")
    client.get(story.get_absolute_url())

    comment.status = Comment.Status.APPROVED
    comment.save()

    assert "Жақсы мақала." in client.get(story.get_absolute_url()).text

"""No stampede: when a page's copy is out of date, one request renders it again while the others
are served the previous copy, for at most PAGE_CACHE_STALE_SECONDS, and never once something
was taken away from readers (unpublished, deleted, withdrawn)."""

import datetime
import os
import threading
import uuid
from unittest import mock

import pytest
import redis
from django.core.cache import cache, caches
from django.db import connections
from django.test import Client
from django.utils import timezone

from articles import views
from articles.models import Article
from comments.models import Comment
from pagecache import middleware

from .factories import make_article, make_comment

# A Redis database no one else uses here (CI and developers use 0), and a prefix of our own.
REDIS_URL = os.environ.get("STAMPEDE_REDIS_URL", "redis://127.0.0.1:6379/14")
READERS = 8


class Clock:
    """timezone.now(), moved by hand: noon today, so that no test crosses midnight."""

    def __init__(self):
        self.now = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)

    def advance(self, seconds):
        self.now += datetime.timedelta(seconds=seconds)


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_DEBUG_HEADER = True
    settings.PAGE_CACHE_SECONDS = 300
    settings.PAGE_CACHE_STALE_SECONDS = 30
    caches["pages"].clear()  # conftest empties only the default cache.


@pytest.fixture
def clock():
    clock = Clock()
    with mock.patch("django.utils.timezone.now", side_effect=lambda: clock.now):
        yield clock


def how(response):
    return response.get("X-Page-Cache")


def hold_render_lock(response):
    """Another worker is rendering this page again (it holds the lock)."""
    cache.add(middleware._render_lock(response.wsgi_request.page_cache_key), True, 60)


# Stale within the bound, and only then ----------------------------------------------------


@pytest.mark.django_db
def test_while_one_request_renders_the_others_get_the_previous_copy(client, clock):
    story = make_article(title="Floods reach the capital")
    first = client.get("/")
    hold_render_lock(first)
    clock.advance(5)
    story.title = "Floods recede"
    story.save()

    clock.advance(29)  # Out of date for 29 seconds: still within PAGE_CACHE_STALE_SECONDS.
    stale = client.get("/")

    assert how(stale) == "stale"
    assert "Floods reach the capital" in stale.text


@pytest.mark.django_db
def test_a_copy_out_of_date_longer_than_the_bound_is_never_served(client, clock, monkeypatch):
    monkeypatch.setattr(middleware, "RENDER_WAIT_SECONDS", 0)
    story = make_article(title="Floods reach the capital")
    first = client.get("/")
    hold_render_lock(first)
    story.title = "Floods recede"
    story.save()

    clock.advance(31)
    response = client.get("/")

    assert how(response) == "miss"
    assert "Floods recede" in response.text


@pytest.mark.django_db
def test_an_aged_copy_is_served_while_it_is_cached_again(client, clock):
    make_article(title="Floods reach the capital")
    first = client.get("/")
    hold_render_lock(first)

    clock.advance(300 + 30)
    assert how(client.get("/")) == "stale"
    clock.advance(1)
    assert how(client.get("/")) == "miss"


@pytest.mark.django_db
def test_the_render_lock_is_released_once_the_page_is_stored(client, clock):
    make_article()
    response = client.get("/")

    assert cache.get(middleware._render_lock(response.wsgi_request.page_cache_key)) is None


# Taken away from readers: purged at once ----------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("how_removed", ["unpublished", "deleted"])
def test_a_story_taken_away_is_never_served_from_a_stale_copy(
    client, clock, monkeypatch, how_removed
):
    monkeypatch.setattr(middleware, "RENDER_WAIT_SECONDS", 0)
    story = make_article(title="Libel about the mayor")
    make_article(title="Rain eases in the north")
    url = story.get_absolute_url()
    front, page = client.get("/"), client.get(url)
    hold_render_lock(front)
    hold_render_lock(page)

    clock.advance(1)
    if how_removed == "deleted":
        story.delete()
    else:
        story.status = Article.Status.DRAFT
        story.save()

    assert "Libel about the mayor" not in client.get("/").text
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_a_comment_withdrawn_is_never_served_from_a_stale_copy(client, clock, monkeypatch):
    monkeypatch.setattr(middleware, "RENDER_WAIT_SECONDS", 0)
    story = make_article()
    comment = make_comment(article=story, status=Comment.Status.APPROVED, body="Defamatory words")
    page = client.get(story.get_absolute_url())
    assert "Defamatory words" in page.text
    hold_render_lock(page)

    clock.advance(1)
    Comment.objects.filter(pk=comment.pk).moderate(Comment.Status.REJECTED, None)

    assert "Defamatory words" not in client.get(story.get_absolute_url()).text


@pytest.mark.django_db
def test_a_comment_published_may_be_served_stale_for_a_moment(client, clock):
    story = make_article()
    page = client.get(story.get_absolute_url())
    hold_render_lock(page)

    clock.advance(1)
    make_comment(article=story, status=Comment.Status.APPROVED, body="Fresh words")

    assert how(client.get(story.get_absolute_url())) == "stale"


# One render under concurrent misses: threads against locmem and a real Redis ----------------


@pytest.fixture
def redis_cache(settings):
    """The default and pages caches in a real Redis, under a prefix of this run's own."""
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        message = f"Redis is not running at {REDIS_URL}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    prefix = f"p1-stampede-{uuid.uuid4().hex[:8]}"
    backend = {"BACKEND": "pagecache.backends.FailSafeRedisCache", "LOCATION": REDIS_URL}
    settings.CACHES = {
        "default": {**backend, "KEY_PREFIX": prefix},
        "pages": {**backend, "KEY_PREFIX": f"{prefix}:pages"},
    }
    yield
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)


@pytest.fixture(params=["locmem", "redis"])
def shared_cache(request):
    if request.param == "redis":
        request.getfixturevalue("redis_cache")


class SlowFrontPage:
    """Counts renders of the front page; the first waits until the test lets it finish."""

    def __init__(self, monkeypatch):
        self.renders = 0
        self.entered = threading.Event()
        self.finish = threading.Event()
        self.original = views.lead_and_latest
        monkeypatch.setattr(views, "lead_and_latest", self)

    def __call__(self):
        self.renders += 1
        self.entered.set()
        self.finish.wait(10)
        return self.original()


def read_front_page(results):
    def read():
        try:
            response = Client().get("/")
            results.append((how(response), response.content.decode()))
        finally:
            connections.close_all()  # Else the test database cannot be dropped.

    return threading.Thread(target=read)


def race(slow, renderer, others):
    """One reader starts rendering the front page (held in `slow`), then READERS more arrive:
    (the first reader's thread, the others' threads), all started."""
    first = read_front_page(renderer)
    first.start()
    assert slow.entered.wait(10)
    readers = [read_front_page(others) for _ in range(READERS)]
    for reader in readers:
        reader.start()
    return first, readers


@pytest.mark.django_db(transaction=True)
def test_one_render_while_the_others_get_the_previous_copy(shared_cache, monkeypatch):
    story = make_article(title="Floods reach the capital")
    Client().get("/")
    story.title = "Floods recede"
    story.save()
    slow = SlowFrontPage(monkeypatch)

    renderer, others = [], []
    first, readers = race(slow, renderer, others)
    for reader in readers:  # All answered while the first is still rendering.
        reader.join(10)
    slow.finish.set()
    first.join(10)

    assert slow.renders == 1
    assert [served for served, _ in others] == ["stale"] * READERS
    assert all("Floods reach the capital" in page for _, page in others)
    assert "Floods recede" in renderer[0][1]


class Arrivals:
    """Counts the requests that have begun waiting for the copy being rendered."""

    def __init__(self, monkeypatch):
        self.count = 0
        self.changed = threading.Condition()
        self.original = middleware._wait_for_copy
        monkeypatch.setattr(middleware, "_wait_for_copy", self)

    def __call__(self, request):
        with self.changed:
            self.count += 1
            self.changed.notify_all()
        return self.original(request)

    def wait_for(self, count):
        with self.changed:
            return self.changed.wait_for(lambda: self.count >= count, timeout=10)


@pytest.mark.django_db(transaction=True)
def test_one_render_under_concurrent_misses_with_no_copy_at_all(shared_cache, monkeypatch):
    make_article(title="Floods reach the capital")
    slow = SlowFrontPage(monkeypatch)
    waiting = Arrivals(monkeypatch)

    renderer, others = [], []
    first, readers = race(slow, renderer, others)
    waiting.wait_for(READERS)  # Every reader missed while the first was rendering.
    slow.finish.set()  # The waiting readers are given the copy once it is stored.
    first.join(10)
    for reader in readers:
        reader.join(10)

    assert slow.renders == 1
    assert [served for served, _ in others] == ["hit"] * READERS
    assert all("Floods reach the capital" in page for _, page in others)


@pytest.mark.django_db
def test_a_copy_is_never_served_stale_once_the_clock_changes_the_page(
    client, clock, monkeypatch, settings
):
    """Comments closing (pages.changes_at) or midnight's date: no grace at all."""
    monkeypatch.setattr(middleware, "RENDER_WAIT_SECONDS", 0)
    days = datetime.timedelta(days=settings.COMMENTS_CLOSE_AFTER_DAYS)
    story = make_article(published_at=clock.now - days + datetime.timedelta(seconds=10))
    page = client.get(story.get_absolute_url())
    hold_render_lock(page)

    clock.advance(11)  # Comments have closed.

    assert how(client.get(story.get_absolute_url())) == "miss"

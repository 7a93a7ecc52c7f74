"""Caches that revalidate: a page cached again with the same content keeps its ETag and
Last-Modified, compressed or not, so crawlers and feed readers get their 304s; HEAD is answered
from the same copy as GET."""

import datetime
import gzip
from unittest import mock

import pytest
from django.core.cache import caches
from django.utils import timezone
from django.utils.http import http_date

from .factories import make_article, make_category, make_comment

pytestmark = pytest.mark.django_db

GZIP = {"Accept-Encoding": "gzip"}


class Clock:
    """timezone.now(), moved by hand: noon today, so that no test crosses midnight."""

    def __init__(self):
        self.now = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)

    def advance(self, seconds):
        self.now += datetime.timedelta(seconds=seconds)


@pytest.fixture(autouse=True)
def no_copies_from_other_tests():
    """A copy from another test would be this page's previous version (conftest empties only
    the default cache)."""
    caches["pages"].clear()


@pytest.fixture
def clock(settings):
    settings.PAGE_CACHE_DEBUG_HEADER = True
    settings.PAGE_CACHE_SECONDS = 300
    settings.PAGE_CACHE_STALE_SECONDS = 30
    clock = Clock()
    with mock.patch("django.utils.timezone.now", side_effect=lambda: clock.now):
        yield clock


@pytest.fixture
def site(clock):
    section = make_category(name="Weather", slug="weather")
    # Published lately whatever the factories' sequence: the news sitemap lists two days.
    minutes = [clock.now - datetime.timedelta(minutes=n) for n in (1, 2)]
    story = make_article(
        title="Floods reach the capital", category=section, published_at=minutes[0]
    )
    make_article(title="Rain eases in the north", category=section, published_at=minutes[1])
    return {"story": story, "section": section}


def addresses(site):
    return ["/", site["section"].get_absolute_url(), "/about/", "/feeds/rss/"]


@pytest.mark.parametrize("headers", [{}, GZIP], ids=["plain", "gzip"])
@pytest.mark.parametrize("index", range(4), ids=["front", "section", "about", "feed"])
def test_a_page_cached_again_with_the_same_content_answers_304(client, clock, site, headers, index):
    url = addresses(site)[index]
    first = client.get(url, headers=headers)
    clock.advance(301)  # The copy is out of date: the page is rendered and cached again.

    refilled = client.get(url, headers=headers)
    by_etag = client.get(url, headers={**headers, "If-None-Match": first["ETag"]})
    by_date = client.get(url, headers={**headers, "If-Modified-Since": first["Last-Modified"]})

    assert refilled.get("X-Page-Cache") == "miss"
    assert refilled["ETag"] == first["ETag"]
    assert refilled["Last-Modified"] == first["Last-Modified"]
    assert (by_etag.status_code, by_date.status_code) == (304, 304)


def test_head_gets_304_too_after_a_refill(client, clock, site):
    first = client.get("/", headers=GZIP)
    clock.advance(301)
    client.get("/", headers=GZIP)

    by_etag = client.head("/", headers={**GZIP, "If-None-Match": first["ETag"]})
    by_date = client.head("/", headers={**GZIP, "If-Modified-Since": first["Last-Modified"]})

    assert (by_etag.status_code, by_date.status_code) == (304, 304)


def test_the_etag_is_the_same_compressed_or_not_and_weak_when_compressed(client, site):
    compressed = client.get("/", headers=GZIP)
    plain = client.get("/")

    assert compressed["Content-Encoding"] == "gzip"
    assert compressed["ETag"] == "W/" + plain["ETag"]
    # Compared weakly (RFC 9110): either validator revalidates either copy.
    assert client.get("/", headers={**GZIP, "If-None-Match": plain["ETag"]}).status_code == 304
    assert client.get("/", headers={"If-None-Match": compressed["ETag"]}).status_code == 304


def test_a_changed_page_gets_a_new_etag_and_no_304(client, clock, site):
    first = client.get("/", headers=GZIP)
    clock.advance(60)
    site["story"].title = "Floods recede"
    site["story"].save()

    again = client.get("/", headers={**GZIP, "If-None-Match": first["ETag"]})
    by_date = client.get("/", headers={**GZIP, "If-Modified-Since": first["Last-Modified"]})

    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
    assert "Floods recede" in gzip.decompress(again.content).decode()
    assert by_date.status_code == 200
    assert again["Last-Modified"] == http_date(clock.now.timestamp())


@pytest.mark.parametrize("headers", [{}, GZIP], ids=["plain", "gzip"])
def test_head_is_answered_from_the_cached_copy_with_the_same_headers_as_get(
    client, clock, site, headers
):
    got = client.get("/", headers=headers)
    clock.advance(5)

    head = client.head("/", headers=headers)

    assert head.status_code == 200
    assert head.get("X-Page-Cache") == "hit"
    assert head.content == b""
    for name in ("ETag", "Last-Modified", "Cache-Control", "Content-Type", "Vary", "Expires"):
        assert head.get(name) == got.get(name), name
    assert head.get("Content-Encoding") == got.get("Content-Encoding")


def test_a_conditional_head_gets_304(client, site):
    first = client.get("/")

    head = client.head("/", headers={"If-None-Match": first["ETag"]})

    assert head.status_code == 304


def test_last_modified_is_when_the_content_changed_not_when_it_was_cached(client, clock, site):
    published = clock.now
    clock.advance(120)
    front = client.get("/")
    clock.advance(120)
    story = client.get(site["story"].get_absolute_url())

    assert front["Last-Modified"] == http_date(published.timestamp())
    assert story["Last-Modified"] == http_date(published.timestamp())


def test_a_comment_published_moves_the_story_pages_last_modified(client, clock, site):
    story = site["story"]
    before = client.get(story.get_absolute_url())
    clock.advance(60)
    make_comment(article=story, status="approved", moderated_at=clock.now)

    after = client.get(story.get_absolute_url())

    assert before["Last-Modified"] != after["Last-Modified"]
    assert after["Last-Modified"] == http_date(clock.now.timestamp())


def test_the_news_sitemap_keeps_its_etag_when_compressed(client, site):
    first = client.get("/sitemap-news.xml", headers=GZIP)
    again = client.get("/sitemap-news.xml", headers=GZIP)

    assert first["Content-Encoding"] == "gzip"
    assert again["ETag"] == first["ETag"]
    revalidated = client.get("/sitemap-news.xml", headers={**GZIP, "If-None-Match": first["ETag"]})
    assert revalidated.status_code == 304

"""A comment is accepted for where the browser says it was sent from (Sec-Fetch-Site, Origin),
not for a token, so the cached story page needs no token, no cookie and no script; and the
form's "shown at" time is the same for every render of the page, yet cannot be replayed."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments.forms import FORM_EXPIRED
from comments.models import Comment
from comments.moderation import moderator
from comments.views import NOT_CONFIRMED

from .factories import make_article

pytestmark = pytest.mark.django_db

WORDS = "The bridge on the ring road is closed both ways."
READER = {"name": "Dana", "email": "dana@example.com", "body": WORDS, "website": ""}


@pytest.fixture(autouse=True)
def page_cache_header(settings):
    """X-Page-Cache tells these tests a hit from a miss; it is off in production."""
    settings.PAGE_CACHE_DEBUG_HEADER = True


@pytest.fixture
def story():
    return make_article(
        title="Storm closes bridges", published_at=timezone.now() - timedelta(hours=1)
    )


@pytest.fixture
def clock(monkeypatch):
    """The site's clock, set to 10 seconds into a cache period and moved by the test."""
    period = moderator.stamp_period()
    start = (int(timezone.now().timestamp()) // period + 1) * period
    clock = type("Clock", (), {})()
    clock.now = datetime.fromtimestamp(start + 10, tz=UTC)
    clock.period = period

    def move(**delta):
        clock.now += timedelta(**delta)

    clock.move = move
    monkeypatch.setattr(timezone, "now", lambda: clock.now)
    return clock


def form_fields(html):
    form = re.search(r'<form class="comment-form".*?</form>', html, re.DOTALL).group(0)
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))


def post(client, story, fields, **headers):
    """Post the reader's comment with `fields` from the page, as a browser sending `headers`."""
    return client.post(
        reverse("comments:post", args=[story.pk]), {**fields, **READER}, headers=headers
    )


def strict_reader():
    """A browser with no CSRF cookie, whose posts get Django's real CSRF check."""
    return Client(enforce_csrf_checks=True)


def cached_page(story):
    Client().get(story.get_absolute_url())  # an earlier reader fills the cache
    page = strict_reader().get(story.get_absolute_url())
    assert page["X-Page-Cache"] == "hit"
    return page


# Where the post comes from --------------------------------------------------------------------


def test_a_same_origin_post_is_accepted_without_token_or_cookie(story, settings):
    settings.COMMENTS_MIN_SECONDS = 0
    page = cached_page(story)
    reader = strict_reader()

    response = post(reader, story, form_fields(page.text), sec_fetch_site="same-origin")

    assert response.status_code == 302
    assert "csrfmiddlewaretoken" not in form_fields(page.text)
    assert not reader.cookies.get("csrftoken")
    comment = Comment.objects.get()
    assert (comment.body, comment.status) == (WORDS, Comment.Status.PENDING)


@pytest.mark.parametrize("fetch_site", ["cross-site", "same-site", "none"])
def test_a_post_from_another_site_is_refused_and_nothing_is_stored(
    story, settings, caplog, fetch_site
):
    settings.COMMENTS_MIN_SECONDS = 0
    fields = form_fields(cached_page(story).text)

    # The plain test client skips the token check: only the browser's word decides here.
    response = post(
        Client(), story, fields, sec_fetch_site=fetch_site, origin="https://evil.example"
    )

    assert response.status_code == 403
    assert "Comment not accepted" in response.text
    assert "sent from a page on another website" in response.text
    assert not Comment.objects.exists()
    # Logged where Django logs CSRF refusals, for whoever watches for attacks.
    assert [r.name for r in caplog.records if "another site" in r.getMessage()] == [
        "django.security.csrf"
    ]


def test_a_same_site_post_from_a_trusted_origin_is_accepted(story, settings):
    settings.COMMENTS_MIN_SECONDS = 0
    settings.CSRF_TRUSTED_ORIGINS = ["https://*.example.com"]
    fields = form_fields(cached_page(story).text)

    response = post(
        strict_reader(),
        story,
        fields,
        sec_fetch_site="same-site",
        origin="https://live.example.com",
    )

    assert response.status_code == 302
    assert Comment.objects.filter(body=WORDS).exists()


@pytest.mark.parametrize(
    "origin", ["http://testserver", "https://news.example.com", "HTTP://TESTSERVER"]
)
def test_an_older_browser_sending_only_our_origin_is_accepted(story, settings, origin):
    """No Sec-Fetch-Site: the Origin must be the request's own host or SITE_URL."""
    settings.COMMENTS_MIN_SECONDS = 0
    settings.SITE_URL = "https://news.example.com"
    fields = form_fields(cached_page(story).text)

    response = post(strict_reader(), story, fields, origin=origin)

    assert response.status_code == 302
    assert Comment.objects.get().body == WORDS


@pytest.mark.parametrize(
    "origin",
    ["https://evil.example", "null", "https://testserver", "http://testserver.evil.example"],
)
def test_an_older_browser_sending_another_origin_is_refused(story, settings, origin):
    settings.COMMENTS_MIN_SECONDS = 0
    fields = form_fields(cached_page(story).text)

    response = post(Client(), story, fields, origin=origin)

    assert response.status_code == 403
    assert "Comment not accepted" in response.text
    assert not Comment.objects.exists()


def test_without_either_header_the_token_decides_and_the_words_are_kept(story, settings):
    settings.COMMENTS_MIN_SECONDS = 0
    fields = form_fields(cached_page(story).text)
    reader = strict_reader()

    refused = post(reader, story, fields)

    assert refused.status_code == 403
    assert NOT_CONFIRMED.split("(")[0] in refused.text
    assert WORDS in refused.text
    assert not Comment.objects.exists()
    # The form given back carries a token of its own: posting it again goes through.
    again = post(reader, story, form_fields(refused.text))
    assert again.status_code == 302
    assert Comment.objects.get().body == WORDS


def test_a_refused_post_does_not_count_against_the_readers_rate_limit(story, settings):
    settings.COMMENTS_MIN_SECONDS = 0
    settings.COMMENTS_RATE_LIMIT = (1, 600)
    fields = form_fields(cached_page(story).text)
    reader = Client()

    for _ in range(3):
        assert post(reader, story, fields, sec_fetch_site="cross-site").status_code == 403

    assert post(reader, story, fields, sec_fetch_site="same-origin").status_code == 302


# The "shown at" time: the same on every render, never replayable ------------------------------


def test_two_renders_of_an_unchanged_story_page_are_byte_identical(story, clock):
    first = Client().get(story.get_absolute_url())
    caches["pages"].clear()  # the page is made again, e.g. on another server
    clock.move(seconds=100)

    second = Client().get(story.get_absolute_url(), headers={"If-None-Match": first["ETag"]})
    third = Client().get(story.get_absolute_url())

    assert second.status_code == 304  # a browser's or CDN's copy revalidates
    assert third.content == first.content


def test_a_cached_page_is_never_served_with_a_stamp_older_than_its_period(story, clock):
    stamped = form_fields(Client().get(story.get_absolute_url()).text)["shown_at"]
    clock.move(seconds=clock.period - 11)
    assert Client().get(story.get_absolute_url())["X-Page-Cache"] == "hit"

    clock.move(seconds=2)  # into the next period
    page = Client().get(story.get_absolute_url())

    assert page["X-Page-Cache"] == "miss"
    fresh = form_fields(page.text)["shown_at"]
    assert fresh != stamped
    assert moderator.seconds_since_shown(fresh) < 2


def test_a_page_made_in_the_last_second_of_a_period_is_still_cached(story, clock):
    clock.move(seconds=clock.period - 10.5)  # half a second before the period ends
    Client().get(story.get_absolute_url())
    clock.move(seconds=20)

    page = Client().get(story.get_absolute_url())

    assert page["X-Page-Cache"] == "hit"
    assert moderator.seconds_since_shown(form_fields(page.text)["shown_at"]) < clock.period + 30


def test_a_stale_stamp_replayed_by_a_bot_is_not_published_nor_queued(story, settings, clock):
    """A bot keeps a cached page's form and posts it 20 minutes later, at once: it used to land
    in Pending. Now the old stamp counts as none, and the instant repost is spam."""
    settings.COMMENTS_MIN_SECONDS = 3
    fields = form_fields(Client().get(story.get_absolute_url()).text)
    clock.move(minutes=20)
    bot = Client()

    replayed = post(bot, story, fields, sec_fetch_site="same-origin")

    assert replayed.status_code == 200
    assert FORM_EXPIRED.split(":")[0] in replayed.text
    assert not Comment.objects.exists()
    post(bot, story, form_fields(replayed.text), sec_fetch_site="same-origin")
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.SPAM
    assert "seconds after the form was shown" in comment.spam_reason


def test_a_reader_who_kept_the_page_open_an_hour_keeps_their_words_and_is_not_spam(
    story, settings, clock
):
    settings.COMMENTS_MIN_SECONDS = 3
    fields = form_fields(Client().get(story.get_absolute_url()).text)
    clock.move(hours=1)
    reader = Client()

    asked_again = post(reader, story, fields, sec_fetch_site="same-origin")
    assert WORDS in asked_again.text
    assert not Comment.objects.exists()
    clock.move(seconds=8)  # reads the note, presses the button again
    posted = post(reader, story, form_fields(asked_again.text), sec_fetch_site="same-origin")

    assert posted.status_code == 302
    assert Comment.objects.get().status == Comment.Status.PENDING


def test_a_reader_who_writes_for_ten_minutes_posts_at_once(story, settings, clock):
    """The page may come from the cache near the end of its period and from the browser's
    copy after that: the stamp stays good for all of that, plus COMMENTS_WRITING_MINUTES."""
    settings.COMMENTS_MIN_SECONDS = 3
    Client().get(story.get_absolute_url())
    clock.move(seconds=clock.period - 12)  # the last cached second of the period
    fields = form_fields(Client().get(story.get_absolute_url()).text)
    clock.move(seconds=settings.PAGE_MAX_AGE + settings.PAGE_STALE_WHILE_REVALIDATE)
    clock.move(minutes=settings.COMMENTS_WRITING_MINUTES)

    response = post(Client(), story, fields, sec_fetch_site="same-origin")

    assert response.status_code == 302
    assert Comment.objects.get().status == Comment.Status.PENDING

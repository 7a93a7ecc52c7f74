import itertools
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.furniture import site_furniture
from articles.models import Article
from mostread import counts
from mostread.models import ArticleView

from .factories import make_article, make_user
from .test_redirects import migrate

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"


@pytest.fixture(autouse=True)
def empty_cache():
    """Counters and lists live in the local-memory cache, which outlives a test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def reader():
    return Client(headers={"user-agent": BROWSER})


@pytest.fixture
def clock(monkeypatch):
    """Move the site's clock: clock.set(datetime)."""

    class Clock:
        def set(self, moment):
            monkeypatch.setattr(timezone, "now", lambda: moment)

    return Clock()


ADDRESSES = itertools.count()


def hit(client, story, address=None):
    """A reading of `story`: by a new reader (from an address of their own) unless `address` is
    given, as a reader counts once per story per hour."""
    if address is None:
        n = next(ADDRESSES)
        address = f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"
    url = reverse("mostread:hit", args=[getattr(story, "pk", story)])
    return client.post(url, REMOTE_ADDR=address)


def writes(queries):
    return [
        query["sql"]
        for query in queries
        if query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]


def stored():
    """{article id: page views} in the database."""
    return {view.article_id: view.count for view in ArticleView.objects.all()}


def waiting():
    """{article id: page views} waiting in the cache."""
    totals = {}
    for (article_id, _), count in counts.pending().items():
        totals[article_id] = totals.get(article_id, 0) + count
    return totals


def this_hour():
    return timezone.now().replace(minute=0, second=0, microsecond=0)


# Counting


def test_a_hit_is_counted_in_the_cache_and_writes_nothing_to_the_database(
    reader, django_assert_num_queries
):
    story = make_article()

    with CaptureQueriesContext(connection) as queries:
        response = hit(reader, story)

    assert response.status_code == 204
    assert response.content == b""
    assert "no-store" in response["Cache-Control"]
    assert writes(queries) == []
    assert waiting() == {story.pk: 1}
    assert stored() == {}
    # The story was checked at its first hit this hour: the next hits cost no query at all.
    with django_assert_num_queries(0):
        hit(reader, story)
    assert waiting() == {story.pk: 2}


def test_reaching_the_threshold_flushes_every_waiting_count_in_one_batch(reader, settings):
    settings.MOST_READ_FLUSH_EVERY = 5
    first, second = make_article(), make_article()
    for story in (first, first, first, second):
        hit(reader, story)
    assert stored() == {}

    with CaptureQueriesContext(connection) as queries:
        hit(reader, second)

    assert len(writes(queries)) == 1
    assert stored() == {first.pk: 3, second.pk: 2}
    assert waiting() == {}


def test_repeated_flushes_add_to_the_counts(reader, settings):
    settings.MOST_READ_FLUSH_EVERY = 2
    story = make_article()

    hit(reader, story)
    hit(reader, story)
    assert stored() == {story.pk: 2}
    hit(reader, story)
    hit(reader, story)
    assert stored() == {story.pk: 4}
    assert ArticleView.objects.get().hour == this_hour()


def test_a_quiet_minute_flushes_too(reader):
    story = make_article()
    hit(reader, story)
    hit(reader, story)
    assert stored() == {}

    cache.delete(counts.PERIOD_KEY)  # What MOST_READ_FLUSH_SECONDS without a flush does.
    hit(reader, story)

    assert stored() == {story.pk: 3}


def test_the_command_flushes_what_is_left(reader, capsys):
    story = make_article()
    for _ in range(3):
        hit(reader, story)

    call_command("flush_view_counts", "--dry-run")
    assert "Would add 3 page views of 1 story." in capsys.readouterr().out
    assert stored() == {}

    call_command("flush_view_counts")
    assert "Added 3 page views of 1 story." in capsys.readouterr().out
    assert stored() == {story.pk: 3}

    call_command("flush_view_counts")  # Safe to re-run: nothing is added twice.
    assert "Added 0 page views" in capsys.readouterr().out
    assert stored() == {story.pk: 3}


def test_only_one_flush_runs_at_a_time(reader, capsys):
    hit(reader, make_article())
    cache.add(counts.LOCK_KEY, True)

    assert counts.flush() is None
    call_command("flush_view_counts")
    assert "Another flush is running" in capsys.readouterr().err
    assert stored() == {}


def test_an_hour_that_has_ended_is_flushed_and_forgotten(reader, clock):
    story = make_article(published_at=timezone.now() - timedelta(days=1))
    ten_thirty = datetime(2031, 3, 4, 10, 30, tzinfo=UTC)
    clock.set(ten_thirty)
    hit(reader, story)
    hit(reader, story)

    clock.set(ten_thirty + timedelta(hours=1, minutes=15))
    counts.flush()

    assert ArticleView.objects.get().hour == ten_thirty.replace(minute=0)
    assert stored() == {story.pk: 2}
    assert cache.get(counts._size_key(ten_thirty.replace(minute=0))) is None


# What is counted


def test_the_beacon_counts_cached_pages_the_article_view_counts_nothing(reader):
    story = make_article()

    reader.get(story.get_absolute_url())
    assert waiting() == {}
    # A page served by a cache or a CDN never reaches the article view; its beacon still comes.
    hit(reader, story)

    assert waiting() == {story.pk: 1}


def test_the_beacon_takes_only_posts(reader):
    story = make_article()

    response = reader.get(reverse("mostread:hit", args=[story.pk]))

    assert response.status_code == 405
    assert waiting() == {}


def test_unknown_and_unpublished_stories_are_not_counted(reader, settings):
    settings.MOST_READ_FLUSH_EVERY = 2
    stories = [
        make_article(status=Article.Status.DRAFT),
        make_article(status=Article.Status.REVIEW),
        make_article(published_at=timezone.now() + timedelta(hours=1)),  # Scheduled.
    ]

    for story in [*stories, 987654]:
        assert hit(reader, story).status_code == 204

    assert waiting() == {}
    assert stored() == {}


def test_a_story_unpublished_after_it_was_counted_is_dropped_at_the_flush(reader):
    story = make_article()
    hit(reader, story)
    story.status = Article.Status.DRAFT
    story.save()

    counts.flush()

    assert stored() == {}


@pytest.mark.parametrize(
    "agent",
    [
        "",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; Baiduspider/2.0)",
        "SomeCrawler/1.0",
    ],
)
def test_robots_are_not_counted(agent):
    story = make_article()

    hit(Client(headers={"user-agent": agent}), story)

    assert waiting() == {}


def test_staff_are_not_counted_other_signed_in_readers_are(reader):
    story = make_article()
    reader.force_login(make_user(is_staff=True))
    hit(reader, story)
    assert waiting() == {}

    reader.force_login(make_user())
    hit(reader, story)
    assert waiting() == {story.pk: 1}


def test_the_beacon_sets_no_cookie(reader):
    response = hit(reader, make_article())

    assert "Set-Cookie" not in response.headers
    assert not response.cookies


def test_the_article_page_sets_no_cookie_for_an_anonymous_reader(reader):
    # Comments closed: an open comment form sets the CSRF cookie (comments app, not most read).
    story = make_article(comment_mode="closed")

    response = reader.get(story.get_absolute_url())

    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert not response.cookies


# The article page


def test_the_article_page_loads_the_beacon_with_the_story_address_and_no_inline_script(reader):
    story = make_article()

    html = reader.get(story.get_absolute_url()).text

    url = reverse("mostread:hit", args=[story.pk])
    assert f'<script src="/static/js/beacon.js" data-hit-url="{url}" defer></script>' in html
    for attributes, content in re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.DOTALL):
        if 'type="application/ld+json"' in attributes:
            continue  # Data, not a script: a CSP does not block it.
        assert "src=" in attributes
        assert content.strip() == ""


def test_a_preview_of_a_draft_has_no_beacon():
    client = Client()
    client.force_login(make_user(is_staff=True, groups=["Editors"]))
    draft = make_article(status=Article.Status.DRAFT)

    html = client.get(reverse("articles:preview", args=[draft.pk])).text

    assert "beacon.js" not in html


# The lists


def views(story, hours_ago, count):
    return ArticleView.objects.create(
        article=story, hour=this_hour() - timedelta(hours=hours_ago), count=count
    )


def titles(name):
    return [story["title"] for story in counts.most_read_lists()[name]]


def test_today_is_the_last_24_hours_this_week_the_last_7_days():
    fresh, older, old = make_article(), make_article(), make_article()
    views(fresh, 0, 10)
    views(fresh, 23, 5)
    views(older, 30, 50)
    views(old, 8 * 24, 100)

    assert titles("today") == [fresh.title]
    assert titles("week") == [older.title, fresh.title]


def test_the_lists_follow_the_clock(clock):
    story = make_article(published_at=timezone.now() - timedelta(days=1))
    now = timezone.now()
    ArticleView.objects.create(article=story, hour=this_hour(), count=3)

    clock.set(now + timedelta(hours=23))
    assert titles("today") == [story.title]
    clock.set(now + timedelta(hours=25))
    assert titles("today") == []
    assert titles("week") == [story.title]
    clock.set(now + timedelta(days=7, hours=1))
    assert titles("week") == []


def test_the_lists_rank_by_views_keep_five_and_leave_out_drafts():
    stories = [make_article(title=f"Read {n} times") for n in range(1, 8)]
    for n, story in enumerate(stories, start=1):
        views(story, 1, n)
    views(stories[0], 2, 10)  # 11 in all.
    draft = make_article(status=Article.Status.DRAFT)
    views(draft, 1, 1000)

    expected = ["Read 1 times", "Read 7 times", "Read 6 times", "Read 5 times", "Read 4 times"]
    assert titles("today") == expected
    assert titles("week") == expected


def test_the_sidebar_shows_the_lists_and_hides_an_empty_one(client):
    story = make_article(title="The week's big story")
    views(story, 48, 7)

    html = client.get("/").text

    assert '<h2 id="most-read" class="box__title">Most read</h2>' in html
    assert '<h3 class="most-read__period">This week</h3>' in html
    assert f'<li><a href="{story.get_absolute_url()}">The week&#x27;s big story</a></li>' in html
    assert '<h3 class="most-read__period">Today</h3>' not in html


def test_the_sidebar_has_no_most_read_box_before_anything_was_read(client):
    make_article()

    assert "Most read" not in client.get("/").text


def test_cached_lists_cost_no_query(client, django_assert_num_queries):
    views(make_article(), 1, 3)
    # The lists are kept under the content generation, which building the furniture for the
    # first time raises: build it first, as any page on a live site already has.
    site_furniture()
    box = Template("{% load most_read_tags %}{% most_read %}")

    with django_assert_num_queries(1):  # Both lists at once.
        first = box.render(Context())
    with django_assert_num_queries(0):
        assert box.render(Context()) == first

    with CaptureQueriesContext(connection) as queries:
        assert "Most read" in client.get("/").text
    assert not [query for query in queries if "articleview" in query["sql"].lower()]


# The story page plugs in most read's beacon ------------------------------------------------


def test_a_story_page_carries_the_beacon_and_a_draft_preview_does_not(client):
    story = make_article()
    draft = make_article(status=Article.Status.DRAFT)
    client.force_login(make_user("editor", groups=["Editors"], is_staff=True))

    page = client.get(story.get_absolute_url()).text
    preview = client.get(reverse("articles:preview", args=[draft.pk])).text

    assert f'data-hit-url="{reverse("mostread:hit", args=[story.pk])}"' in page
    assert "js/beacon" in page
    assert "Story number" in preview and "data-hit-url" not in preview


# The move of ArticleView from articles to mostread -------------------------------------------


# serialized_rollback puts back the groups the migrations made, for the tests that follow.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_page_views_counted_before_the_move_to_the_mostread_app_are_kept(clock):
    clock.set(datetime(2026, 3, 2, 10, 30, tzinfo=UTC))
    old = migrate([("articles", "0016_comment_modes")])
    section = old.get_model("articles", "Category").objects.create(name="World", slug="world")
    story = old.get_model("articles", "Article").objects.create(
        title="Read before the move",
        slug="read-before-the-move",
        category=section,
        status="published",
        published_at=datetime(2026, 3, 1, 9, tzinfo=UTC),
    )
    hour = datetime(2026, 3, 2, 10, tzinfo=UTC)
    old.get_model("articles", "ArticleView").objects.create(article=story, hour=hour, count=7)
    old_type = old.get_model("contenttypes", "ContentType").objects.get(
        app_label="articles", model="articleview"
    )

    migrate(None)

    view = ArticleView.objects.get()
    assert (view.article_id, view.hour, view.count) == (story.pk, hour, 7)
    # The box still lists it, and the next flush adds to the same row.
    assert "Read before the move" in titles("today")
    counts.record_hit(story.pk)
    counts.flush()
    assert ArticleView.objects.get().count == 8
    # Its content type moved with it, and its permissions with that.
    ContentType.objects.clear_cache()
    assert ContentType.objects.get_for_model(ArticleView).pk == old_type.pk
    assert Permission.objects.get(codename="view_articleview").content_type_id == old_type.pk

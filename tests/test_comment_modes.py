"""How a story takes comments: its mode (open, pre-moderated, closed, or its section's, or the
site's), the commenting hours (COMMENTS_OPEN_HOURS, in the site's time zone, across midnight
too), and how many approved comments make a commenter trusted (COMMENTS_TRUST_AFTER_APPROVED)."""

from datetime import UTC, datetime, time

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments.models import Comment
from comments.moderation import moderator

from .factories import make_category, make_comment
from .test_comments import VALID, become_returning_commenter, make_story, post
from .test_moderation import settings_in_a_fresh_process

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


# Modes ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("story", "section", "site", "expected"),
    [
        ("open", "closed", "closed", "open"),
        ("premoderated", "open", "open", "premoderated"),
        ("closed", "open", "open", "closed"),
        ("default", "premoderated", "open", "premoderated"),
        ("default", "closed", "open", "closed"),
        ("default", "default", "premoderated", "premoderated"),
        ("default", "default", "closed", "closed"),
        ("default", "default", "open", "open"),
    ],
)
def test_a_storys_mode_is_its_own_else_its_sections_else_the_sites(
    settings, story, section, site, expected
):
    settings.COMMENTS_DEFAULT_MODE = site
    article = make_story(comment_mode=story, category=make_category(comment_mode=section))

    assert moderator.mode_for(article) == expected


def test_an_open_story_publishes_a_trusted_commenter_at_once(client):
    become_returning_commenter(client)
    story = make_story(comment_mode="open", category=make_category(comment_mode="premoderated"))

    response = post(client, story, body="Me again.")

    assert Comment.objects.get(body="Me again.").status == Comment.Status.APPROVED
    assert "Your comment is published." in response.text


def test_a_premoderated_story_holds_every_comment_even_a_trusted_commenters(client):
    become_returning_commenter(client)
    story = make_story(comment_mode="premoderated")

    response = post(client, story, body="Me again.")

    assert Comment.objects.get(body="Me again.").status == Comment.Status.PENDING
    assert "will appear once a moderator has approved it" in response.text


def test_a_premoderated_section_holds_the_comments_on_its_stories(client):
    become_returning_commenter(client)
    story = make_story(category=make_category(comment_mode="premoderated"))

    post(client, story, body="Me again.")

    assert Comment.objects.get(body="Me again.").status == Comment.Status.PENDING


def test_a_closed_section_closes_its_stories_unless_one_says_otherwise(client):
    section = make_category(comment_mode="closed")
    closed = make_story(category=section)
    open_one = make_story(category=section, comment_mode="open")

    page = client.get(closed.get_absolute_url()).text
    refused = post(client, closed, body="Let me in.")

    assert "Comments are closed on this story." in page and 'id="comment-form"' not in page
    assert "Comments are closed on this story." in refused.text
    assert not Comment.objects.filter(body="Let me in.").exists()
    assert 'id="comment-form"' in client.get(open_one.get_absolute_url()).text


def test_the_site_default_closes_stories_that_follow_it(client, settings):
    settings.COMMENTS_DEFAULT_MODE = "closed"
    story = make_story()

    assert "Comments are closed on this story." in client.get(story.get_absolute_url()).text


def test_the_sections_mode_is_set_in_the_admin(admin_client):
    section = make_category(name="Opinion", slug="opinion")

    listing = admin_client.get("/admin/articles/category/").text
    form = admin_client.get(f"/admin/articles/category/{section.pk}/change/").text

    assert "As the site&#x27;s default says" in listing
    assert 'name="comment_mode"' in form and "Pre-moderated: every comment waits" in form


# The migration from "Allow comments" ------------------------------------------------------------


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return executor.loader.project_state(targets).apps if targets else None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_allow_comments_becomes_the_section_default_and_unticked_becomes_closed():
    old = migrate([("articles", "0014_remove_old_redirects")])
    section = old.get_model("articles", "Category").objects.create(name="World", slug="world")
    stories = old.get_model("articles", "Article").objects
    when = {"published_at": datetime(2026, 1, 1, tzinfo=UTC), "category": section}
    allowed = stories.create(title="Allowed", slug="allowed", allow_comments=True, **when)
    refused = stories.create(title="Refused", slug="refused", allow_comments=False, **when)
    old.get_model("articles", "HistoricalArticle").objects.create(
        id=refused.pk,
        title="Refused",
        slug="refused",
        allow_comments=False,
        history_date=when["published_at"],
        history_type="+",
        category_id=section.pk,
        created_at=when["published_at"],
        published_at=when["published_at"],
    )

    migrate(None)

    assert Article.objects.get(pk=allowed.pk).comment_mode == "default"
    assert Article.objects.get(pk=refused.pk).comment_mode == "closed"
    assert Article.history.get(id=refused.pk).comment_mode == "closed"


# Commenting hours -------------------------------------------------------------------------------


def at(*args, tz=UTC):
    return datetime(*args, tzinfo=tz)


DAY = (2026, 12, 7)  # A Monday.


@pytest.mark.parametrize(
    ("hours", "zone", "now", "expected"),
    [
        # 07:00-22:00, in UTC.
        ((7, 22), "UTC", at(*DAY, 6, 59, 59), (False, at(*DAY, 7))),
        ((7, 22), "UTC", at(*DAY, 7), (True, at(*DAY, 22))),
        ((7, 22), "UTC", at(*DAY, 21, 59, 59), (True, at(*DAY, 22))),
        ((7, 22), "UTC", at(*DAY, 22), (False, at(2026, 12, 8, 7))),
        # 22:00-02:00 runs across midnight.
        ((22, 2), "UTC", at(*DAY, 21, 59), (False, at(*DAY, 22))),
        ((22, 2), "UTC", at(*DAY, 23, 30), (True, at(2026, 12, 8, 2))),
        ((22, 2), "UTC", at(*DAY, 1, 59), (True, at(*DAY, 2))),
        ((22, 2), "UTC", at(*DAY, 2), (False, at(*DAY, 22))),
        # Tokyo (UTC+9): 21:30 UTC on the 7th is 06:30 on the 8th there.
        ((7, 22), "Asia/Tokyo", at(*DAY, 21, 30), (False, at(*DAY, 22))),
        ((7, 22), "Asia/Tokyo", at(*DAY, 12, 59), (True, at(*DAY, 13))),
        # New York (UTC-5 in December): 03:30 UTC on the 8th is 22:30 on the 7th there.
        ((22, 2), "America/New_York", at(2026, 12, 8, 3, 30), (True, at(2026, 12, 8, 7))),
        ((22, 2), "America/New_York", at(*DAY, 15), (False, at(2026, 12, 8, 3))),
    ],
)
def test_commenting_hours_are_local_times_and_may_run_across_midnight(
    settings, hours, zone, now, expected
):
    settings.TIME_ZONE = zone
    settings.COMMENTS_OPEN_HOURS = (time(hours[0]), time(hours[1]))

    assert moderator.within_hours(now) == expected


def test_no_hours_means_comments_are_taken_at_any_hour(settings):
    settings.COMMENTS_OPEN_HOURS = None

    assert moderator.within_hours(at(*DAY, 3)) == (True, None)


@pytest.fixture
def clock(monkeypatch):
    clock = type("Clock", (), {})()
    clock.now = at(*DAY, 12)

    def move_to(*args, tz=UTC):
        clock.now = at(*args, tz=tz)

    clock.move_to = move_to
    monkeypatch.setattr(timezone, "now", lambda: clock.now)
    return clock


def old_story(**fields):
    """A story published before any moment the clock is moved to here."""
    return make_story(published_at=at(2026, 12, 1), **fields)


@pytest.fixture
def hours(settings):
    settings.COMMENTS_OPEN_HOURS = (time(7), time(22))
    settings.PAGE_CACHE_DEBUG_HEADER = True
    settings.COMMENTS_CLOSE_AFTER_DAYS = 0


def test_outside_the_hours_the_page_says_when_comments_reopen_instead_of_the_form(
    client, clock, hours
):
    story = old_story()

    clock.move_to(*DAY, 6, 30)
    early = client.get(story.get_absolute_url()).text
    clock.move_to(*DAY, 22, 30)
    late = client.get(story.get_absolute_url()).text

    assert "Comments reopen at 07:00." in early and 'id="comment-form"' not in early
    assert "Comments reopen at 07:00 on 8 December." in late and 'id="comment-form"' not in late


def test_the_reopening_time_is_told_in_the_sites_time_zone(client, clock, hours, settings):
    settings.TIME_ZONE = "Asia/Tokyo"
    story = old_story()
    clock.move_to(*DAY, 21, 30)  # 06:30 on the 8th in Tokyo: they reopen today, there.

    page = client.get(story.get_absolute_url()).text

    assert "Comments reopen at 07:00." in page


def test_outside_the_hours_no_reply_link_leads_to_a_form_that_is_not_there(client, clock, hours):
    story = old_story()
    make_comment(story, status="approved", body="An early comment.")
    all_comments = reverse("comments:list", args=[story.pk])

    clock.move_to(*DAY, 12)
    day_page, day_list = client.get(story.get_absolute_url()).text, client.get(all_comments).text
    clock.move_to(*DAY, 23)
    night_page = client.get(story.get_absolute_url()).text
    night_list = client.get(all_comments).text

    assert "?replyto=" in day_page and "?replyto=" in day_list
    assert "An early comment." in night_page and "?replyto=" not in night_page
    assert "An early comment." in night_list and "?replyto=" not in night_list
    assert "Leave a comment" not in night_list


def test_a_post_outside_the_hours_is_refused_and_the_readers_words_are_kept(client, clock, hours):
    story = old_story()
    clock.move_to(*DAY, 23)

    response = post(client, story, body="Written at night <b>with care</b>.")

    assert response.status_code == 403
    assert "Comments are paused at this hour: they reopen at 07:00 on 8 December." in response.text
    assert "Written at night &lt;b&gt;with care&lt;/b&gt;." in response.text
    assert f'value="{VALID["name"]}"' in response.text
    assert not Comment.objects.exists()


def test_within_the_hours_the_same_post_is_taken(client, clock, hours):
    story = old_story()
    clock.move_to(*DAY, 21, 59)

    post(client, story, body="Just in time.")

    assert Comment.objects.filter(body="Just in time.").exists()


def test_no_cached_copy_offers_the_form_past_closing_time_nor_the_notice_past_opening(
    client, clock, hours
):
    story = old_story()
    url = story.get_absolute_url()

    clock.move_to(*DAY, 21, 59, 30)
    client.get(url)
    evening = client.get(url)
    clock.move_to(*DAY, 22)
    closed = client.get(url)

    clock.move_to(2026, 12, 8, 6, 59, 30)
    client.get(url)
    dawn = client.get(url)
    clock.move_to(2026, 12, 8, 7)
    opened = client.get(url)

    assert evening["X-Page-Cache"] == "hit" and 'id="comment-form"' in evening.text
    assert closed["X-Page-Cache"] != "hit" and "Comments reopen at 07:00" in closed.text
    assert dawn["X-Page-Cache"] == "hit" and "Comments reopen at 07:00." in dawn.text
    assert opened["X-Page-Cache"] != "hit" and 'id="comment-form"' in opened.text


def test_a_story_that_closes_by_age_during_the_night_says_it_is_closed(
    client, clock, hours, settings
):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 1
    clock.move_to(*DAY, 12)
    story = make_story(published_at=at(*DAY, 0))  # Closes at midnight, before 07:00.
    clock.move_to(*DAY, 23)

    page = client.get(story.get_absolute_url()).text

    assert "Comments are closed on this story." in page
    assert "reopen" not in page


# Trust after N approved comments ----------------------------------------------------------------


def test_a_new_commenter_waits_until_n_of_their_comments_were_approved(client, settings):
    settings.COMMENTS_TRUST_AFTER_APPROVED = 2
    story = make_story()

    become_returning_commenter(client)  # One approved comment.
    post(client, story, body="Second.")
    second = Comment.objects.get(body="Second.")
    assert second.status == Comment.Status.PENDING
    Comment.objects.filter(pk=second.pk).update(status="approved")  # A moderator's decision.

    post(client, story, body="Third.")

    assert Comment.objects.get(body="Third.").status == Comment.Status.APPROVED


def test_one_approved_comment_is_not_enough_when_n_is_two(client, settings):
    settings.COMMENTS_TRUST_AFTER_APPROVED = 2
    become_returning_commenter(client)

    post(client, make_story(), body="Me again.")

    assert Comment.objects.get(body="Me again.").status == Comment.Status.PENDING


def test_approved_comments_not_posted_from_this_browser_do_not_count(client, settings):
    """Someone who knows a regular's address does not borrow their record."""
    settings.COMMENTS_TRUST_AFTER_APPROVED = 2
    story = make_story()
    for n in range(3):
        make_comment(story, email=VALID["email"], status="approved", body=f"Old {n}")
    become_returning_commenter(client)

    post(client, story, body="Me again.")

    assert Comment.objects.get(body="Me again.").status == Comment.Status.PENDING


# Settings ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"COMMENTS_OPEN_HOURS": "7-22"}, 'COMMENTS_OPEN_HOURS must look like "07:00-22:00"'),
        ({"COMMENTS_OPEN_HOURS": "25:00-07:00"}, "COMMENTS_OPEN_HOURS must look like"),
        ({"COMMENTS_OPEN_HOURS": "07:00-07:00"}, "two different times"),
        ({"COMMENTS_DEFAULT_MODE": "sometimes"}, 'COMMENTS_DEFAULT_MODE must be "open"'),
        ({"COMMENTS_TRUST_AFTER_APPROVED": "0"}, "between 1 and 20"),
    ],
)
def test_unreadable_mode_and_hours_settings_stop_the_site_at_start(env, message):
    result = settings_in_a_fresh_process("", **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_mode_and_hours_settings_come_from_the_environment():
    result = settings_in_a_fresh_process(
        "from django.conf import settings as s; "
        "print(s.COMMENTS_OPEN_HOURS, s.COMMENTS_DEFAULT_MODE, s.COMMENTS_TRUST_AFTER_APPROVED)",
        COMMENTS_OPEN_HOURS=" 22:30 - 6:00 ",
        COMMENTS_DEFAULT_MODE="Premoderated",
        COMMENTS_TRUST_AFTER_APPROVED="3",
    )
    assert result.stdout.strip() == (
        "(datetime.time(22, 30), datetime.time(6, 0)) premoderated 3"
    ), result.stderr

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from articles.models import PLACEHOLDER_SUMMARY, About, Article, Category
from comments.models import Comment

from .factories import image_upload, make_article, make_category, make_comment, make_user

pytestmark = pytest.mark.django_db


def test_published_excludes_drafts_and_scheduled_stories():
    live = make_article()
    make_article(status=Article.Status.DRAFT)
    make_article(published_at=timezone.now() + timedelta(minutes=5))

    assert list(Article.objects.published()) == [live]


def test_scheduled_story_appears_once_its_time_comes(monkeypatch):
    story = make_article(published_at=timezone.now() + timedelta(hours=2))
    assert story not in Article.objects.published()

    later = timezone.now() + timedelta(hours=3)
    monkeypatch.setattr(timezone, "now", lambda: later)

    assert story in Article.objects.published()


def test_state_label_tells_draft_scheduled_and_published_apart():
    assert make_article(status=Article.Status.DRAFT).state_label == "Draft"
    future = timezone.now() + timedelta(days=1)
    assert make_article(published_at=future).state_label == "Scheduled"
    assert make_article().state_label == "Published"


def test_article_url_carries_its_local_date_and_slug(settings):
    settings.TIME_ZONE = "Asia/Almaty"
    # 20:30 UTC on 26 November is already 27 November in Almaty (UTC+5).
    when = datetime(2026, 11, 26, 20, 30, tzinfo=ZoneInfo("UTC"))
    story = make_article(slug="kazakhstan-joins-abraham-accords", published_at=when)

    with timezone.override("Asia/Almaty"):
        assert story.get_absolute_url() == "/2026/11/27/kazakhstan-joins-abraham-accords/"


def test_slugs_are_unique():
    make_article(slug="same")
    with pytest.raises(IntegrityError):
        make_article(slug="same")


def test_an_image_needs_alt_text():
    story = make_article(featured_image=image_upload())
    story.featured_image_alt = ""
    with pytest.raises(ValidationError) as error:
        story.full_clean()
    assert "featured_image_alt" in error.value.message_dict


def test_image_dimensions_are_recorded_for_layout_without_shift():
    story = make_article(featured_image=image_upload(size=(800, 450)), featured_image_alt="A map")
    assert (story.featured_image_width, story.featured_image_height) == (800, 450)


def test_byline_prefers_the_byline_text_then_the_authors_name():
    author = make_user(first_name="Asel", last_name="Nurlanova")
    # An account is not a byline (issue 12): unsigned, the story is the site's own.
    assert make_article(author=author).byline_text == ""
    assert make_article(author=author, byline="Our correspondent").byline_text == (
        "Our correspondent"
    )


def test_top_categories_rank_by_published_stories_and_skip_empty_ones():
    busy, quiet, empty = make_category(), make_category(), make_category()
    for _ in range(3):
        make_article(category=busy)
    make_article(category=quiet)
    make_article(category=empty, status=Article.Status.DRAFT)

    ranked = list(Category.objects.top())

    assert ranked == [busy, quiet]
    assert [c.published_count for c in ranked] == [3, 1]


def test_latest_per_category_takes_the_newest_few_of_each():
    world, sport = make_category(), make_category()
    now = timezone.now()
    world_stories = [
        make_article(category=world, published_at=now - timedelta(hours=h)) for h in range(1, 6)
    ]
    sport_story = make_article(category=sport)

    newest = list(Article.objects.published().latest_per_category(2))

    # Grouped by category (in creation order), newest first within each.
    assert newest == [*world_stories[:2], sport_story]


def test_month_counts_group_published_stories_by_month():
    category = make_category()
    for day in (3, 17):
        make_article(category=category, published_at=datetime(2025, 3, day, tzinfo=ZoneInfo("UTC")))
    make_article(category=category, published_at=datetime(2025, 5, 1, tzinfo=ZoneInfo("UTC")))

    rows = [(row["month"].month, row["count"]) for row in Article.objects.month_counts()]

    assert rows == [(5, 1), (3, 2)]


def test_about_is_a_single_row_created_on_first_use():
    about = About.load()
    assert about.summary == PLACEHOLDER_SUMMARY
    About(site_name="Another").save()

    assert About.objects.count() == 1
    assert About.load().site_name == "Another"


def test_new_comments_wait_for_moderation():
    comment = make_comment()
    assert comment.status == Comment.Status.PENDING
    assert comment not in Comment.objects.approved()


def test_moderating_records_who_and_when():
    moderator = make_user()
    comment = make_comment()

    Comment.objects.filter(pk=comment.pk).moderate(Comment.Status.APPROVED, moderator)

    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert comment.moderated_by == moderator
    assert comment.moderated_at is not None
    assert list(Comment.objects.approved()) == [comment]

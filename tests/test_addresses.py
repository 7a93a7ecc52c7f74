"""Stories', sections' and authors' addresses, written without a reverse() per row
(articles/addresses.py), are exactly what reverse() gives."""

from datetime import UTC, datetime

import pytest
from django.urls import clear_script_prefix, reverse, set_script_prefix
from django.utils import timezone

from articles.models import Article, Author, Category

SLUGS = [
    "plain-slug",
    "kazakhstan-қазақстан-naive-cafe-東京",
    "ünïcödé_under_score",
    "1234-11-22",  # the markers' own digits
    "story-slug-marker",
    "straße-١٢٣-naïve",
    "22",
]


@pytest.mark.parametrize("slug", SLUGS)
def test_a_story_address_is_reverse_own(slug):
    published_at = datetime(2026, 3, 9, 12, tzinfo=UTC)
    day = timezone.localdate(published_at)
    expected = reverse(
        "articles:detail",
        kwargs={"year": day.year, "month": day.month, "day": day.day, "slug": slug},
    )
    assert Article(slug=slug, published_at=published_at).get_absolute_url() == expected


@pytest.mark.parametrize(
    ("moment", "zone", "local_day"),
    [
        (datetime(2026, 12, 31, 23, 30, tzinfo=UTC), "Asia/Almaty", "/2027/01/01/"),
        (datetime(2027, 1, 1, 0, 30, tzinfo=UTC), "America/New_York", "/2026/12/31/"),
        (datetime(2026, 7, 4, 23, 59, 59, tzinfo=UTC), "UTC", "/2026/07/04/"),
    ],
)
def test_a_story_address_carries_its_day_in_the_site_time_zone(moment, zone, local_day):
    with timezone.override(zone):
        address = Article(slug="midnight", published_at=moment).get_absolute_url()
        day = timezone.localdate(moment)
        assert address == reverse(
            "articles:detail",
            kwargs={"year": day.year, "month": day.month, "day": day.day, "slug": "midnight"},
        )
    assert address == f"{local_day}midnight/"


@pytest.mark.parametrize("slug", ["world", "section-slug-marker", "a_b-9"])
def test_section_and_author_addresses_are_reverse_own(slug):
    assert Category(slug=slug).get_absolute_url() == reverse("articles:category", args=[slug])
    assert Author(slug=slug).get_absolute_url() == reverse("articles:author", args=[slug])


@pytest.mark.parametrize("prefix", ["/news/", "/app1234/", "/11/22/"])
def test_addresses_follow_the_script_prefix(prefix):
    story = Article(slug="under-a-prefix", published_at=datetime(2026, 11, 22, 8, tzinfo=UTC))
    set_script_prefix(prefix)
    try:
        day = timezone.localdate(story.published_at)
        expected = reverse(
            "articles:detail",
            kwargs={"year": day.year, "month": day.month, "day": day.day, "slug": story.slug},
        )
        assert story.get_absolute_url() == expected
        assert expected.startswith(prefix)
        assert Category(slug="world").get_absolute_url() == f"{prefix}category/world/"
    finally:
        clear_script_prefix()
        set_script_prefix("/")

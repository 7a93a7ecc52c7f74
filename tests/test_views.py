import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import About, Article

from .factories import image_upload, make_article, make_category, make_comment, make_user

pytestmark = pytest.mark.django_db


def shown(response):
    """The stories a list page shows, by id, in order (read as rows: fragments.card_rows)."""
    return [story.pk for story in response.context["articles"]]


def test_front_page_leads_with_the_latest_featured_story(client):
    older_featured = make_article(title="Older lead", is_featured=True)
    newer = make_article(title="Newest ordinary story", published_at=timezone.now())
    featured = make_article(
        title="The lead story", is_featured=True, published_at=timezone.now() - timedelta(minutes=1)
    )

    response = client.get("/")

    assert response.status_code == 200
    latest = [story.pk for story in response.context["latest"]]
    assert response.context["lead"] == featured
    assert newer.pk in latest
    assert older_featured.pk in latest
    assert featured.pk not in latest
    assert (
        f'<h2 class="lead__title"><a href="{featured.get_absolute_url()}">The lead story</a>'
        in (response.text)
    )


def test_front_page_without_featured_story_leads_with_the_latest(client):
    make_article(title="Yesterday", published_at=timezone.now() - timedelta(days=1))
    today = make_article(title="Today", published_at=timezone.now())

    assert client.get("/").context["lead"] == today


def test_front_page_has_a_block_per_category_with_its_newest_stories(client):
    world, sport = make_category(name="World"), make_category(name="Sport")
    for n in range(6):
        make_article(category=world, title=f"World story {n}")
    make_article(category=sport, title="Sport story")
    make_category(name="Empty section")

    page = client.get("/").text

    blocks = [b.split("</section>")[0] for b in page.split('<section class="section-block"')[1:]]
    sections = {
        re.search(r'class="section-title"><a href="[^"]+">([^<]+)</a>', block)[1]: re.findall(
            r'<li>\s*<a href="[^"]+">([^<]+)</a>', block
        )
        for block in blocks
    }
    assert list(sections) == ["World", "Sport"]
    assert len(sections["World"]) == 4
    assert sections["Sport"] == ["Sport story"]


def test_front_page_never_shows_drafts_or_scheduled_stories(client):
    make_article(title="Secret draft", status=Article.Status.DRAFT, is_featured=True)
    make_article(title="Tomorrow's scoop", published_at=timezone.now() + timedelta(days=1))
    make_article(title="Public story")

    page = client.get("/").text

    assert "Public story" in page
    assert "Secret draft" not in page
    assert "Tomorrow&#x27;s scoop" not in page and "Tomorrow's scoop" not in page


def test_empty_site_front_page_still_renders(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "No stories have been published yet" in response.text


def test_every_page_shows_site_furniture(client):
    about = About.load()
    about.site_name = "The Meridian"
    about.tagline = "Calm news"
    about.summary = "An independent newsroom in Almaty."
    about.save()
    busy = make_category(name="Business")
    make_article(category=busy)
    make_article(category=busy)

    page = client.get(reverse("articles:archive")).text

    assert "The Meridian" in page and "Calm news" in page
    assert "About The Meridian" in page
    assert "An independent newsroom in Almaty." in page
    assert "Top Categories" in page
    assert f'<a href="/category/{busy.slug}/">Business</a> <span class="count">2</span>' in page
    assert 'href="/archive/"' in page
    for landmark in ("<header", "<nav", "<main", "<aside", "<footer"):
        assert landmark in page


def test_article_page_shows_the_whole_story(client):
    author = make_user(first_name="Asel", last_name="Nurlanova")
    story = make_article(
        title="Kazakhstan joins the Abraham Accords",
        standfirst="Astana signs up.",
        body="<h2>Mostly symbolic move</h2><ul><li>50th by GDP</li></ul>",
        author=author,
        byline="Asel Nurlanova",  # an account's name is not a byline (issue 12)
        featured_image=image_upload(),
        featured_image_alt="Flags outside a ministry",
        featured_image_caption="Flags in Astana.",
        featured_image_credit="Photo: Meridian staff",
        tags=["Kazakhstan", "Diplomacy"],
        published_at=datetime(2026, 11, 27, 9, tzinfo=ZoneInfo("UTC")),
    )

    response = client.get(story.get_absolute_url())

    page = response.text
    assert response.status_code == 200
    assert '<h1 class="story__title">Kazakhstan joins the Abraham Accords</h1>' in page
    assert "Astana signs up." in page
    assert "By Asel Nurlanova" in page
    assert '<time datetime="2026-11-27T09:00:00+00:00">27 November 2026</time>' in page
    assert f'href="{story.category.get_absolute_url()}"' in page
    assert "<h2>Mostly symbolic move</h2><ul><li>50th by GDP</li></ul>" in page
    assert 'alt="Flags outside a ministry"' in page
    assert "Flags in Astana." in page and "Photo: Meridian staff" in page
    assert 'href="/tag/kazakhstan/" rel="tag">Kazakhstan</a>' in page
    assert 'href="/tag/diplomacy/" rel="tag">Diplomacy</a>' in page


def test_article_page_lists_approved_comments_oldest_first_with_count(client):
    story = make_article()
    now = timezone.now()
    second = make_comment(story, body="Second", status="approved", created_at=now)
    first = make_comment(
        story, body="First", status="approved", created_at=now - timedelta(hours=1)
    )
    make_comment(story, body="Still waiting", status="pending")
    make_comment(story, body="Buy pills", status="spam")
    make_comment(story, body="Rude", status="rejected")

    page = client.get(story.get_absolute_url()).text

    assert 'Comments <span class="count">(2)</span>' in page
    assert page.index(first.body) < page.index(second.body)
    for hidden in ("Still waiting", "Buy pills", "Rude"):
        assert hidden not in page


def test_commenters_email_is_never_shown(client):
    story = make_article()
    make_comment(story, email="private@example.com", status="approved")

    assert "private@example.com" not in client.get(story.get_absolute_url()).text


def test_closed_comments_show_a_note_instead_of_the_form(client):
    story = make_article(comment_mode="closed")

    page = client.get(story.get_absolute_url()).text

    assert "Comments are closed on this story." in page
    assert "Post comment" not in page


@pytest.mark.parametrize("state", ["draft", "scheduled"])
def test_unpublished_stories_are_404_to_readers(client, state):
    if state == "draft":
        story = make_article(status=Article.Status.DRAFT)
    else:
        story = make_article(published_at=timezone.now() + timedelta(days=1))

    assert client.get(story.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("state", "banner"),
    [("draft", "Draft — not public."), ("scheduled", "Scheduled — not public.")],
)
def test_staff_see_unpublished_stories_with_a_banner(client, state, banner):
    if state == "draft":
        story = make_article(status=Article.Status.DRAFT)
    else:
        story = make_article(published_at=timezone.now() + timedelta(days=1))
    client.force_login(make_user(groups=["Editors"], is_staff=True))

    response = client.get(story.get_absolute_url())

    assert response.status_code == 200
    assert banner in response.text
    assert '<meta name="robots" content="noindex">' in response.text


def test_published_story_has_no_banner_for_staff(client):
    story = make_article()
    client.force_login(make_user(is_staff=True))

    assert "not public" not in client.get(story.get_absolute_url()).text


def test_a_story_at_an_old_date_redirects_to_its_current_address(client):
    story = make_article(slug="moved", published_at=datetime(2026, 3, 5, tzinfo=ZoneInfo("UTC")))

    response = client.get("/2026/03/04/moved/")

    assert response.status_code == 301
    assert response["Location"] == story.get_absolute_url() == "/2026/03/05/moved/"


@pytest.mark.parametrize(
    "path",
    [
        "/2026/02/30/some-story/",  # impossible date
        "/2026/13/01/some-story/",
        "/2026/11/27/no-such-story/",
        "/2026/11/27/" + "a" * 300 + "/",  # over-long slug
        "/category/no-such-section/",
        "/tag/no-such-tag/",
        "/archive/2026/13/",
        "/archive/1999/",
        "/archive/2026/00/",
        "/nowhere/",
    ],
)
def test_bad_addresses_are_404_in_the_sites_look(client, path):
    make_article(slug="some-story", published_at=datetime(2026, 11, 27, tzinfo=ZoneInfo("UTC")))

    response = client.get(path)

    assert response.status_code == 404
    assert "We could not find that page" in response.text
    assert "Top Categories" in response.text


def test_category_page_lists_its_published_stories_paginated(client, settings):
    section = make_category(name="Science", description="Discoveries and doubts.")
    stories = [make_article(category=section) for _ in range(25)]
    make_article(category=section, status=Article.Status.DRAFT, title="Unfinished")
    make_article(title="Elsewhere")

    first = client.get(section.get_absolute_url())
    second = client.get(section.get_absolute_url() + "?page=2")

    assert first.status_code == second.status_code == 200
    assert "Discoveries and doubts." in first.text
    assert shown(first) == [story.pk for story in stories[:20]]
    assert shown(second) == [story.pk for story in stories[20:]]
    assert 'rel="next" href="?page=2"' in first.text
    assert 'rel="prev" href="?page=1"' in second.text
    assert "Unfinished" not in first.text + second.text
    assert "Elsewhere" not in first.text + second.text


@pytest.mark.parametrize("page_number", ["abc", "0", "3", "-1", "99999999999999999999", "1.5"])
def test_bad_page_numbers_are_404(client, page_number):
    section = make_category()
    for _ in range(21):
        make_article(category=section)

    assert client.get(section.get_absolute_url(), {"page": page_number}).status_code == 404


def test_empty_category_page_says_so(client):
    section = make_category(name="Culture")
    page = client.get(section.get_absolute_url())
    assert page.status_code == 200
    assert "No stories here yet." in page.text


def test_tag_page_lists_published_stories_with_that_tag(client):
    tagged = make_article(title="Tagged story", tags=["Central Asia"])
    make_article(title="Tagged draft", tags=["Central Asia"], status=Article.Status.DRAFT)
    make_article(title="Untagged story")

    response = client.get(reverse("articles:tag", args=["central-asia"]))

    assert response.status_code == 200
    assert "<h1>Central Asia</h1>" in response.text
    assert shown(response) == [tagged.pk]


def test_tag_used_only_on_drafts_is_404(client):
    make_article(tags=["Embargoed"], status=Article.Status.DRAFT)
    assert client.get(reverse("articles:tag", args=["embargoed"])).status_code == 404


def test_archive_index_lists_months_with_counts_grouped_by_year(client):
    section = make_category()
    utc = ZoneInfo("UTC")
    for day in (2, 20):
        make_article(category=section, published_at=datetime(2025, 11, day, tzinfo=utc))
    make_article(category=section, published_at=datetime(2024, 2, 9, tzinfo=utc))
    make_article(category=section, status="draft", published_at=datetime(2023, 6, 1, tzinfo=utc))

    response = client.get("/archive/")

    page = response.text
    assert response.status_code == 200
    assert "<h1>Articles Archive</h1>" in page
    assert '<a href="/archive/2025/">2025</a>' in page
    assert '<a href="/archive/2025/11/">November</a> <span class="count">2 stories</span>' in page
    assert '<a href="/archive/2024/02/">February</a> <span class="count">1 story</span>' in page
    assert "2023" not in page.split("<main")[1].split("</main>")[0]
    assert page.index("/archive/2025/") < page.index("/archive/2024/")


def test_year_and_month_archives_list_that_periods_stories(client):
    utc = ZoneInfo("UTC")
    section = make_category()
    march = make_article(
        category=section, title="March story", published_at=datetime(2025, 3, 9, tzinfo=utc)
    )
    may = make_article(
        category=section, title="May story", published_at=datetime(2025, 5, 1, tzinfo=utc)
    )
    make_article(
        category=section, title="Other year", published_at=datetime(2024, 5, 1, tzinfo=utc)
    )

    year = client.get("/archive/2025/")
    month = client.get("/archive/2025/03/")

    assert year.status_code == month.status_code == 200
    assert shown(year) == [may.pk, march.pk]
    assert '<a href="/archive/2025/03/">March</a>' in year.text
    assert shown(month) == [march.pk]
    assert "<h1>March 2025</h1>" in month.text
    assert "May 2025" in month.text  # the link to the next month with stories


def test_about_page_shows_the_editable_body(client):
    about = About.load()
    about.site_name = "The Meridian"
    about.body = "<p>We report from <strong>Central Asia</strong>.</p>"
    about.save()

    page = client.get("/about/").text

    assert "About The Meridian" in page
    assert "<p>We report from <strong>Central Asia</strong>.</p>" in page


def test_server_error_page_is_styled_and_reveals_nothing(client, settings):
    from django.template.loader import render_to_string

    page = render_to_string("500.html")

    assert "Something went wrong on our side" in page
    assert "site.css" in page
    assert "Traceback" not in page


def test_top_categories_lists_the_busiest_ten_sections_and_the_navigation_all(client):
    sections = [make_category(name=f"Section {n:02}", slug=f"section-{n:02}") for n in range(12)]
    for count, section in enumerate(sections, start=1):
        for _ in range(count):
            make_article(category=section)

    page = client.get("/about/").text
    box = page.split('id="top-categories"')[1].split("</section>")[0]

    assert [f"Section {n:02}" in box for n in range(12)] == [False, False] + [True] * 10
    assert box.index("Section 11") < box.index("Section 02")  # the busiest first
    assert all(f'href="/category/section-{n:02}/"' in page for n in range(12))  # the navigation

"""What readers tripped on (issue 12): story neighbours and related stories over the whole
archive, list pages in the front page's look, feed links, the archive's month order, dates
written the site's way, and the SQLite search. Layout at phone and desktop widths:
test_reader_layout_browser.py."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import About, Article, Author, Byline
from search.views import parse_reader_date, simple_search

from .factories import image_upload, make_article, make_category, search_results

pytestmark = pytest.mark.django_db


def days_ago(days):
    return timezone.now() - timedelta(days=days)


def credit(story, name):
    author, _ = Author.objects.get_or_create(slug=name.lower().replace(" ", "-"), name=name)
    Byline.objects.create(article=story, author=author)
    return author


# Previous, next and related: over the whole archive


def test_a_story_links_to_its_sections_neighbours_however_far_apart(client):
    world = make_category(name="World")
    oldest = make_article(category=world, title="Oldest", published_at=days_ago(800))
    middle = make_article(category=world, title="Middle", published_at=days_ago(400))
    newest = make_article(category=world, title="Newest", published_at=days_ago(1))
    make_article(published_at=days_ago(300))  # another section, in between

    response = client.get(middle.get_absolute_url())

    assert response.context["previous_story"] == oldest
    assert response.context["next_story"] == newest
    assert f'href="{oldest.get_absolute_url()}"' in response.text
    assert f'href="{newest.get_absolute_url()}"' in response.text


def test_neighbours_and_related_stories_are_one_query():
    world = make_category()
    for days in (1000, 900, 500, 200, 3):
        make_article(category=world, published_at=days_ago(days), tags=["Trade"])
    story = Article.objects.prefetch_related("tags").get(
        published_at__lt=days_ago(400), published_at__gt=days_ago(600)
    )
    stories = Article.objects.published().for_listing()

    with CaptureQueriesContext(connection) as queries:
        found = list(stories.around(story, related=4))

    assert len(queries) == 1
    assert {s.neighbour for s in found} == {-1, 0, 1}


def test_an_old_story_with_nothing_near_it_still_has_related_stories(client):
    world = make_category()
    older = [
        make_article(category=world, title=f"Older {n}", published_at=days_ago(700 + n))
        for n in range(5)
    ]
    story = make_article(category=world, published_at=days_ago(500))
    make_article(category=world, title="Much newer", published_at=days_ago(10))

    related = client.get(story.get_absolute_url()).context["related"]

    # The nearest older stories of its section, newest first.
    assert related == older[:4]


def test_related_stories_near_in_time_still_come_before_the_fallback(client):
    world = make_category()
    story = make_article(category=world, tags=["Trade"], published_at=days_ago(500))
    near = make_article(tags=["Trade"], published_at=days_ago(490))
    older = make_article(category=world, published_at=days_ago(900))

    related = client.get(story.get_absolute_url()).context["related"]

    assert related[:2] == [near, older]


# Front page


def test_the_lead_story_is_not_repeated_in_its_sections_block(client):
    world = make_category(name="World")
    lead = make_article(category=world, title="The lead story", is_featured=True)
    for n in range(4):
        make_article(category=world, title=f"World story {n}", published_at=days_ago(n + 1))

    page = client.get("/").text
    blocks = page.split('aria-label="News by section"')[1]

    assert page.count(lead.title) == 1
    assert lead.title not in blocks
    assert blocks.count("World story") == 4


def test_front_page_pictures_link_to_their_stories_and_cards_have_bylines(client):
    lead = make_article(title="The lead", is_featured=True, featured_image=image_upload())
    lead.featured_image_alt = "A view"
    lead.save()
    card = make_article(title="A card", featured_image=image_upload(), featured_image_alt="x")
    credit(card, "Asel Nurlanova")

    page = client.get("/").text

    for story in (lead, card):
        link = re.search(rf'<a class="(lead|card)__image" href="{story.get_absolute_url()}"', page)
        assert link, f"{story.title}: picture is not a link to the story"
    card_html = page.split("A card</a>")[1].split("</article>")[0]
    assert 'By <a href="/author/asel-nurlanova/" rel="author">Asel Nurlanova</a>' in card_html


def test_a_free_text_byline_is_not_prefixed_twice(client):
    story = make_article(byline="By our Central Asia correspondent")

    page = client.get(story.get_absolute_url()).text

    assert "By our Central Asia correspondent" in page
    assert "By By" not in page


def test_masthead_search_box_says_what_it_is_for(client):
    page = client.get("/").text

    assert 'placeholder="Search stories"' in page
    # On phones a plain link to the search page stands in for the box (CSS swaps them).
    assert 'class="masthead__search-link" href="/search/"' in page


def test_the_about_text_appears_once_on_a_page(client):
    about = About.load()
    about.summary = "An independent newsroom in Almaty."
    about.save()
    make_article()

    body = client.get("/").text.split("<body>")[1]  # the <head> has it for link previews

    assert body.count("An independent newsroom in Almaty.") == 1


# Section, tag and author pages


def test_section_page_leads_with_a_picture_and_shows_cards_with_bylines(client):
    world = make_category(name="World", description="News from everywhere else.")
    lead = make_article(
        category=world, title="Newest", featured_image=image_upload(), published_at=days_ago(1)
    )
    older = make_article(
        category=world, title="Older", featured_image=image_upload(), published_at=days_ago(3)
    )
    credit(lead, "Asel Nurlanova")
    credit(older, "Omar Haddad")

    page = client.get(world.get_absolute_url()).text

    assert "News from everywhere else." in page
    assert f'<a class="lead__image" href="{lead.get_absolute_url()}"' in page
    assert f'<a class="card__image" href="{older.get_absolute_url()}"' in page
    assert 'rel="author">Asel Nurlanova</a>' in page
    assert 'rel="author">Omar Haddad</a>' in page


def test_section_tag_and_author_pages_show_how_to_follow_them(client):
    world = make_category(name="World", slug="world")
    story = make_article(category=world, tags=["Trade"])
    author = credit(story, "Asel Nurlanova")
    author.bio = "Covers Central Asia."
    author.photo = image_upload("asel.jpg", size=(96, 96))
    author.save()

    pages = {
        "/category/world/": "/category/world/feed/",
        "/tag/trade/": "/tag/trade/feed/",
        "/author/asel-nurlanova/": "/author/asel-nurlanova/feed/",
    }
    for url, feeds in pages.items():
        body = client.get(url).text.split("<body>")[1]  # not the <link rel=alternate>
        assert f'<a href="{feeds}rss/"' in body, url
        assert f'<a href="{feeds}atom/"' in body, url
        assert "Follow" in body, url
    author_page = client.get("/author/asel-nurlanova/").text
    assert "Covers Central Asia." in author_page
    assert 'class="author-header__photo"' in author_page


def test_only_the_first_page_of_a_list_has_a_lead(client):
    world = make_category(slug="world")
    per_page = settings.ARTICLES_PER_PAGE
    for n in range(per_page + 2):
        make_article(category=world, published_at=days_ago(n))

    first = client.get("/category/world/").text
    second = client.get("/category/world/?page=2").text

    assert first.count('<article class="lead">') == 1
    assert first.count('<article class="card card--image">') == per_page - 1
    assert '<article class="lead">' not in second
    assert second.count('<article class="card card--image">') == 2


# Archive and dates


def test_month_navigation_has_the_older_month_left_and_the_newer_right(client):
    for month in (10, 11, 12):
        make_article(published_at=datetime(2025, month, 15, 12, tzinfo=UTC))

    page = client.get("/archive/2025/11/").text
    nav = page.split('aria-label="Other months"')[1].split("</nav>")[0]

    assert nav.index("October 2025") < nav.index("December 2025")
    assert "&larr; October 2025" in nav
    assert "December 2025 &rarr;" in nav


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6 December 2026", date(2026, 12, 6)),
        ("6 december 2026", date(2026, 12, 6)),
        (" 6  Dec 2026 ", date(2026, 12, 6)),
        ("December 6, 2026", date(2026, 12, 6)),
        ("2026-12-06", date(2026, 12, 6)),
        ("30 February 2026", None),
        ("2026-02-30", None),
        ("12/06/2026", None),
        ("yesterday", None),
        ("6 Smarch 2026", None),
        ("99999-01-01", None),
    ],
)
def test_dates_are_read_as_the_site_writes_them_and_as_iso(text, expected):
    assert parse_reader_date(text) == expected


def test_date_filters_take_and_show_the_sites_date_format(client):
    make_article(title="Tungsten early", published_at=datetime(2026, 11, 1, 12, tzinfo=UTC))
    make_article(title="Tungsten late", published_at=datetime(2026, 11, 20, 12, tzinfo=UTC))

    response = client.get("/search/", {"q": "tungsten", "date_from": "10 November 2026"})

    assert [found.title for found in search_results(response)] == ["Tungsten late"]
    assert 'type="text" name="date_from" value="10 November 2026"' in response.text
    assert "e.g. 6 December 2026" in response.text
    assert 'type="date"' not in response.text


def test_search_filters_fold_away_until_used(client):
    make_article(title="Tungsten")

    plain = client.get("/search/", {"q": "tungsten"}).text
    filtered = client.get("/search/", {"q": "tungsten", "date_from": "1 May 2026"}).text

    assert '<details class="search-form__more">' in plain
    assert '<details class="search-form__more" open>' in filtered


# Search without PostgreSQL (run here on both databases: it is plain SQL)


def found(query):
    return [story.title for story in simple_search(Article.objects.published(), query)]


def test_a_curly_apostrophe_finds_a_straight_one_and_back():
    make_article(title="The world's largest lake", body="<p>Text.</p>")
    make_article(title="A story", body="<p>The world’s driest place.</p>")

    assert sorted(found("world’s")) == ["A story", "The world's largest lake"]
    assert sorted(found("world's")) == ["A story", "The world's largest lake"]


def test_author_names_are_searched():
    story = make_article(title="Cotton harvest")
    credit(story, "Asel Nurlanova")
    make_article(title="Other", byline="By Omar Haddad in Cairo")

    assert found("Nurlanova") == ["Cotton harvest"]
    assert found("haddad") == ["Other"]


def test_a_headline_match_ranks_above_a_newer_mention():
    make_article(title="Tungsten mine opens", published_at=days_ago(30))
    make_article(title="Markets", body="<p>Also tungsten.</p>", published_at=days_ago(1))

    assert found("tungsten") == ["Tungsten mine opens", "Markets"]

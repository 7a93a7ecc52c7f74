"""Story cards, section blocks and the furniture, drawn once and reused (articles/fragments.py):
whatever changes in what they show is on the next render, with the page cache off."""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from articles import fragments
from articles.models import Author, Byline, Category

from .factories import image_upload, make_article, make_category

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uncached_pages")]


@pytest.fixture
def story():
    story = make_article(category=make_category(name="World", slug="world"), tags=["Trade"])
    make_article(category=story.category)  # so the story is a card, not only the lead
    author = Author.objects.create(name="Ada Reporter", slug="ada-reporter")
    Byline.objects.create(article=story, author=author)
    return story


PAGES = ("/", "/category/world/", "/tag/trade/")


def test_a_page_drawn_again_from_its_fragments_is_the_same_page(client, story):
    first = [client.get(page).text for page in PAGES]
    with mock.patch.object(fragments, "get_template", side_effect=AssertionError("drawn")):
        again = [client.get(page).text for page in PAGES]
    assert again == first


def test_an_edited_story_shows_on_every_list_at_once(client, story):
    for page in PAGES:
        assert "Story number" in client.get(page).text
    story.title = "Ceasefire holds"
    story.standfirst = "A new summary."
    story.save()
    for page in PAGES:
        text = client.get(page).text
        assert "Ceasefire holds" in text, page
    assert "A new summary." in client.get("/tag/trade/").text


def test_a_renamed_section_shows_in_cards_and_section_blocks(client, story):
    client.get("/tag/trade/"), client.get("/")
    Category.objects.filter(pk=story.category_id).update(name="Abroad")  # no story is saved
    Category.objects.get(pk=story.category_id).save()  # the admin's save: a new generation
    assert '<a href="/category/world/">Abroad</a></p>' in client.get("/tag/trade/").text
    front = client.get("/").text
    assert "More in Abroad" in front and "More in World" not in front


def test_a_renamed_author_shows_in_the_bylines(client, story):
    assert "Ada Reporter" in client.get("/category/world/").text
    author = Author.objects.get(slug="ada-reporter")
    author.name = "Ada Lovelace"
    author.save()
    text = client.get("/category/world/").text
    assert "Ada Lovelace" in text and "Ada Reporter" not in text


def test_a_new_featured_image_shows_in_the_cards(client, story):
    assert "<picture>" not in client.get("/tag/trade/").text
    story.featured_image = image_upload("harbour.jpg")
    story.save()
    assert "harbour" in client.get("/tag/trade/").text


def test_the_same_story_is_drawn_as_each_page_asks(client, story):
    # The section page leaves out the kicker the tag page shows: two fragments, not one.
    client.get("/category/world/")
    assert (
        '<p class="kicker"><a href="/category/world/">World</a></p>'
        not in (client.get("/category/world/").text.split('<div class="grid grid--list">')[1])
    )
    assert '<p class="kicker"><a href="/category/world/">World</a></p>' in (
        client.get("/tag/trade/").text
    )


# The furniture: drawn once per generation, the current section marked on each page


def nav_links(text):
    nav = text.split('<nav class="sections" aria-label="Sections">')[1].split("</nav>")[0]
    return nav


def test_the_navigation_marks_the_page_own_section_only(client, story):
    other = make_category(name="Sport", slug="sport")
    make_article(category=other)
    assert '<li><a href="/" aria-current="page">Home</a></li>' in nav_links(client.get("/").text)
    for page in ("/category/world/", story.get_absolute_url()):
        nav = nav_links(client.get(page).text)
        assert '<li><a href="/category/world/" aria-current="page">World</a></li>' in nav, page
        assert nav.count("aria-current") == 1, page
    assert "aria-current" not in nav_links(client.get("/tag/trade/").text)


def test_a_renamed_section_and_an_edited_about_box_show_in_the_furniture(client, story):
    from articles.models import About

    client.get("/tag/trade/")
    section = Category.objects.get(slug="world")
    section.name = "Abroad"
    section.save()
    about = About.load()
    about.summary = "News from a new masthead."
    about.save()
    text = client.get("/tag/trade/").text
    assert '<li><a href="/category/world/">Abroad</a></li>' in nav_links(text)
    assert '<li><a href="/category/world/">Abroad</a> <span class="count">' in text
    assert "News from a new masthead." in text


def test_a_story_read_next_follows_new_stories_at_once(client, story):
    assert "Next in World" not in client.get(story.get_absolute_url()).text
    make_article(category=story.category, title="The sequel", published_at=timezone.now())
    text = client.get(story.get_absolute_url()).text
    assert "Next in World" in text and "The sequel" in text


def test_a_story_read_next_shows_an_edited_headline_at_once(client, story):
    """Which stories come next is kept under the generation, which an edit in place does not
    raise (only the edited story's tag): their headlines are read fresh every time."""
    older = make_article(
        category=story.category,
        title="Harbour reopens",
        published_at=story.published_at - timedelta(hours=1),
    )
    assert "Harbour reopens" in client.get(story.get_absolute_url()).text
    older.title = "Harbour closes again"
    older.save()

    text = client.get(story.get_absolute_url()).text

    assert "Harbour closes again" in text and "Harbour reopens" not in text


def test_the_front_page_section_blocks_follow_an_edit_at_once(client, story):
    older = make_article(category=story.category, title="Harbour reopens")
    block = client.get("/").text.split('aria-labelledby="section-world"')[1].split("</section>")[0]
    assert "Harbour reopens" in block
    older.title = "Harbour closes again"
    older.save()
    block = client.get("/").text.split('aria-labelledby="section-world"')[1].split("</section>")[0]
    assert "Harbour closes again" in block and "Harbour reopens" not in block


# Comment threads: drawn once per revision of their comments


def test_comment_threads_follow_approval_edits_and_closing(client, story):
    from comments.models import Comment

    from .factories import make_comment

    first = make_comment(article=story, body="First!", status=Comment.Status.APPROVED)
    make_comment(article=story, body="A reply.", parent=first, status=Comment.Status.APPROVED)
    text = client.get(story.get_absolute_url()).text
    assert "First!" in text and "A reply." in text and "?replyto=" in text

    first.body = "First, edited by a moderator."
    first.save()
    pending = make_comment(article=story, body="Waiting.", parent=first)
    text = client.get(story.get_absolute_url()).text
    assert "First, edited by a moderator." in text and "Waiting." not in text
    Comment.objects.filter(pk=pending.pk).moderate(Comment.Status.APPROVED, None)
    assert "Waiting." in client.get(story.get_absolute_url()).text

    story.refresh_from_db()
    story.comment_mode = "closed"  # As the admin's form saves it: the story's tag is raised.
    story.save()
    text = client.get(story.get_absolute_url()).text
    assert "First, edited by a moderator." in text and "?replyto=" not in text


def test_every_source_a_fragment_is_drawn_with_is_watched():
    """A new version of the picture markup or a card template gives new fragment keys: a path
    that moved away (images left articles) would be skipped silently, and cards kept their old
    HTML after a deploy."""
    from pathlib import Path

    from django.conf import settings

    missing = [s for s in fragments.SOURCES if not (Path(settings.BASE_DIR) / s).exists()]
    assert missing == []


# The archive's months: drawn once per change of them


def test_the_archive_follows_a_story_published_in_a_new_month(client, story):
    first = client.get("/archive/").text
    with mock.patch.object(fragments, "get_template", side_effect=AssertionError("drawn")):
        assert client.get("/archive/").text == first
    earlier = timezone.localtime(story.published_at) - timedelta(days=400)
    make_article(category=story.category, published_at=earlier)

    text = client.get("/archive/").text

    assert f'href="/archive/{earlier:%Y/%m}/">{earlier:%B}</a> <span class="count">1 story' in text


def test_each_process_keeps_a_bounded_number_of_fragments(client, story, monkeypatch):
    monkeypatch.setattr(fragments, "IN_PROCESS_FRAGMENTS", 5)
    for n in range(8):
        make_article(category=story.category, title=f"Another story {n}")

    first = client.get("/").text  # more than five cards and blocks

    assert 0 < len(fragments._in_process) <= 5
    assert client.get("/").text == first

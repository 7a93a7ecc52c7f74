"""Exact invalidation: a page records the stories it shows as tags, a story edited in place
remakes only the pages that show it, and the tags go out as headers for a CDN or Varnish."""

import datetime
from unittest import mock

import pytest
from django.core.cache import cache, caches
from django.test import Client
from django.utils import timezone

from articles import views
from articles.models import Article, Author, Byline
from comments.models import Comment
from mostread.models import ArticleView
from pagecache import generations, middleware

from .factories import make_article, make_category, make_comment, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_DEBUG_HEADER = True
    settings.PAGE_CACHE_SECONDS = 300
    settings.PAGE_CACHE_STALE_SECONDS = 30
    caches["pages"].clear()


def how(response):
    return response.get("X-Page-Cache")


def tags_of(response):
    return set(response.get("xkey", "").split())


@pytest.fixture
def site():
    """A story on the weather, in its section, tag and author's list, and one elsewhere."""
    weather, sport = make_category(name="Weather"), make_category(name="Sport")
    story = make_article(title="Floods reach the capital", category=weather, tags=["Rain"])
    author = Author.objects.create(name="Ada Reporter", slug="ada-reporter")
    Byline.objects.create(article=story, author=author)
    other = make_article(title="Cup final tonight", category=sport, tags=["Football"])
    return story, other, author


def pages_of(story, author):
    """Addresses of every kind of page that shows `story`."""
    day = timezone.localtime(story.published_at)
    return {
        "front": "/",
        "story": story.get_absolute_url(),
        "section": story.category.get_absolute_url(),
        "tag": "/tag/rain/",
        "author": f"/author/{author.slug}/",
        "month": f"/archive/{day:%Y}/{day:%m}/",
        "year": f"/archive/{day:%Y}/",
        "feed": "/feeds/rss/",
        "section feed": f"{story.category.get_absolute_url()}feed/rss/",
        "comments": f"/comments/{story.pk}/",
    }


def test_every_page_that_shows_a_story_carries_its_tag(client, site):
    story, other, author = site
    tag = f"story-{story.pk}"

    for kind, url in pages_of(story, author).items():
        response = client.get(url)
        assert response.status_code == 200, kind
        assert tag in tags_of(response), kind
        assert "site" in tags_of(response), kind
    # The unrelated story's page shows the first one only as its neighbour, if at all; the
    # other section's page does not show it.
    assert tag not in tags_of(client.get(other.category.get_absolute_url()))
    assert "front" in tags_of(client.get("/"))
    assert f"section-{story.category_id}" in tags_of(client.get(pages_of(story, author)["section"]))
    assert f"comments-{story.pk}" in tags_of(client.get(story.get_absolute_url()))


@pytest.fixture
def most_read(site):
    """The weather story leads "Most read", in the sidebar of nearly every page."""
    story, _, _ = site
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    ArticleView.objects.create(article=story, hour=hour, count=50)
    return story


def test_the_most_read_box_remakes_its_pages_when_a_headline_changes_only(client, site, most_read):
    story, other, _ = site
    url = other.category.get_absolute_url()  # Shows the story in its "Most read" box only.
    page = client.get(url)
    assert "Floods reach the capital" in page.text
    assert f"headline-{story.pk}" in tags_of(page)

    story.body = "<p>The river is still rising.</p>"
    story.save()
    assert how(client.get(url)) == "hit"

    story.title = "Floods recede"
    story.save()
    again = client.get(url)
    assert how(again) == "miss"
    assert "Floods recede" in again.text


def test_the_tags_go_out_in_three_headers_also_from_the_cache(client, site):
    story, _, _ = site
    first = client.get(story.get_absolute_url())
    again = client.get(story.get_absolute_url())

    assert (how(first), how(again)) == ("miss", "hit")
    for response in (first, again):
        tags = tags_of(response)
        assert set(response["Cache-Tag"].split(",")) == tags
        assert set(response["Surrogate-Key"].split()) == tags


def test_staff_pages_carry_no_tags(client, site):
    story, _, _ = site
    client.force_login(make_user(is_staff=True))

    for url in ("/", story.get_absolute_url(), "/admin/"):
        response = client.get(url)
        assert not {"xkey", "Cache-Tag", "Surrogate-Key"} & set(response.headers), url


def test_a_story_edit_remakes_only_the_pages_that_show_it(client, site):
    story, other, author = site
    shown = pages_of(story, author)
    for url in [*shown.values(), other.category.get_absolute_url()]:
        client.get(url)

    story.title = "Floods recede"
    story.save()

    for kind, url in shown.items():
        response = client.get(url)
        assert how(response) == "miss", kind
        assert "Floods recede" in response.text, kind
    unrelated = client.get(other.category.get_absolute_url())
    assert how(unrelated) == "hit"
    assert "Cup final tonight" in unrelated.text


def test_moving_a_story_to_another_section_remakes_every_page(client, site):
    story, other, _ = site
    client.get(other.category.get_absolute_url())

    story.category = other.category
    story.save()

    unrelated_before = client.get(other.category.get_absolute_url())
    assert how(unrelated_before) == "miss"
    assert "Floods reach the capital" in unrelated_before.text


def test_unpublishing_is_never_served_from_a_stale_copy(client, site, monkeypatch):
    """Even while another request renders the page again (when an edit's copy may be served
    stale for PAGE_CACHE_STALE_SECONDS), a story taken down is gone at once."""
    monkeypatch.setattr(middleware, "RENDER_WAIT_SECONDS", 0)
    story, other, _ = site
    url = other.category.get_absolute_url()
    pages = [client.get(page) for page in ("/", story.get_absolute_url(), url)]
    for page in pages:  # Another worker is rendering each of them again.
        cache.add(middleware._render_lock(page.wsgi_request.page_cache_key), True, 60)

    story.status = Article.Status.DRAFT
    story.save()

    assert "Floods reach the capital" not in client.get("/").text
    assert client.get(story.get_absolute_url()).status_code == 404


def test_an_edit_may_be_served_stale_for_a_moment_while_its_page_is_made_again(client, site):
    story, _, _ = site
    page = client.get("/")
    cache.add(middleware._render_lock(page.wsgi_request.page_cache_key), True, 60)

    story.title = "Floods recede"
    story.save()

    assert how(client.get("/")) == "stale"


def test_a_comment_approval_remakes_only_its_storys_pages(client, site):
    story, other, author = site
    comment = make_comment(story, body="Stay safe, everyone.")
    shown = pages_of(story, author)
    for url in [*shown.values(), other.get_absolute_url()]:
        client.get(url)

    Comment.objects.filter(pk=comment.pk).moderate(Comment.Status.APPROVED, None)

    for kind in ("story", "comments"):
        response = client.get(shown[kind])
        assert how(response) == "miss", kind
        assert "Stay safe, everyone." in response.text
    for kind in ("front", "section", "tag", "feed"):
        assert how(client.get(shown[kind])) == "hit", kind
    assert how(client.get(other.get_absolute_url())) == "hit"


def test_a_page_made_while_its_story_changed_is_out_of_date_at_once(
    client, site, settings, monkeypatch
):
    """A page learns its tags as it is made: a tag raised meanwhile may be a change the page
    missed (read before it was committed), so its copy is not kept as fresh, and the cache in
    front, whose purge may come before the page does, is told not to keep it."""
    settings.PAGE_CACHE_PURGE = "varnish"
    settings.PAGE_CACHE_PURGE_URLS = ["http://127.0.0.1:9/"]
    story, _, _ = site
    make_page = views.lead_and_latest

    def edited_meanwhile():
        shown = make_page()
        generations.tags_changed(f"story-{story.pk}")  # An editor's save, mid-render.
        return shown

    monkeypatch.setattr(views, "lead_and_latest", edited_meanwhile)
    first = client.get("/")
    monkeypatch.setattr(views, "lead_and_latest", make_page)

    assert first["Surrogate-Control"] == "no-store"
    assert how(client.get("/")) == "miss"
    assert how(client.get("/")) == "hit"


def test_a_cdn_is_told_how_long_it_may_keep_a_page_only_with_a_purge_set(client, site, settings):
    story, _, _ = site
    url = story.category.get_absolute_url()  # No comment form: nothing else bounds its life.
    assert "Surrogate-Control" not in client.get(url)

    settings.PAGE_CACHE_PURGE = "varnish"
    settings.PAGE_CACHE_PURGE_URLS = ["http://127.0.0.1:9/"]
    now = timezone.localtime().replace(hour=12)  # Far from midnight, when every page changes.
    with mock.patch("django.utils.timezone.now", return_value=now):
        caches["pages"].clear()
        first = client.get(url)
    with mock.patch(
        "django.utils.timezone.now", return_value=now + datetime.timedelta(seconds=100)
    ):
        again = client.get(url)

    assert first["Surrogate-Control"] == "max-age=300"
    assert (how(again), again["Surrogate-Control"]) == ("hit", "max-age=200")
    # Not for one reader only.
    client.force_login(make_user(is_staff=True))
    assert "Surrogate-Control" not in client.get(url)
    assert Client().get(url).has_header("xkey")

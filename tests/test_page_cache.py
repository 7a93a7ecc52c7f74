"""The page cache: anonymous readers get cached pages, staff never do, and any change readers
could see shows at once on every page that shows it."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone

from articles.models import About, Article, Correction
from comments.models import Comment

from .factories import make_article, make_category, make_comment, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_header(settings):
    """X-Page-Cache tells these tests a hit from a miss; it is off in production."""
    settings.PAGE_CACHE_DEBUG_HEADER = True


def cached(response):
    return response.get("X-Page-Cache") == "hit"


@pytest.fixture
def story():
    return make_article(title="Floods reach the capital", tags=["Weather"])


def test_a_reader_gets_the_page_from_the_cache_the_second_time(client, story):
    first = client.get(story.get_absolute_url())
    again = client.get(story.get_absolute_url())

    assert not cached(first)
    assert cached(again)
    assert again.content == first.content


def test_staff_never_get_a_cached_page_nor_fill_the_cache(client, story):
    client.get(story.get_absolute_url())  # cached for readers
    editor = make_user(is_staff=True)
    client.force_login(editor)

    for_staff = client.get(story.get_absolute_url())

    assert not cached(for_staff)
    assert "no-store" in for_staff["Cache-Control"]
    assert "private" in for_staff["Cache-Control"]
    # A draft the editor previews is never served to a reader afterwards.
    draft = make_article(status=Article.Status.DRAFT, title="Secret draft")
    client.get(draft.get_absolute_url())
    assert Client().get(draft.get_absolute_url()).status_code == 404


def test_a_reader_carrying_a_message_gets_a_fresh_private_page(client, story):
    client.get(story.get_absolute_url())
    response = client.post(
        f"/comments/post/{story.pk}/",
        {"name": "Dana", "email": "dana@example.com", "body": "Thank you.", "shown_at": ""},
        follow=True,
    )
    # The form expired (no shown_at): the reader is shown the errors, on a page for them only.
    assert response.status_code == 200
    assert not cached(response)


def test_publishing_shows_at_once_on_every_page(client, story):
    section = story.category
    draft = make_article(category=section, status=Article.Status.DRAFT, title="Breaking: dam holds")
    month = f"/archive/{timezone.localtime():%Y/%m}/"
    pages = ["/", section.get_absolute_url(), "/feeds/rss/", month, "/search/?q=dam"]
    for page in pages:
        client.get(page)
        assert cached(client.get(page))

    draft.status = Article.Status.PUBLISHED
    draft.published_at = timezone.now() - timedelta(seconds=1)
    draft.save()

    for page in pages:
        assert "Breaking: dam holds" in client.get(page).text, page


def test_unpublishing_and_editing_show_at_once(client, story):
    other = make_article(category=story.category, title="Bridge to reopen")
    client.get("/")
    client.get(story.get_absolute_url())

    other.status = Article.Status.DRAFT
    other.save()
    story.title = "Floods reach the capital, thousands leave"
    story.save()

    front = client.get("/").text
    assert "Bridge to reopen" not in front
    assert "thousands leave" in front
    assert "thousands leave" in client.get(story.get_absolute_url()).text


def test_an_approved_comment_shows_at_once(client, story):
    comment = make_comment(story, body="The river rose overnight.", status="pending")
    assert "The river rose overnight." not in client.get(story.get_absolute_url()).text

    comment.status = Comment.Status.APPROVED
    comment.save()

    assert "The river rose overnight." in client.get(story.get_absolute_url()).text


def test_approving_in_bulk_from_the_admin_shows_at_once(client, story):
    make_comment(story, body="Bulk approved words.", status="pending")
    client.get(story.get_absolute_url())
    moderator = make_user(is_staff=True)
    moderator.user_permissions.add(Permission.objects.get(codename="change_comment"))
    admin = Client()
    admin.force_login(moderator)

    response = admin.post(
        "/admin/comments/comment/",
        {
            "action": "approve",
            "_selected_action": list(Comment.objects.values_list("pk", flat=True)),
        },
    )

    assert response.status_code == 302
    assert "Bulk approved words." in client.get(story.get_absolute_url()).text


def test_a_new_pending_comment_keeps_the_cached_page(client, story):
    client.get(story.get_absolute_url())
    make_comment(story, status="pending")
    assert cached(client.get(story.get_absolute_url()))


def test_editing_about_shows_at_once_in_every_sidebar(client, story):
    client.get("/")
    client.get("/about/")
    about = About.load()
    about.summary = "A newsroom owned by its readers."
    about.save()

    assert "A newsroom owned by its readers." in client.get("/").text
    assert "A newsroom owned by its readers." in client.get("/about/").text


def test_renaming_a_section_and_tagging_show_at_once(client, story):
    client.get(story.get_absolute_url())
    section = story.category
    section.name = "Climate desk"
    section.save()
    story.tags.add("Rivers")

    page = client.get(story.get_absolute_url()).text
    assert "Climate desk" in page
    assert "Rivers" in page


def test_a_correction_shows_at_once(client, story):
    client.get(story.get_absolute_url())
    Correction.objects.create(article=story, text="An earlier version gave the wrong river.")
    assert "the wrong river" in client.get(story.get_absolute_url()).text


def test_a_scheduled_story_appears_when_its_time_comes(client, monkeypatch, story):
    soon = timezone.now() + timedelta(minutes=5)
    make_article(category=story.category, title="Embargoed report", published_at=soon)
    assert "Embargoed report" not in client.get("/").text
    assert cached(client.get("/"))

    later = soon + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)

    assert "Embargoed report" in client.get("/").text


def test_every_app_server_sees_a_change_made_through_another(story, settings):
    """Two servers sharing one cache: a change through either is seen through both."""
    first, second = Client(), Client()
    first.get("/")
    second.get("/")
    make_article(category=story.category, title="Made through the first server")

    assert "Made through the first server" in second.get("/").text


# Conditional GET and HTTP caches ---------------------------------------------------------


def test_anonymous_pages_tell_http_caches_they_may_keep_them(client, settings, story):
    settings.PAGE_MAX_AGE = 60
    settings.PAGE_STALE_WHILE_REVALIDATE = 30
    response = client.get(story.get_absolute_url())

    control = response["Cache-Control"]
    assert "public" in control
    assert "max-age=60" in control
    assert "stale-while-revalidate=30" in control
    assert response.has_header("ETag")
    assert response.has_header("Last-Modified")
    assert not response.cookies


@pytest.mark.parametrize("url", ["/", "article", "/archive/", "/feeds/rss/", "/about/"])
def test_a_repeat_visit_is_answered_304_not_modified(client, story, url):
    url = story.get_absolute_url() if url == "article" else url
    first = client.get(url)

    by_etag = client.get(url, headers={"If-None-Match": first["ETag"]})
    by_date = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})

    assert by_etag.status_code == 304
    assert by_date.status_code == 304
    assert by_etag.content == b""


def test_after_a_change_the_repeat_visit_gets_the_new_page(client, story):
    first = client.get(story.get_absolute_url())
    story.title = "Floods recede"
    story.save()

    again = client.get(story.get_absolute_url(), headers={"If-None-Match": first["ETag"]})

    assert again.status_code == 200
    assert "Floods recede" in again.text


def test_pages_are_compressed_for_browsers_that_accept_it(client, story):
    response = client.get(story.get_absolute_url(), headers={"Accept-Encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"


# The comment form on a cached page ---------------------------------------------------------


def form_fields(html):
    form = re.search(r'<form class="comment-form".*?</form>', html, re.DOTALL).group(0)
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))


def test_a_cached_article_page_carries_no_token_and_sets_no_cookie(client, story):
    client.get(story.get_absolute_url())
    fresh = Client(enforce_csrf_checks=True)

    page = fresh.get(story.get_absolute_url())

    assert cached(page)
    assert not page.cookies
    assert "csrfmiddlewaretoken" not in form_fields(page.text)


def test_a_fresh_reader_comments_on_a_cached_page(story, settings):
    settings.COMMENTS_MIN_SECONDS = 0
    Client().get(story.get_absolute_url())  # someone else filled the cache
    reader = Client(enforce_csrf_checks=True)
    page = reader.get(story.get_absolute_url())
    assert cached(page)

    # One post, as a browser sends it: no token, no cookie, and where it came from.
    response = reader.post(
        f"/comments/post/{story.pk}/",
        {
            **form_fields(page.text),
            "name": "Dana",
            "email": "dana@example.com",
            "body": "Stay safe, all.",
        },
        headers={"Sec-Fetch-Site": "same-origin"},
    )

    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.body == "Stay safe, all."
    assert comment.status == Comment.Status.PENDING
    assert comment.spam_reason == ""


def test_a_comment_posted_without_a_token_comes_back_to_be_sent_again(story, settings):
    """A browser that says neither where the post comes from (Sec-Fetch-Site) nor its Origin:
    the post is refused, but the words are kept and a token is given."""
    settings.COMMENTS_MIN_SECONDS = 0
    reader = Client(enforce_csrf_checks=True)
    fields = form_fields(reader.get(story.get_absolute_url()).text)
    words = "Water is over the road at the old mill — take care."

    refused = reader.post(
        f"/comments/post/{story.pk}/",
        {**fields, "name": "Dana", "email": "dana@example.com", "body": words},
    )

    assert refused.status_code == 403
    assert "It has not been posted yet" in refused.text
    assert words in refused.text
    assert not Comment.objects.exists()
    again = form_fields(refused.text)
    assert again["csrfmiddlewaretoken"]
    posted = reader.post(
        f"/comments/post/{story.pk}/",
        {**again, "name": "Dana", "email": "dana@example.com", "body": words},
    )
    assert posted.status_code == 302
    assert Comment.objects.get().body == words


def test_other_csrf_refusals_keep_djangos_page(story):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/admin/login/", {"username": "x", "password": "y"}).status_code == 403


def test_the_page_cache_can_be_turned_off(client, settings, story):
    settings.PAGE_CACHE_SECONDS = 0
    client.get(story.get_absolute_url())
    again = client.get(story.get_absolute_url())
    assert not cached(again)
    assert "public" in again["Cache-Control"]


def test_a_section_with_no_stories_yet_is_not_cached_empty(client):
    section = make_category(name="Science")
    client.get(section.get_absolute_url())
    make_article(category=section, title="Comet seen")
    assert "Comet seen" in client.get(section.get_absolute_url()).text


def test_no_cached_page_outlives_the_day_it_shows_in_its_masthead(client, monkeypatch, story):
    client.get("/")
    assert cached(client.get("/"))

    tomorrow = timezone.localtime() + timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: tomorrow)

    assert not cached(client.get("/"))


def test_a_comment_changes_only_its_storys_page(client, story):
    """During a busy day moderators approve comments by the minute: the rest of the site
    stays in the cache."""
    comment = make_comment(story, body="Only here.", status="pending")
    for page in ("/", story.get_absolute_url(), story.category.get_absolute_url()):
        client.get(page)

    comment.status = Comment.Status.APPROVED
    comment.save()

    assert cached(client.get("/"))
    assert cached(client.get(story.category.get_absolute_url()))
    fresh = client.get(story.get_absolute_url())
    assert not cached(fresh)
    assert "Only here." in fresh.text
    # A reply link's address (?replyto=…) is the same page: it changed too.
    assert "Only here." in client.get(f"{story.get_absolute_url()}?replyto={comment.pk}").text

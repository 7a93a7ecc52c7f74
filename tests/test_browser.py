"""The whole comment journey in a real browser: reader, moderator, reader again."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from .factories import make_article, make_category, make_roles, make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def roles():
    """A live-server test empties the database after itself, the groups the data migrations
    made included: make them again, the same way, before each test."""
    make_roles()


@pytest.fixture
def new_page(browser):
    """A page in a browser context of its own (its own cookies), closed after the test so that
    no keep-alive connection to the live server outlives it."""
    contexts = []

    def open_page():
        contexts.append(browser.new_context())
        return contexts[-1].new_page()

    yield open_page
    for context in contexts:
        context.close()


def sign_in(page, live_server, username):
    page.goto(live_server.url + "/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_a_readers_comment_is_approved_by_a_moderator_and_appears(live_server, new_page, settings):
    # A person takes longer than the anti-spam minimum to write a comment; the browser does not.
    settings.COMMENTS_MIN_SECONDS = 0
    settings.PAGE_CACHE_DEBUG_HEADER = True  # X-Page-Cache tells a hit; production sends none.
    story = make_article(
        title="Kazakhstan joins the Abraham Accords",
        published_at=timezone.now() - timedelta(hours=1),
    )
    make_user("moira", groups=["Moderators"], is_staff=True)
    story_url = live_server.url + story.get_absolute_url()

    new_page().goto(story_url)  # An earlier reader fills the page cache.
    reader = new_page()
    # The page comes from the cache, shared by every reader: the form's script fetches the
    # CSRF token this reader needs.
    assert reader.goto(story_url).headers["x-page-cache"] == "hit"
    reader.get_by_label("Name", exact=True).fill("Daniyar")
    reader.get_by_label("Email", exact=True).fill("daniyar@example.com")
    reader.get_by_label("Comment", exact=True).fill("A fair summary of a symbolic step.")
    reader.get_by_role("button", name="Post comment").click()
    expect(reader.get_by_text("will appear once a moderator has approved it")).to_be_visible()
    expect(reader.locator(".comment-list")).to_have_count(0)

    moderator = new_page()
    sign_in(moderator, live_server, "moira")
    moderator.goto(live_server.url + "/admin/comments/comment/?status__exact=pending")
    row = moderator.get_by_role("row").filter(has_text="A fair summary of a symbolic step.")
    expect(row).to_contain_text("Pending")
    row.get_by_role("checkbox").check()
    moderator.locator("select[name=action]").select_option(label="Approve selected comments")
    moderator.get_by_role("button", name="Run").or_(
        moderator.get_by_role("button", name="Go")
    ).click()
    expect(moderator.get_by_text("1 comment approved.")).to_be_visible()

    reader.goto(story_url)
    expect(reader.locator(".comment-list")).to_contain_text("A fair summary of a symbolic step.")
    expect(reader.locator("#comments-title")).to_have_text(re.compile(r"Comments\s+\(1\)"))


def test_a_writer_drafts_an_editor_schedules_and_the_story_appears_on_time(
    live_server, new_page, monkeypatch
):
    section = make_category(name="World")
    make_user("wendy", groups=["Writers"], is_staff=True)
    make_user("eddie", groups=["Editors"], is_staff=True)

    writer = new_page()
    sign_in(writer, live_server, "wendy")
    writer.goto(live_server.url + "/admin/articles/article/add/")
    writer.get_by_label("Title:").press_sequentially("Caspian states agree to share data")
    expect(writer.locator("#id_slug")).to_have_value("caspian-states-agree-to-share-data")
    writer.get_by_label("Category:").select_option(label="World")
    editor_area = writer.locator(".field-body .ProseMirror[contenteditable=true]")
    editor_area.click()
    writer.keyboard.type("## Why it matters\n")
    writer.keyboard.type("Five countries will publish water readings on one platform.")
    writer.get_by_label("Status:").select_option(label="In review — ready for an editor")
    writer.get_by_role("button", name="Save", exact=True).first.click()
    expect(writer.locator(".messagelist")).to_contain_text("was added successfully")

    editor = new_page()
    sign_in(editor, live_server, "eddie")
    editor.goto(live_server.url + "/admin/articles/article/?state=review")
    editor.get_by_role("link", name="Caspian states agree to share data").click()
    tomorrow = timezone.localtime() + timedelta(days=1)
    editor.get_by_label("Status:").select_option(label="Published")
    editor.locator("#id_published_at_0").fill(tomorrow.strftime("%d/%m/%Y"))
    editor.locator("#id_published_at_1").fill("07:00:00")
    editor.get_by_role("button", name="Save", exact=True).first.click()
    expect(editor.locator(".messagelist")).to_contain_text("was changed successfully")
    editor.goto(live_server.url + "/admin/articles/article/?state=scheduled")
    expect(editor.get_by_role("row").filter(has_text="Caspian states")).to_contain_text(
        "Scheduled for"
    )

    reader = new_page()
    reader.goto(live_server.url + "/")
    expect(reader.get_by_text("Caspian states agree to share data")).to_have_count(0)

    # The next morning, with nobody touching anything, the story is out.
    later = timezone.now() + timedelta(days=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    reader.goto(live_server.url + section.get_absolute_url())
    reader.get_by_role("link", name="Caspian states agree to share data").click()
    expect(reader.get_by_role("heading", name="Why it matters")).to_be_visible()
    expect(reader.locator(".story__body")).to_contain_text("Five countries will publish")


def test_a_story_that_is_read_tells_most_read_once_it_has_loaded(live_server, new_page):
    story = make_article(published_at=timezone.now() - timedelta(hours=1))
    hit_url = live_server.url + reverse("mostread:hit", args=[story.pk])

    reader = new_page()
    with reader.expect_request(lambda request: request.url == hit_url) as hit:
        reader.goto(live_server.url + story.get_absolute_url())
    assert hit.value.method == "POST"
    assert hit.value.response().status == 204

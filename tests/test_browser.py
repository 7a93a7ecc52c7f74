"""The whole comment journey in a real browser: reader, moderator, reader again."""

import re

import pytest
from playwright.sync_api import expect

from .factories import make_article, make_user

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


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


def test_a_readers_comment_is_approved_by_a_moderator_and_appears(live_server, new_page):
    story = make_article(title="Kazakhstan joins the Abraham Accords")
    make_user("moira", groups=["Moderators"], is_staff=True)
    story_url = live_server.url + story.get_absolute_url()

    reader = new_page()
    reader.goto(story_url)
    reader.get_by_label("Name", exact=True).fill("Daniyar")
    reader.get_by_label("Email", exact=True).fill("daniyar@example.com")
    reader.get_by_label("Comment", exact=True).fill("A fair summary of a symbolic step.")
    reader.get_by_role("button", name="Post comment").click()
    expect(reader.get_by_text("will appear once a moderator has approved it")).to_be_visible()
    expect(reader.locator(".comment-list")).to_have_count(0)

    moderator = new_page()
    moderator.goto(live_server.url + "/admin/")
    moderator.get_by_label("Username").fill("moira")
    moderator.get_by_label("Password").fill("correct-horse-battery")
    moderator.get_by_role("button", name="Log in").click()
    expect(moderator.get_by_role("button", name="Log out")).to_be_visible()
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

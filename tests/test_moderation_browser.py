"""The moderation queue in a real browser, on a phone and on a desk: a moderator reads the whole
comment and decides it without scrolling sideways."""

import pytest
from playwright.sync_api import expect

from comments.models import Comment

from .factories import make_comment, make_user
from .test_browser import roles, sign_in  # noqa: F401 (roles: autouse, makes the groups)

pytestmark = pytest.mark.django_db(transaction=True)

QUEUE = "/admin/comments/comment/?status__exact=pending"
# Long enough to have been cut short before, with a line break, markup that must stay text
# and an address too long for a phone's width.
BODY = (
    "The minister said the pipeline would be finished by spring, but the tender documents "
    "published last week give a completion date two years later.\n"
    "Which of the two is right? <b>Somebody</b> should ask. "
    "https://tenders.example.gov/documents/2025/pipeline-phase-two-schedule-annex-final-v3.pdf"
)
LAST_LINE = "Which of the two is right? <b>Somebody</b> should ask."


@pytest.fixture
def phone_or_desk(browser, request):
    """A signed-out browser page of the width under test, closed after the test."""
    context = browser.new_context(viewport={"width": request.param, "height": 800})
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("phone_or_desk", [375, 1280], indirect=True, ids=["phone", "desk"])
def test_a_moderator_reads_the_whole_comment_and_approves_it_without_scrolling_sideways(
    live_server, phone_or_desk, tmp_path
):
    page = phone_or_desk
    width = page.viewport_size["width"]
    make_user("moira", groups=["Moderators"], is_staff=True)
    comment = make_comment(name="Daniyar", body=BODY)
    make_comment(name="Aigerim", body="A second comment, waiting too.")

    sign_in(page, live_server, "moira")
    page.goto(live_server.url + QUEUE)
    row = page.locator("#result_list tbody tr").filter(has_text="Daniyar")
    row.scroll_into_view_if_needed()
    page.screenshot(path=tmp_path / f"queue-{width}.png", full_page=True)

    text = row.locator(".field-comment_text")
    # All of it, markup as text, both lines.
    expect(text).to_contain_text("published last week give a completion date two years later.")
    expect(text).to_contain_text(LAST_LINE)
    expect(text).to_contain_text("schedule-annex-final-v3.pdf")
    assert text.locator("br").count() == 1 and text.locator("b").count() == 0
    text_box = text.bounding_box()
    assert text_box["x"] >= 0 and text_box["x"] + text_box["width"] <= width
    buttons = [
        row.get_by_role("button", name=f"{label}: comment by Daniyar")
        for label in ("Approve", "Reject", "Spam")
    ]
    for button in buttons:
        expect(button).to_be_in_viewport(ratio=1)
    # Nothing on the page is wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate(
        "[...document.querySelectorAll('.results')].every(e => e.scrollWidth <= e.clientWidth)"
    )

    buttons[0].click()

    expect(page.get_by_text("The comment by Daniyar was approved.")).to_be_visible()
    page.screenshot(path=tmp_path / f"queue-{width}-approved.png", full_page=True)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    expect(page.locator("#result_list tbody tr")).to_have_count(1)

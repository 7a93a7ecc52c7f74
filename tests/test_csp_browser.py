"""The Content-Security-Policy in a real browser: every page works under it and none of them
makes the browser refuse anything (a refused script or style is a broken page)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article
from comments.models import Comment

from .factories import make_article, make_category, make_roles, make_user

pytestmark = pytest.mark.django_db(transaction=True)

# Runs in every document before the page's own scripts (Playwright injects it outside the
# page's CSP) and keeps each violation the browser reports.
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(
    `${event.effectiveDirective} refused ${event.blockedURI || "inline"} on ${location.pathname}`
  );
});
"""


@pytest.fixture(autouse=True)
def roles():
    """A live-server test empties the database after itself, the groups the data migrations
    made included: make them again, the same way, before each test."""
    make_roles()


# What Chromium writes to the console when it refuses something for a policy, or cannot read
# the Permissions-Policy header.
POLICY_MESSAGES = ("Content Security Policy", "Content-Security-Policy", "Permissions-Policy")


@pytest.fixture
def watched_page(browser):
    """A page that records CSP violations and the console's complaints about policies; the test
    checks at each page, so that a violation is pinned to the page it happened on."""
    context = browser.new_context()
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.policy_messages = []
    page.on(
        "console",
        lambda message: (
            any(words in message.text for words in POLICY_MESSAGES)
            and page.policy_messages.append(message.text)
        ),
    )
    yield page
    context.close()


def assert_no_violations(page):
    assert page.evaluate("window.cspViolations") == []
    assert page.policy_messages == []


def test_public_pages_admin_and_editor_work_under_the_csp(live_server, watched_page, settings):
    # A person takes longer than the anti-spam minimum to write a comment; the browser does not.
    settings.COMMENTS_MIN_SECONDS = 0
    section = make_category(name="World")
    story = make_article(
        title="Caspian states agree to share data",
        category=section,
        published_at=timezone.now() - timedelta(hours=1),
    )
    make_user("edna", groups=["Editors", "Moderators"], is_staff=True)
    page = watched_page

    page.goto(live_server.url + "/")
    expect(
        page.get_by_role("link", name="Caspian states agree to share data").first
    ).to_be_visible()
    assert_no_violations(page)

    page.get_by_label("Search stories").fill("Caspian")
    page.get_by_label("Search stories").press("Enter")
    expect(page.locator("main")).to_contain_text("Caspian states agree to share data")
    assert_no_violations(page)

    page.goto(live_server.url + story.get_absolute_url())
    page.get_by_label("Name", exact=True).fill("Daniyar")
    page.get_by_label("Email", exact=True).fill("daniyar@example.com")
    page.get_by_label("Comment", exact=True).fill("Good to see the data shared.")
    page.get_by_role("button", name="Post comment").click()
    expect(page.get_by_text("will appear once a moderator has approved it")).to_be_visible()
    assert_no_violations(page)

    page.goto(live_server.url + "/admin/")
    page.get_by_label("Username").fill("edna")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    assert_no_violations(page)

    page.goto(live_server.url + f"/admin/articles/article/{story.pk}/change/")
    expect(page.locator(".field-body .prose-menubar")).to_be_visible()
    editor_area = page.locator(".field-body .ProseMirror[contenteditable=true]")
    editor_area.click()
    expect(editor_area).to_be_focused()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type("Typed under a strict policy.")
    assert_no_violations(page)
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    # What the editor typed was saved, beside the text that was there (where the caret lands
    # first is the editor's business, not the policy's).
    body = Article.objects.get(pk=story.pk).body
    assert "Typed under a strict policy." in body
    assert "The body of story" in body
    assert_no_violations(page)

    page.goto(live_server.url + "/admin/comments/comment/")
    expect(page.get_by_role("row").filter(has_text="Good to see the data shared.")).to_be_visible()
    assert Comment.objects.get().status == Comment.Status.PENDING
    assert_no_violations(page)

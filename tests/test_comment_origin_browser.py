"""A reader without JavaScript comments on a cached story page in one go, in a real browser:
the browser's Sec-Fetch-Site says the post comes from our page, so no token is needed."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from comments.models import Comment

from .factories import make_article, make_roles

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def roles():
    """A live-server test empties the database after itself, the groups the data migrations
    made included: make them again, the same way, before each test."""
    make_roles()


def test_a_reader_without_javascript_posts_on_a_cached_page_in_one_go(
    live_server, browser, settings
):
    # A person takes longer than the anti-spam minimum to write a comment; the browser does not.
    settings.COMMENTS_MIN_SECONDS = 0
    settings.PAGE_CACHE_DEBUG_HEADER = True  # X-Page-Cache tells a hit; production sends none.
    story = make_article(
        title="Storm closes bridges", published_at=timezone.now() - timedelta(hours=1)
    )
    story_url = live_server.url + story.get_absolute_url()
    earlier = browser.new_context()
    reader = browser.new_context(java_script_enabled=False)
    try:
        earlier.new_page().goto(story_url)  # An earlier reader fills the page cache.
        page = reader.new_page()
        posts = []
        page.on("request", lambda request: request.method == "POST" and posts.append(request))

        assert page.goto(story_url).headers["x-page-cache"] == "hit"
        page.get_by_label("Name", exact=True).fill("Dana")
        page.get_by_label("Email", exact=True).fill("dana@example.com")
        page.get_by_label("Comment", exact=True).fill("The ring road bridge is closed too.")
        page.get_by_role("button", name="Post comment").click()

        expect(page.get_by_text("will appear once a moderator has approved it")).to_be_visible()
        assert len(posts) == 1
        assert posts[0].all_headers().get("sec-fetch-site") == "same-origin"
        comment = Comment.objects.get()
        assert comment.body == "The ring road bridge is closed too."
        assert comment.status == Comment.Status.PENDING
        assert not any(cookie["name"] == "csrftoken" for cookie in reader.cookies())
    finally:
        earlier.close()
        reader.close()

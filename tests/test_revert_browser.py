"""Restoring an old version in a real browser: a writer restores their own story's words and
it stays in review; a writer and a moderator who post the revert form for a story they may
not change, even without the page offering it, leave the story as it was."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article

from .factories import make_article, make_roles, make_user
from .test_browser import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def roles():
    """The live server empties the database after each test, groups included: make them again."""
    make_roles()


def story_with_history(author, title, **today):
    """A story first saved as a draft titled "Old: <title>", and today's version of it."""
    story = make_article(
        title=f"Old: {title}",
        body="<p>The old words.</p>",
        author=author,
        status=Article.Status.DRAFT,
        published_at=timezone.now() - timedelta(days=2),
    )
    story = Article.objects.get(pk=story.pk)
    story.title, story.body = title, "<p>Today's words.</p>"
    for field, value in today.items():
        setattr(story, field, value)
    story.save()
    return Article.objects.get(pk=story.pk)


def version_url(live_server, story):
    first = story.history.earliest()
    return live_server.url + reverse(
        "admin:articles_article_simple_history", args=[story.pk, first.pk]
    )


def post_revert_anyway(page, url, story):
    """POST the revert form as a script would, with the signed-in user's CSRF token."""
    token = page.locator("input[name=csrfmiddlewaretoken]").first.get_attribute("value")
    return page.request.post(
        url,
        form={
            "csrfmiddlewaretoken": token,
            "title": "Vandalised",
            "slug": story.slug,
            "body": "<p>Vandalised.</p>",
            "category": str(story.category_id),
            "status": "draft",
            "_save": "Revert",
        },
        headers={"Referer": url},
        max_redirects=0,  # a save answers with a redirect: see it, not the page it leads to
    )


def unchanged(story):
    now = Article.objects.get(pk=story.pk)
    return (now.title, now.body, now.status) == (story.title, story.body, story.status)


def test_a_writer_restores_their_words_and_cannot_revert_a_colleagues_draft(live_server, page):
    wendy = make_user("wendy", groups=["Writers"], is_staff=True)
    walt = make_user("walt", groups=["Writers"], is_staff=True)
    mine = story_with_history(wendy, "Steppe rail link", status=Article.Status.REVIEW)
    theirs = story_with_history(walt, "Walt's scoop", status=Article.Status.DRAFT)
    sign_in(page, live_server, "wendy")

    page.goto(live_server.url + reverse("admin:articles_article_history", args=[mine.pk]))
    page.get_by_role("link", name="Old: Steppe rail link").click()
    expect(page.get_by_label("Status:")).to_have_value("review")  # today's, not the draft's
    page.get_by_role("button", name="Revert").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    mine = Article.objects.get(pk=mine.pk)
    assert (mine.title, mine.status) == ("Old: Steppe rail link", Article.Status.REVIEW)

    url = version_url(live_server, theirs)
    assert page.goto(url).status == 404
    page.goto(live_server.url + "/admin/")  # a page with the user's CSRF token
    assert post_revert_anyway(page, url, theirs).status == 404
    assert unchanged(theirs)


def test_a_moderator_sees_a_version_without_revert_and_a_posted_revert_is_refused(
    live_server, page
):
    editor = make_user("eddie", groups=["Editors"], is_staff=True)
    make_user("moira", groups=["Moderators"], is_staff=True)
    published = story_with_history(
        editor,
        "Aral Sea returns",
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() - timedelta(hours=1),
    )
    draft = story_with_history(editor, "Embargoed budget", status=Article.Status.REVIEW)
    sign_in(page, live_server, "moira")

    url = version_url(live_server, published)
    assert page.goto(url).status == 200
    expect(page.get_by_text("Aral Sea returns").first).to_be_visible()
    expect(page.get_by_role("button", name="Revert")).to_have_count(0)
    assert post_revert_anyway(page, url, published).status == 403
    assert unchanged(published)

    draft_url = version_url(live_server, draft)
    assert page.goto(draft_url).status == 404
    page.goto(url)
    assert post_revert_anyway(page, draft_url, draft).status == 404
    assert unchanged(draft)

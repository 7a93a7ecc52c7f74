"""Two editors on one story: the second save is refused, and neither text is lost."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article

from .factories import article_admin_data, make_article, make_user

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")
SAVED_MEANWHILE = "Someone else saved this story at"


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def editor_client(username, **names):
    client = Client()
    client.force_login(make_user(username, groups=["Editors"], is_staff=True, **names))
    return client


@pytest.fixture
def story():
    return make_article(title="The first draft", body="<p>Original text.</p>", status="draft")


def open_form(client, url):
    """GET a change form as a browser does and return the version it was opened with."""
    page = client.get(url)
    assert page.status_code == 200
    field = re.search(r'<input[^>]*name="opened_version"[^>]*>', page.text)
    assert field, "the change form carries the version it was opened with"
    return re.search(r'value="(\d+)"', field.group()).group(1)


def save(client, url, article, version, **fields):
    data = article_admin_data(article.category, slug=article.slug, opened_version=version, **fields)
    return client.post(url, data)


def test_second_of_two_editors_is_refused_and_keeps_their_text(story):
    anna = editor_client("anna", first_name="Anna", last_name="Berg")
    bob = editor_client("bob")
    anna_opened = open_form(anna, change_url(story))
    bob_opened = open_form(bob, change_url(story))

    first = save(
        anna,
        change_url(story),
        story,
        anna_opened,
        title="Anna's headline",
        body="<p>Anna's text.</p>",
    )
    second = save(
        bob,
        change_url(story),
        story,
        bob_opened,
        title="Bob's headline",
        body="<p>Bob's careful rewrite.</p>",
    )

    assert first.status_code == 302
    assert second.status_code == 200
    saved_at = timezone.localtime(story.history.latest().history_date)
    assert f"{SAVED_MEANWHILE} {saved_at:%H:%M} (by Anna Berg) after you opened it" in second.text
    assert "has not been saved" in second.text
    # Bob's work is still in the form in front of him...
    assert 'value="Bob&#x27;s headline"' in second.text
    assert "Bob&#x27;s careful rewrite." in second.text
    # ...with links to the current version and its history to compare.
    assert f'href="{change_url(story)}" target="_blank"' in second.text
    assert reverse("admin:articles_article_history", args=[story.pk]) in second.text
    # Anna's text is the story, and in its history; Bob's never overwrote it.
    story.refresh_from_db()
    assert (story.title, story.body) == ("Anna's headline", "<p>Anna's text.</p>")
    assert story.history.filter(title="Anna's headline").exists()
    assert not story.history.filter(title="Bob's headline").exists()


def test_a_save_from_a_publish_action_in_between_also_refuses_the_stale_form(story):
    writer_desk = editor_client("carla")
    desk = editor_client("dan")
    opened = open_form(writer_desk, change_url(story))

    desk.post(CHANGELIST, {"action": "publish_now", "_selected_action": [story.pk]})
    response = save(writer_desk, change_url(story), story, opened, title="Edited headline")

    assert SAVED_MEANWHILE in response.text
    story.refresh_from_db()
    assert (story.title, story.status) == ("The first draft", Article.Status.PUBLISHED)


def test_an_editor_saving_again_after_reopening_is_not_refused(story):
    client = editor_client("erin")

    first = save(
        client, change_url(story), story, open_form(client, change_url(story)), title="Take one"
    )
    second = save(
        client, change_url(story), story, open_form(client, change_url(story)), title="Take two"
    )

    assert (first.status_code, second.status_code) == (302, 302)
    story.refresh_from_db()
    assert (story.title, story.version) == ("Take two", 3)


def test_every_kind_of_save_raises_the_version(story):
    assert story.version == 1
    story.title = "Changed in code"
    story.save()
    assert story.version == 2
    # A restored old revision counts up from the stored version, not from its own old number.
    old = story.history.earliest().instance
    old.save()
    old.refresh_from_db()
    assert (old.title, old.version) == ("The first draft", 3)


def test_reverting_to_an_old_revision_is_checked_against_the_current_version(story):
    client = editor_client("fay")
    save(
        client,
        change_url(story),
        story,
        open_form(client, change_url(story)),
        title="Second headline",
    )
    first = story.history.earliest()
    revert_url = reverse("admin:articles_article_simple_history", args=[story.pk, first.pk])
    opened = open_form(client, revert_url)

    response = save(client, revert_url, story, opened, title="The first draft")

    assert opened == "2"  # the story's version now, not the old revision's 1
    assert response.status_code == 302
    story.refresh_from_db()
    assert (story.title, story.version) == ("The first draft", 3)

"""What writers and editors tripped on in the admin (issue 12): the publication time, bylines
that showed usernames, an image lost after a form error, lead stories piling up, and a
history that said "[13 chars]" instead of what changed."""

import json
import re
from datetime import timedelta
from html import unescape
from unittest import mock

import pytest
from django.core import signing
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Author
from newsdesk.forms import KEPT_UPLOAD_SALT

from .factories import article_admin_data, image_upload, make_article, make_category, make_user

pytestmark = pytest.mark.django_db

ADD = reverse("admin:articles_article_add")
CHANGELIST = reverse("admin:articles_article_changelist")


def change_url(story):
    return reverse("admin:articles_article_change", args=[story.pk])


def compare_url(story, old=None, new=None):
    url = reverse("admin:articles_article_compare", args=[story.pk])
    return url if old is None else f"{url}?old={old.pk}&new={new.pk}"


@pytest.fixture
def editor(client):
    user = make_user("eddie", groups=["Editors"], is_staff=True)
    client.force_login(user)
    return user


def drafted_days_ago(days=3, **fields):
    """A writer's draft created `days` ago: the clock is moved back, not slept through."""
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() - timedelta(days)):
        story = make_article(status=Article.Status.REVIEW, published_at=timezone.now(), **fields)
    return Article.objects.get(pk=story.pk)


def as_posted(story, **fields):
    """The change form's POST for `story`, as an editor's browser sends it."""
    return article_admin_data(story.category, title=story.title, slug=story.slug, **fields)


# Publication time: publishing now means now.


def test_publishing_a_reviewed_draft_from_the_form_stamps_the_moment_it_is_published(
    client, editor
):
    story = drafted_days_ago()

    form = client.get(change_url(story)).text
    response = client.post(
        change_url(story),
        as_posted(story, status="published", published_at_0="", published_at_1=""),
    )

    # The draft's creation time is not offered as its publication time.
    assert re.search(r'name="published_at_0"[^>]*>', form)[0].find('value="') == -1
    assert "Leave empty to publish now" in form
    assert response.status_code == 302
    story.refresh_from_db()
    assert abs(story.published_at - timezone.now()) < timedelta(minutes=1)
    assert story.is_public


def test_publishing_with_the_drafts_own_time_still_posted_means_now(client, editor):
    """A form opened before this fix (or a script) posts the stored time unchanged."""
    story = drafted_days_ago()
    stored = timezone.localtime(story.published_at)

    client.post(
        change_url(story),
        as_posted(
            story,
            status="published",
            published_at_0=stored.strftime("%d/%m/%Y"),
            published_at_1=stored.strftime("%H:%M:%S"),
        ),
    )

    story.refresh_from_db()
    assert abs(story.published_at - timezone.now()) < timedelta(minutes=1)


def test_the_form_and_the_bulk_action_agree_on_the_publication_time(client, editor):
    by_form, by_action = drafted_days_ago(), drafted_days_ago()

    client.post(change_url(by_form), as_posted(by_form, status="published"))
    client.post(CHANGELIST, {"action": "publish_now", "_selected_action": [by_action.pk]})

    by_form.refresh_from_db()
    by_action.refresh_from_db()
    assert abs(by_form.published_at - by_action.published_at) < timedelta(minutes=1)
    assert abs(by_action.published_at - timezone.now()) < timedelta(minutes=1)


@pytest.mark.parametrize("offset", [timedelta(hours=5), -timedelta(days=10)])
def test_a_time_the_editor_sets_wins_scheduled_or_backdated(client, editor, offset):
    story = drafted_days_ago()
    when = (timezone.localtime() + offset).replace(microsecond=0)

    client.post(
        change_url(story),
        as_posted(
            story,
            status="published",
            published_at_0=when.strftime("%d/%m/%Y"),
            published_at_1=when.strftime("%H:%M:%S"),
        ),
    )

    story.refresh_from_db()
    assert story.published_at == when


def test_publishing_in_code_means_now_too():
    story = drafted_days_ago()
    story.status = Article.Status.PUBLISHED
    story.save()
    assert abs(story.published_at - timezone.now()) < timedelta(minutes=1)


# Bylines: never a username.


def json_ld_authors(page):
    blocks = re.findall(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', page, re.DOTALL)
    for block in map(json.loads, blocks):
        for item in block.get("@graph", [block]):
            if item.get("@type") == "NewsArticle":
                return item["author"]
    raise AssertionError("no NewsArticle")


def test_a_writers_username_is_never_published_as_a_byline(client):
    writer = make_user("wendy_login", groups=["Writers"])  # no full name, no author profile
    story = make_article(title="Unsigned story", author=writer)

    page = client.get(story.get_absolute_url()).text
    rss = client.get(reverse("syndication:feed-rss")).text
    atom = client.get(reverse("syndication:feed-atom")).text

    for published in (page, rss, atom):
        assert "wendy_login" not in published
    assert "By Newsroom staff" in page
    assert json_ld_authors(page) == [
        {**json_ld_authors(page)[0], "@type": "Organization", "name": "Newsroom"}
    ]


def test_a_writer_with_an_author_profile_is_credited_by_that_name(client, editor):
    writer = make_user("wendy_login", groups=["Writers"], is_staff=True)
    Author.objects.create(user=writer, name="Wendy Ray", slug="wendy-ray")
    section = make_category()

    client.post(
        ADD,
        article_admin_data(section, title="Signed", slug="signed", status="published")
        | {"author": writer.pk},
    )

    story = Article.objects.get(slug="signed")
    page = client.get(story.get_absolute_url()).text
    assert story.byline_text == "Wendy Ray"
    assert "Wendy Ray" in page and "wendy_login" not in unescape(page).split("</header>")[-1]


# The chosen image survives a form error.


def test_the_chosen_image_is_kept_when_the_form_comes_back_with_an_error(
    client, editor, django_capture_on_commit_callbacks
):
    section = make_category()
    data = article_admin_data(section, title="", slug="with-photo", featured_image_alt="A dam")

    failed = client.post(ADD, data | {"featured_image": image_upload("photo.jpg")})
    token = failed.context["adminform"].form.data["kept_featured_image"]
    with django_capture_on_commit_callbacks(execute=True):
        corrected = client.post(ADD, data | {"title": "With a photo", "kept_featured_image": token})

    assert failed.status_code == 200
    assert "<strong>photo.jpg is kept</strong>" in failed.text
    assert f'name="kept_featured_image" value="{token}"' in failed.text
    assert corrected.status_code == 302
    story = Article.objects.get(slug="with-photo")
    assert story.featured_image.name.endswith(".jpg")
    assert (story.featured_image_width, story.featured_image_height) == (640, 360)
    kept = signing.loads(token, salt=KEPT_UPLOAD_SALT)
    assert not default_storage.exists(kept)  # the kept copy is gone once the story has its own


def test_a_forged_kept_image_attaches_no_stored_file(client, editor):
    """An attacker names another story's stored image in the hidden field: it is ignored."""
    other = make_article(featured_image=image_upload("secret.jpg"), featured_image_alt="x")
    section = make_category()
    data = article_admin_data(section, title="Forged", slug="forged")

    for token in (other.featured_image.name, signing.dumps(other.featured_image.name) + "x"):
        response = client.post(ADD, data | {"kept_featured_image": token})
        assert response.status_code == 302
        assert not Article.objects.get(slug="forged").featured_image
        Article.objects.filter(slug="forged").delete()


# One lead story at a time.


def test_marking_a_lead_story_unmarks_the_old_one_and_none_comes_back(client, editor):
    old_lead = make_article(title="Old lead", is_featured=True)
    new_lead = make_article(title="New lead")

    client.post(change_url(new_lead), as_posted(new_lead, status="published", is_featured="on"))
    assert list(Article.objects.filter(is_featured=True)) == [Article.objects.get(pk=new_lead.pk)]
    assert old_lead.history.latest().is_featured is False  # the old lead's history says so

    client.post(CHANGELIST, {"action": "unfeature", "_selected_action": [new_lead.pk]})
    assert not Article.objects.filter(is_featured=True).exists()


def test_the_lead_story_action_takes_one_story(client, editor):
    stories = [make_article(), make_article()]

    response = client.post(
        CHANGELIST,
        {"action": "feature", "_selected_action": [story.pk for story in stories]},
        follow=True,
    )

    assert "Choose one story to lead the front page." in response.text
    assert not Article.objects.filter(is_featured=True).exists()


def test_the_admin_says_which_story_leads(client, editor):
    lead = make_article(title="The lead", is_featured=True)
    other = make_article(title="Another")

    listing = client.get(CHANGELIST).text
    assert listing.count("★ Lead story") == 1
    assert "This is the lead story." in client.get(change_url(lead)).text
    assert "“The lead” is the lead story now" in client.get(change_url(other)).text


# Revisions: words, not character counts; any two versions compared.


def story_in_three_versions():
    story = make_article(title="Dam opens", body="<p>The dam opens on Monday in Almaty.</p>")
    for body in (
        "<p>The dam opens on Tuesday in Almaty.</p>",
        "<p>The new dam opens on Tuesday in Almaty, officials said.</p>",
    ):
        story = Article.objects.get(pk=story.pk)
        story.body = body
        story.save()
    return story, list(story.history.order_by("history_date", "history_id"))


def test_the_history_shows_the_changed_words(client, editor):
    story, _ = story_in_three_versions()

    page = client.get(reverse("admin:articles_article_history", args=[story.pk])).text

    assert "chars]" not in page
    assert "<del>Monday </del><ins>Tuesday </ins>" in page
    assert "<ins>new </ins>" in page


def test_an_editor_compares_any_two_versions_in_either_order(client, editor):
    story, (first, _, last) = story_in_three_versions()

    forwards = client.get(compare_url(story, first, last))
    backwards = client.get(compare_url(story, last, first))

    assert forwards.status_code == 200
    assert "<del>Monday </del><ins>Tuesday </ins>" in forwards.text
    assert "<ins>new </ins>" in forwards.text
    assert "<del>Almaty.\n</del><ins>Almaty, officials said.\n</ins>" in forwards.text
    assert forwards.context["changes"] == backwards.context["changes"]


def test_a_version_diff_is_escaped(client, editor):
    story = make_article(title="Plain title")
    story = Article.objects.get(pk=story.pk)
    story.title = "<img src=x onerror=alert(1)> title"
    story.save()

    page = client.get(compare_url(story)).text

    assert "<img src=x" not in page
    assert "<ins>&lt;img src=x " in page


def test_versions_of_another_story_or_nonsense_are_404(client, editor):
    story, (*_, last) = story_in_three_versions()
    _, (other_first, *_) = story_in_three_versions()

    assert client.get(compare_url(story, other_first, last)).status_code == 404
    assert client.get(compare_url(story) + "?old=abc&new=1").status_code == 404


def test_two_editors_marking_leads_at_once_is_no_server_error():
    """Another editor's new lead is committed between our unmarking and our save (simulated by
    unmarking nothing the first time): the save tries again, and the later lead wins."""
    theirs = make_article(title="Their lead")
    ours = make_article(title="Our lead")
    real_unmark = Article._unmark_other_lead
    calls = []

    def racing_unmark(story):
        calls.append(story.pk)
        if len(calls) == 1:
            Article.objects.filter(pk=theirs.pk).update(is_featured=True)
            return
        real_unmark(story)

    ours.is_featured = True
    with mock.patch.object(Article, "_unmark_other_lead", racing_unmark):
        ours.save()

    assert len(calls) == 2
    assert list(Article.objects.filter(is_featured=True)) == [ours]

"""The newsroom's workflow in the admin: roles, review, scheduling, preview, revisions,
corrections, slugs and bylines."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Author, Byline, Correction, Redirect

from .factories import article_admin_data, make_article, make_category, make_user

pytestmark = pytest.mark.django_db

ADD = reverse("admin:articles_article_add")
CHANGELIST = reverse("admin:articles_article_changelist")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


@pytest.fixture
def writer(client):
    user = make_user("wendy", groups=["Writers"], is_staff=True)
    client.force_login(user)
    return user


@pytest.fixture
def editor(client):
    user = make_user("eddie", groups=["Editors"], is_staff=True)
    client.force_login(user)
    return user


# Writers


def test_writer_drafts_a_story_and_submits_it_for_review(client, writer):
    section = make_category()

    response = client.post(
        ADD, article_admin_data(section, title="My scoop", slug="my-scoop", status="review")
    )

    assert response.status_code == 302
    story = Article.objects.get()
    assert (story.author, story.status, story.state_label) == (writer, "review", "In review")


def test_writer_cannot_publish(client, writer):
    section = make_category()

    form = client.get(ADD)
    response = client.post(ADD, article_admin_data(section, status="published"))

    assert 'value="published"' not in form.text
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not Article.objects.exists()


def test_writer_cannot_schedule_feature_or_credit_someone_else(client, writer):
    section = make_category()
    other = make_user()
    future = timezone.localtime() + timedelta(days=3)

    client.post(
        ADD,
        article_admin_data(
            section,
            author=other.pk,
            is_featured="on",
            published_at_0=future.strftime("%d/%m/%Y"),
        ),
    )

    story = Article.objects.get()
    assert story.author == writer
    assert not story.is_featured
    assert story.published_at.date() != future.date()


def test_writer_sees_and_edits_only_their_own_stories(client, writer):
    mine = make_article(title="Mine", author=writer, status="draft")
    theirs = make_article(title="Theirs", author=make_user(), status="draft")

    listing = client.get(CHANGELIST)
    other = client.get(change_url(theirs))
    response = client.post(change_url(theirs), article_admin_data(theirs.category, title="X"))

    assert [a.title for a in listing.context["cl"].result_list] == ["Mine"]
    assert other.status_code == 302  # "does not exist", back to the admin index
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert theirs.title == "Theirs"
    assert client.get(change_url(mine)).status_code == 200


def test_writer_cannot_change_their_story_once_published(client, writer):
    story = make_article(title="Out now", author=writer)

    page = client.get(change_url(story))
    response = client.post(change_url(story), article_admin_data(story.category, title="Edited"))

    assert page.status_code == 200
    assert 'name="title"' not in page.text  # read-only view
    assert response.status_code == 403
    story.refresh_from_db()
    assert story.title == "Out now"


def test_writers_have_no_publishing_actions(client, writer):
    story = make_article(author=writer, status="review")

    response = client.post(CHANGELIST, {"action": "publish_now", "_selected_action": [story.pk]})

    story.refresh_from_db()
    assert story.status == "review"
    assert "publish_now" not in client.get(CHANGELIST).text
    assert response.status_code == 200


# Editors


def test_editor_schedules_a_story_and_it_appears_by_itself(client, editor, monkeypatch):
    section = make_category()
    when = timezone.localtime() + timedelta(hours=2)

    client.post(
        ADD,
        article_admin_data(
            section,
            title="Embargoed budget",
            slug="embargoed-budget",
            status="published",
            published_at_0=when.strftime("%d/%m/%Y"),
            published_at_1=when.strftime("%H:%M:%S"),
        ),
    )
    story = Article.objects.get()
    listing = client.get(CHANGELIST).text
    client.logout()

    assert f"Scheduled for {when:%-d %b %Y, %H:%M}" in listing
    assert "Embargoed budget" not in client.get("/").text
    assert client.get(story.get_absolute_url()).status_code == 404

    later = timezone.now() + timedelta(hours=3)
    monkeypatch.setattr(timezone, "now", lambda: later)

    assert "Embargoed budget" in client.get("/").text
    assert "Embargoed budget" in client.get(section.get_absolute_url()).text
    assert client.get(story.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    ("action", "start", "expected"),
    [
        ("publish_now", {"status": "review"}, {"status": "published", "is_public": True}),
        ("unpublish", {}, {"status": "draft", "is_public": False}),
        ("unfeature", {"is_featured": True}, {"is_featured": False}),
    ],
)
def test_editor_bulk_actions(client, editor, action, start, expected):
    stories = [make_article(**start), make_article(**start)]

    response = client.post(
        CHANGELIST, {"action": action, "_selected_action": [s.pk for s in stories]}, follow=True
    )

    assert "2 stories" in response.text
    for story in stories:
        story.refresh_from_db()
        for field, value in expected.items():
            assert getattr(story, field) == value


def test_publish_now_brings_a_scheduled_story_forward(client, editor):
    story = make_article(published_at=timezone.now() + timedelta(days=2))

    client.post(CHANGELIST, {"action": "publish_now", "_selected_action": [story.pk]})

    story.refresh_from_db()
    assert story.is_public


# Preview


def test_preview_shows_a_draft_to_staff_with_a_banner_and_never_caches(client, editor):
    story = make_article(title="Not yet", status="draft")

    response = client.get(reverse("articles:preview", args=[story.pk]))

    assert response.status_code == 200
    assert "Draft — not public." in response.text
    assert "no-cache" in response["Cache-Control"]
    assert reverse("articles:preview", args=[story.pk]) in client.get(change_url(story)).text


def test_preview_is_404_for_readers(client):
    story = make_article(status="draft")
    assert client.get(reverse("articles:preview", args=[story.pk])).status_code == 404


# Revisions


def test_every_save_keeps_a_revision_that_can_be_compared_and_restored(client, editor):
    story = make_article(title="First headline", body="<p>First text.</p>")
    data = article_admin_data(
        story.category, title="Second headline", slug=story.slug, status="published"
    )
    client.post(change_url(story), data)
    story.refresh_from_db()
    assert story.history.count() == 2

    history = client.get(reverse("admin:articles_article_history", args=[story.pk]))
    assert history.status_code == 200
    assert "First headline" in history.text and "Second headline" in history.text

    first = story.history.earliest()
    revert_url = reverse("admin:articles_article_simple_history", args=[story.pk, first.pk])
    assert client.get(revert_url).status_code == 200
    restored = client.post(
        revert_url,
        article_admin_data(
            story.category, title="First headline", slug=story.slug, status="published"
        ),
    )
    assert restored.status_code == 302
    story.refresh_from_db()
    assert story.title == "First headline"
    assert story.history.count() == 3


@pytest.mark.parametrize("path", ["1/change/history/", "abc/history/", "1/history/xyz/"])
def test_malformed_history_addresses_are_404(client, editor, path):
    make_article()
    assert client.get(f"/admin/articles/article/{path}").status_code == 404


# Corrections and updates


def test_readers_see_corrections_newest_first_and_the_updated_date(client):
    story = make_article()
    now = timezone.now()
    Correction.objects.create(
        article=story, text="An earlier version misspelt Astana.", created_at=now - timedelta(1)
    )
    Correction.objects.create(
        article=story, kind="update", text="The treaty was ratified today.", created_at=now
    )

    page = client.get(story.get_absolute_url()).text

    assert "Corrections and updates" in page
    assert page.index("ratified today") < page.index("misspelt Astana")
    assert f'Updated <time datetime="{now.isoformat(timespec="seconds")}"' in page


def test_editor_appends_a_correction_in_the_admin(client, editor):
    story = make_article()
    data = article_admin_data(
        story.category, title=story.title, slug=story.slug, status="published"
    )
    data |= {
        "corrections-TOTAL_FORMS": "1",
        "corrections-0-kind": "correction",
        "corrections-0-text": "The tungsten deal is worth $1.1bn, not $11bn.",
        "corrections-0-created_at_0": timezone.localtime().strftime("%d/%m/%Y"),
        "corrections-0-created_at_1": timezone.localtime().strftime("%H:%M:%S"),
    }

    assert client.post(change_url(story), data).status_code == 302
    client.logout()
    story.refresh_from_db()
    assert "not $11bn" in client.get(story.get_absolute_url()).text


def test_editing_the_text_after_publication_shows_updated(client):
    story = make_article(body="<p>Old.</p>")
    assert "Updated" not in client.get(story.get_absolute_url()).text

    story.body = "<p>New.</p>"
    story.save()

    assert story.revised_at is not None
    assert "Updated" in client.get(story.get_absolute_url()).text


def test_editing_a_draft_is_not_an_update():
    story = make_article(status="draft")
    story.body = "<p>Rewritten.</p>"
    story.save()
    assert story.revised_at is None


# Slugs


def test_renaming_a_published_story_redirects_the_old_address(client):
    story = make_article(slug="old-name")
    old_url = story.get_absolute_url()

    story = Article.objects.get(pk=story.pk)
    story.slug = "new-name"
    story.save()

    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == story.get_absolute_url()
    assert Redirect.objects.get().old_path == old_url


def test_renaming_a_draft_leaves_no_redirect():
    story = make_article(slug="draft-name", status="draft")
    story = Article.objects.get(pk=story.pk)
    story.slug = "better-name"
    story.save()
    assert not Redirect.objects.exists()


def test_old_address_of_an_unpublished_story_is_404(client):
    story = make_article(slug="was-out")
    story = Article.objects.get(pk=story.pk)
    story.slug = "renamed"
    story.save()
    url = story.get_absolute_url().replace("renamed", "was-out")
    story.status = "draft"
    story.save()
    assert client.get(url).status_code == 404


def test_slug_is_frozen_for_writers_after_publication_but_editors_may_change_it(client):
    writer = make_user(groups=["Writers"], is_staff=True)
    story = make_article(author=writer)
    client.force_login(writer)
    assert 'name="slug"' not in client.get(change_url(story)).text

    client.force_login(make_user(groups=["Editors"], is_staff=True))
    page = client.get(change_url(story)).text
    assert 'name="slug"' in page
    assert "changing its address makes the old one redirect here" in page


# Authors and bylines


def test_bylines_credit_several_authors_with_links_to_their_pages(client):
    story = make_article()
    asel = Author.objects.create(name="Asel Nurlanova", slug="asel-nurlanova", bio="Astana.")
    tom = Author.objects.create(name="Tom Reed", slug="tom-reed")
    Byline.objects.create(article=story, author=tom, position=2)
    Byline.objects.create(article=story, author=asel, position=1)
    make_article(title="Her draft", status="draft").bylines.create(author=asel)

    page = client.get(story.get_absolute_url()).text
    author_page = client.get(asel.get_absolute_url())

    assert (
        'By <a href="/author/asel-nurlanova/" rel="author">Asel Nurlanova</a> and '
        '<a href="/author/tom-reed/" rel="author">Tom Reed</a>'
    ) in page
    assert author_page.status_code == 200
    assert "<h1>Asel Nurlanova</h1>" in author_page.text and "Astana." in author_page.text
    assert [shown.pk for shown in author_page.context["articles"]] == [story.pk]


def test_unknown_author_is_404(client):
    assert client.get("/author/nobody/").status_code == 404


def test_a_writer_with_a_profile_is_credited_by_default(client, writer):
    profile = Author.objects.create(user=writer, name="Wendy Wu", slug="wendy-wu")

    client.post(ADD, article_admin_data(make_category()))

    assert Article.objects.get().credited_authors == [profile]


def test_editor_adds_bylines_in_the_admin(client, editor):
    asel = Author.objects.create(name="Asel Nurlanova", slug="asel-nurlanova")
    data = article_admin_data(make_category(), status="published")
    data |= {"bylines-TOTAL_FORMS": "1", "bylines-0-author": asel.pk, "bylines-0-position": "1"}

    assert client.post(ADD, data).status_code == 302
    assert Article.objects.get().credited_authors == [asel]


# Roles from the command line


def test_assign_role_adds_a_user_to_a_group_and_lets_them_sign_in():
    user = make_user("newhire")
    out = StringIO()

    call_command("assign_role", "newhire", "writer", stdout=out)

    user.refresh_from_db()
    assert user.is_staff
    assert list(user.groups.values_list("name", flat=True)) == ["Writers"]
    assert "newhire is now in Writers" in out.getvalue()

    call_command("assign_role", "newhire", "writer", "--remove", stdout=out)
    assert not user.groups.exists()


def test_assign_role_explains_an_unknown_user():
    with pytest.raises(CommandError, match="No user “ghost”"):
        call_command("assign_role", "ghost", "editor")


def test_writers_group_exists_with_limited_rights():
    rights = set(Group.objects.get(name="Writers").permissions.values_list("codename", flat=True))
    assert {"add_article", "change_article", "view_article"} <= rights
    assert "publish_article" not in rights and "delete_article" not in rights

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from articles.models import About, Article, Category
from comments import console
from comments.commenters import Note, Sanction
from comments.models import Comment, WordList
from comments.reports import Report
from demo import content

pytestmark = pytest.mark.django_db


def test_demo_fills_a_real_looking_site_and_is_safe_to_rerun(client, settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    counts = (Category.objects.count(), Article.objects.count(), Comment.objects.count())
    call_command("load_demo", stdout=StringIO())

    assert (Category.objects.count(), Article.objects.count(), Comment.objects.count()) == counts
    assert Category.objects.count() >= 6
    published = Article.objects.published()
    assert published.count() >= 30
    years = {d.year for d in published.dates("published_at", "year")}
    assert len(years) >= 2
    assert Article.objects.exclude(pk__in=published).exists()  # a draft or scheduled story
    assert all(article.featured_image for article in published)
    assert published.filter(tags__isnull=False).distinct().count() == published.count()
    assert Comment.objects.approved().exists() and Comment.objects.pending().exists()

    story = Article.objects.get(slug="kazakhstan-joins-abraham-accords")
    page = client.get(story.get_absolute_url()).text
    for text in (
        "Mostly symbolic move",
        "Political background",
        "Economic profile",
        "Agreements signed",
        "$288 billion",
        "50th",
        "89th",
        "60th",
        "tungsten",
        "Starlink",
        "Veon",
        "<blockquote>",
        "Corrections and updates",
        'rel="author"',
    ):
        assert text in page, text
    assert story.featured_image.storage.exists(story.featured_image.name)
    assert (story.featured_image_width, story.featured_image_height) == (1200, 675)
    assert "<picture>" in page and "-960.webp 960w" in page


def test_demo_never_overwrites_an_owners_about_text():
    about = About.load()
    about.summary = "Our own words."
    about.save()

    call_command("load_demo", "--no-images", stdout=StringIO())

    assert About.load().summary == "Our own words."


def test_demo_replaces_the_placeholder_about_text():
    call_command("load_demo", "--no-images", stdout=StringIO())
    assert "Lorem ipsum" not in About.load().summary


def test_demo_staff_accounts_exist_only_in_development(settings):
    User = get_user_model()
    settings.DEBUG = False
    call_command("load_demo", "--no-images", stdout=StringIO())
    assert not User.objects.filter(username__in=["editor", "moderator"]).exists()

    settings.DEBUG = True
    call_command("load_demo", "--no-images", stdout=StringIO())
    moderator = User.objects.get(username="moderator")
    assert moderator.is_staff and moderator.groups.filter(name="Moderators").exists()
    assert moderator.check_password("demo-moderator-pass")


def load_demo(*args):
    out = StringIO()
    call_command("load_demo", "--no-images", *args, stdout=out)
    return out.getvalue()


def test_a_demo_story_renamed_by_an_editor_is_not_added_again(client):
    load_demo()
    story = Article.objects.get(slug="tungsten-prices-decade-high")
    old_address = story.get_absolute_url()
    story.slug = "tungsten-at-ten-year-high"  # as an editor would, in the admin
    story.save()

    load_demo()

    assert Article.objects.filter(title=story.title).count() == 1
    response = client.get(old_address)
    assert response.status_code == 301
    assert response["Location"] == story.get_absolute_url()


def test_a_renamed_demo_draft_is_not_added_again():
    load_demo()
    draft = Article.objects.get(slug="quiet-race-national-ai-model")
    draft.slug = "national-ai-model-race"  # a draft keeps no redirect, only its revisions
    draft.save()

    load_demo()

    assert Article.objects.filter(title=draft.title).count() == 1


def test_every_start_names_the_demo_accounts_and_asks_for_a_superuser_only_if_none(settings):
    settings.DEBUG = True
    first = load_demo()
    get_user_model().objects.create_superuser("owner", "owner@localhost", "owner-pass")
    again = load_demo()

    for output in (first, again):
        for username, password in [
            ("writer", "demo-writer-pass"),
            ("editor", "demo-editor-pass"),
            ("moderator", "demo-moderator-pass"),
        ]:
            assert f"{username}" in output and password in output
    assert "manage.py createsuperuser" in first
    assert "createsuperuser" not in again
    assert "create an account first" not in first + again


def test_the_start_message_never_shows_a_password_that_no_longer_works(settings):
    settings.DEBUG = True
    load_demo()
    editor = get_user_model().objects.get(username="editor")
    editor.set_password("my-own-secret")
    editor.save()

    output = load_demo()

    assert "demo-editor-pass" not in output
    assert re.search(r"editor +\(password changed\)", output)


def test_the_demo_moderator_is_emailed_about_a_pending_comment(settings, mailoutbox):
    settings.DEBUG = True
    load_demo()
    staff = get_user_model().objects.filter(username__in=["writer", "editor", "moderator"])
    assert sorted(staff.values_list("email", flat=True)) == [
        "editor@localhost",
        "moderator@localhost",
        "writer@localhost",
    ]

    Comment.objects.pending().first().notify_moderators()

    assert [message.to for message in mailoutbox] == [["moderator@localhost"]]


def test_demo_accounts_made_without_an_address_get_one(settings):
    settings.DEBUG = True
    load_demo()
    get_user_model().objects.filter(username="moderator").update(email="")

    load_demo()

    assert get_user_model().objects.get(username="moderator").email == "moderator@localhost"


def links(html):
    return re.findall(r'href="([^"]*)"', html)


def test_demo_links_lead_to_the_sites_own_pages(client):
    load_demo()
    about = About.load().body
    lead = Article.objects.get(slug="kazakhstan-joins-abraham-accords")
    addresses = links(about) + [
        href for story in Article.objects.all() for href in links(story.body)
    ]

    assert addresses and not [href for href in addresses if "example.com" in href]
    assert "mailto:newsroom@localhost" in links(about)
    for href in links(lead.body) + links(about):
        if href.startswith("/"):
            assert client.get(href).status_code == 200, href
    tungsten_link = re.search(r'href="([^"]*)"[^>]*>Tungsten prices</a>', lead.body)[1]
    tungsten = client.get(tungsten_link).text
    assert "Tungsten prices hit decade high as supply fears grow" in tungsten


def test_the_about_text_puts_corrections_where_readers_find_them():
    load_demo()
    about = About.load().body
    assert "above the text of the story" in about
    assert "foot of the article" not in about


def test_demo_images_are_described_as_the_abstract_pictures_they_are():
    # load_demo draws every featured image (soft circles over a gradient): no photographs.
    stories = content.stories()
    for story in stories:
        assert story["image"]["alt"].startswith("Abstract illustration"), story["slug"]
        assert story["image"]["credit"] == "Illustration: The Meridian", story["slug"]
    lead = stories[0]["image"]["alt"]
    assert "flag" not in lead.lower() and "deep red" in lead


def test_the_demo_gives_every_moderation_queue_something_to_try(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())  # Nothing twice.

    assert sorted(WordList.objects.values_list("kind", flat=True)) == ["reject", "spam", "suspect"]
    # A held comment shows the exact words the lists found in it.
    held = Comment.objects.pending().get(email="viktor.p@example.com")
    assert [(m["text"], m["list"]) for m in held.matched_words] == [("rigged", "Watch for")]
    spam = Comment.objects.get(status=Comment.Status.SPAM, email="promo@example.com")
    assert {m["text"].lower() for m in spam.matched_words} >= {"cheap flights", "visit our site"}
    assert console.queue_counts()["reported"] == 1
    assert Report.objects.filter(comment__email="marat@example.com").count() == 2
    # The suspended commenter: suspended by the demo moderator, for a while, with a note.
    sanction = Sanction.objects.in_force_for("troll@example.com")
    assert sanction.kind == Sanction.Kind.SUSPENSION and sanction.until > timezone.now()
    assert sanction.created_by.username == "moderator"
    assert Sanction.objects.count() == 1 and Note.objects.count() == 1


def test_the_demo_has_a_running_live_story_as_its_lead(client):
    load_demo()
    story = Article.objects.get(slug="storm-closes-caspian-ports-live")
    assert story.is_live and story.is_featured
    entries = story.live_entries.all()
    assert entries.filter(is_key_event=True).count() >= 2
    assert entries.filter(is_pinned=True).count() == 1
    assert entries.exclude(updated_at=None).count() == 1
    front = client.get("/").text
    assert 'class="live-badge"' in front and "Key events" in front and "Wind easing" in front
    page = client.get(story.get_absolute_url()).text
    assert page.count('<li class="live-entry') == entries.count()
    assert "Updated <time" in page and "Pinned" in page
    assert client.get(f"/live/{story.pk}/version").json()["running"] is True

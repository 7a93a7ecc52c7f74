from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from articles.models import About, Article, Category
from comments.models import Comment

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

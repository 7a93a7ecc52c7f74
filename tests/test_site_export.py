"""export_site / import_site: the whole site out as JSON Lines and back, nothing lost."""

import io
import json
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from articles.models import (
    About,
    Article,
    Author,
    Byline,
    Category,
    Correction,
    Redirect,
)
from comments.models import Comment, WordList
from live.models import LiveChange, LiveEntry
from newsletters.models import Delivery, Issue, IssueStory, Newsletter, Subscriber, Subscription

from .factories import image_upload, make_article, make_category, make_comment, make_user

pytestmark = pytest.mark.django_db

NOON = "2026-01-01T12:00:00+00:00"


def export():
    out = io.StringIO()
    call_command("export_site", stdout=out)
    return out.getvalue()


def import_lines(text, tmp_path):
    path = tmp_path / "site.jsonl"
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    call_command("import_site", str(path), stdout=out)
    return out.getvalue()


def build_site():
    """Content of every kind the export must carry, with awkward values."""
    about = About.load()
    about.site_name, about.tagline = "Steppe Courier", "Новости — plainly told"
    about.summary, about.body = "Who we are.", "<p>Since <strong>2001</strong>.</p>"
    about.save()

    writer = make_user("asel", first_name="Asel", last_name="Nurlanova", email="asel@example.com")
    writer.groups.add(Group.objects.get(name="Writers"))
    moderator = make_user("mod", email="mod@example.com", is_staff=True)
    make_user("bystander")  # Linked to nothing: not part of the export.
    asel = Author.objects.create(user=writer, name="Asel Nurlanova", slug="asel", bio="Almaty.")
    guest = Author.objects.create(name="Guest Writer", slug="guest")

    world = make_category(name="World", slug="world", description="Abroad.")
    make_category(name="Empty", slug="empty")
    Tag.objects.create(name="Unused", slug="unused")

    story = make_article(
        title="Kazakhstan joins the accords",
        slug="kazakhstan-joins",
        category=world,
        author=writer,
        tags=["Kazakhstan", "Trade"],
        body="<p>Body with <em>emphasis</em> and ü.</p>",
        featured_image=image_upload(),
        featured_image_alt="A signing",
        featured_image_caption="The signing",
        featured_image_credit="Photo: Agency",
        is_featured=True,
        wordpress_id=1234,
    )
    Byline.objects.create(article=story, author=guest, position=0)
    Byline.objects.create(article=story, author=asel, position=1)
    story.slug = "kazakhstan-joins-the-accords"  # Public: the old slug becomes a redirect.
    story.save()
    Correction.objects.create(article=story, kind=Correction.Kind.UPDATE, text="Added a quote.")
    Redirect.objects.create(old_path="/archives/1234", article=story)

    make_article(
        title="Scheduled",
        category=world,
        published_at=timezone.now() + timedelta(days=2),
        comment_mode="closed",
    )
    make_article(title="A draft", category=world, status=Article.Status.DRAFT, byline="Staff")

    first = make_comment(story, name="Nino", ip_address="203.0.113.7", user_agent="Firefox")
    Comment.objects.filter(pk=first.pk).moderate(Comment.Status.APPROVED, moderator)
    make_comment(story, parent=first, status=Comment.Status.PENDING, wordpress_id=77)
    make_comment(story, status=Comment.Status.SPAM, spam_reason="honeypot filled in")
    WordList.objects.create(name="Insults", kind=WordList.Kind.REJECT, rules="idiot\nmoron*")
    live = make_article(title="Live: floods", category=world, live_since=timezone.now())
    editor = make_user("eddie", groups=["Editors"], is_staff=True)
    entry = LiveEntry.objects.create(
        article=live, author=editor, headline="Bridge closed", body="<p>Closed.</p>", is_pinned=True
    )
    LiveChange.record(live.pk, entry.pk)

    briefing = Newsletter.objects.create(
        name="World weekly", slug="world", kind="section", category=world
    )
    reader = Subscriber.objects.create(email="reader@example.com", confirmed_at=timezone.now())
    Subscriber.objects.create(email="waiting@example.com")
    Subscription.objects.create(subscriber=reader, newsletter=briefing)
    issue = Issue.objects.create(
        newsletter=briefing, scheduled_for=timezone.now(), status=Issue.Status.SENT, intro="Hello."
    )
    IssueStory.objects.create(issue=issue, article=story, position=0)
    Delivery.objects.create(issue=issue, subscriber=reader, status=Delivery.Status.SENT)
    return story


def empty_the_site():
    Newsletter.objects.all().delete()  # With their issues, stories and deliveries.
    Subscriber.objects.all().delete()
    WordList.objects.all().delete()
    Comment.objects.all().delete()
    Article.objects.all().delete()  # With bylines, corrections and redirects.
    TaggedItem.objects.all().delete()
    Tag.objects.all().delete()
    Author.objects.all().delete()
    Category.objects.all().delete()
    About.objects.all().delete()
    LiveChange.objects.all().delete()
    get_user_model().objects.filter(username__in=["asel", "mod", "eddie"]).delete()


def test_export_then_import_into_an_empty_database_loses_nothing(tmp_path):
    story = build_site()
    first_export = export()

    empty_the_site()
    out = import_lines(first_export, tmp_path)
    assert f"Imported {len(first_export.splitlines())} lines" in out

    assert export() == first_export
    # Spot checks through the ORM.
    story = Article.objects.get(pk=story.pk)
    assert story.slug == "kazakhstan-joins-the-accords"
    assert story.body == "<p>Body with <em>emphasis</em> and ü.</p>"
    assert story.featured_image.name.startswith("articles/")
    assert story.featured_image_width == 640
    assert story.wordpress_id == 1234 and story.is_featured
    assert [author.slug for author in story.credited_authors] == ["guest", "asel"]
    assert set(story.tags.names()) == {"Kazakhstan", "Trade"}
    assert story.author.username == "asel"
    assert story.corrections.get().text == "Added a quote."
    assert Redirect.objects.get(old_path__endswith="/kazakhstan-joins/").article == story
    assert Redirect.objects.get(old_path="/archives/1234").article == story
    assert Article.objects.get(title="Scheduled").is_scheduled
    assert Article.objects.get(title="A draft").byline == "Staff"
    assert Tag.objects.filter(name="Unused").exists()
    assert Category.objects.get(slug="world").description == "Abroad."
    assert Article.objects.get(title="Scheduled").comment_mode == "closed"
    assert WordList.objects.get().rules == "idiot\nmoron*"  # The moderators' lists move too.
    # A live story keeps its entries (their poster too) and the version open pages followed.
    live = Article.objects.get(title="Live: floods")
    entry = live.live_entries.get()
    assert live.is_live and (entry.headline, entry.is_pinned) == ("Bridge closed", True)
    assert entry.author.username == "eddie"
    assert LiveChange.objects.get().entry_id == entry.pk
    # The newsletters keep their readers, their links' tokens and what was sent to whom.
    reader = Subscriber.objects.get(email="reader@example.com")
    assert reader.confirmed_at and reader.newsletters.get().slug == "world"
    assert Subscriber.objects.get(email="waiting@example.com").confirmed_at is None
    issue = Issue.objects.get()
    assert (issue.status, issue.intro, issue.stories.get()) == ("sent", "Hello.", story)
    assert issue.deliveries.get(subscriber=reader).status == "sent"

    approved, reply, spam = Comment.objects.order_by("pk")
    assert (approved.status, approved.moderated_by.username) == ("approved", "mod")
    assert (approved.ip_address, approved.user_agent) == ("203.0.113.7", "Firefox")
    assert (reply.parent, reply.status, reply.wordpress_id) == (approved, "pending", 77)
    assert (spam.status, spam.spam_reason) == ("spam", "honeypot filled in")

    asel = get_user_model().objects.get(username="asel")
    assert (asel.first_name, asel.email) == ("Asel", "asel@example.com")
    assert not asel.has_usable_password()  # Passwords never travel.
    assert list(asel.groups.values_list("name", flat=True)) == ["Writers"]
    assert asel.author_profile.bio == "Almaty."
    about = About.load()
    assert (about.site_name, about.tagline) == ("Steppe Courier", "Новости — plainly told")


def test_the_export_leaves_out_revisions_passwords_and_the_search_index():
    build_site()
    lines = [json.loads(line) for line in export().splitlines()]
    assert lines[0] == {"format": "newsroom-site", "version": 5}
    models = {line.get("model") for line in lines[1:]}
    assert not any("historical" in model for model in models)
    users = [line["fields"] for line in lines if line.get("model") == "auth.user"]
    assert [user["username"] for user in users] == ["asel", "eddie", "mod"]
    assert all("password" not in user for user in users)
    articles = [line["fields"] for line in lines if line.get("model") == "articles.article"]
    assert articles and all("search_vector" not in fields for fields in articles)


def test_import_refuses_a_database_with_content(tmp_path):
    build_site()
    with pytest.raises(CommandError, match=r"already holds .*4 articles.*freshly migrated"):
        import_lines(export(), tmp_path)


def test_a_malformed_line_imports_nothing(tmp_path):
    build_site()
    lines = export().splitlines()
    empty_the_site()
    lines[6] = lines[6][:-5]  # Cut off, as by a broken copy.
    with pytest.raises(CommandError, match="line 7 is not JSON.*Nothing was imported"):
        import_lines("\n".join(lines) + "\n", tmp_path)
    assert not Category.objects.exists()
    assert not Author.objects.exists()
    assert not get_user_model().objects.filter(username="asel").exists()


@pytest.mark.parametrize(
    "line, message",
    [
        ('{"model": "auth.permission", "pk": 1, "fields": {}}', "not part of a site export"),
        ('{"model": "articles.category", "pk": 1, "fields": {"nam": "x"}}', "line 2: "),
        ('["a list"]', "line 2 is not a JSON object"),
        (
            json.dumps(
                {
                    "model": "articles.article",
                    "pk": 5,
                    "fields": {
                        "title": "Orphan",
                        "slug": "orphan",
                        "category": 999,
                        **dict.fromkeys(["published_at", "created_at", "updated_at"], NOON),
                    },
                }
            ),
            "refers to rows it does not hold",
        ),
    ],
)
def test_lines_that_are_not_an_export_are_refused(tmp_path, line, message):
    header = json.dumps({"format": "newsroom-site", "version": 2})
    with pytest.raises(CommandError, match=message):
        import_lines(f"{header}\n{line}\n", tmp_path)
    assert not Article.objects.exists()


def test_a_file_that_is_not_an_export_is_refused(tmp_path):
    with pytest.raises(CommandError, match="line 1 does not start a newsroom site export"):
        import_lines('{"hello": "world"}\n', tmp_path)
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_site", str(tmp_path / "missing.jsonl"))


def test_export_to_a_file(tmp_path):
    build_site()
    path = tmp_path / "out.jsonl"
    err = io.StringIO()
    call_command("export_site", "--output", str(path), stderr=err)
    assert path.read_text(encoding="utf-8") == export()
    assert f"Exported {len(export().splitlines())} lines" in err.getvalue()


def test_rows_added_after_an_import_get_keys_after_the_imported_ones(tmp_path):
    header = json.dumps({"format": "newsroom-site", "version": 2})
    row = {"model": "articles.category", "pk": 5000, "fields": {"name": "Far", "slug": "far"}}
    import_lines(f"{header}\n{json.dumps(row)}\n", tmp_path)
    # On PostgreSQL the id sequence must have been moved past the kept keys.
    assert make_category().pk > 5000


@pytest.mark.parametrize(("allowed", "mode"), [(True, "default"), (False, "closed")])
def test_an_older_export_gives_its_comment_switch_as_a_comment_mode(tmp_path, allowed, mode):
    """Versions 1 and 2 carried "allow_comments": read as the migration reads it."""
    header = json.dumps({"format": "newsroom-site", "version": 2})
    section = {"model": "articles.category", "pk": 1, "fields": {"name": "W", "slug": "w"}}
    story = {
        "model": "articles.article",
        "pk": 9,
        "fields": {
            "title": "Old",
            "slug": "old",
            "category": 1,
            "status": "published",
            "published_at": NOON,
            "created_at": NOON,
            "updated_at": NOON,
            "allow_comments": allowed,
        },
    }
    import_lines(f"{header}\n{json.dumps(section)}\n{json.dumps(story)}\n", tmp_path)

    assert Article.objects.get(pk=9).comment_mode == mode

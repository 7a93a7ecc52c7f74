"""Moving the site's content between databases with dumpdata/loaddata (docs/operations.md)
loses nothing: every object of every model comes back field for field."""

import json
from datetime import datetime, time, timedelta

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from articles.models import (
    About,
    Article,
    Author,
    Byline,
    Correction,
    Redirect,
)
from comments.models import Comment
from mostread.models import ArticleView

from .factories import (
    image_upload,
    make_article,
    make_category,
    make_comment,
    make_roles,
    make_user,
)

pytestmark = pytest.mark.django_db

# Exactly the commands docs/operations.md gives for moving between databases. Tagged items
# are dumped apart, with their primary keys: django-taggit's natural key for them is the
# tagged object's id alone, so with --natural-primary a story's second tag overwrote its first.
DUMP_CONTENT = [
    "--natural-foreign",
    "--natural-primary",
    "-e",
    "contenttypes",
    "-e",
    "auth.Permission",
    "-e",
    "admin.logentry",
    "-e",
    "sessions",
    "-e",
    "taggit.taggeditem",
    "--indent",
    "2",
]
DUMP_TAGGED_ITEMS = ["taggit.taggeditem", "--natural-foreign", "--indent", "2"]
EXCLUDED = {"contenttypes", "auth.permission", "admin.logentry", "sessions"}


def build_content():
    """A bit of everything the site stores."""
    editor = make_user("editor", groups=["Editors"], email="editor@example.com")
    moderator = make_user("moderator", groups=["Moderators"])
    make_user("writer", groups=["Writers"], first_name="Wanda")
    world, _ = make_category(name="World", slug="world"), make_category(name="Culture")
    asel = Author.objects.create(name="Asel Nurlanova", slug="asel-nurlanova", bio="Reporter.")
    tom = Author.objects.create(
        name="Tom Reed",
        slug="tom-reed",
        user=editor,
        photo=SimpleUploadedFile("tom.png", b"\x89PNG stored as is", content_type="image/png"),
    )
    story = make_article(
        title="Steppe railway opens — «тест» 🚆",
        slug="steppe-railway-opens",
        category=world,
        author=editor,
        tags=["Kazakhstan", "Rail"],
        featured_image=image_upload("train.jpg"),
        featured_image_alt="A train on the steppe",
        featured_image_caption="The first train",
        featured_image_credit="Photo: Asel Nurlanova",
        is_featured=True,
        body="<h2>Opening</h2><p>The line <a href='https://example.com'>opened</a>.</p>",
    )
    Byline.objects.create(article=story, author=asel, position=0)
    Byline.objects.create(article=story, author=tom, position=1)
    Correction.objects.create(article=story, text="The line is 300 km, not 30.")
    Correction.objects.create(article=story, kind=Correction.Kind.UPDATE, text="Second train.")
    # A published story renamed: its old address is kept as a redirect, and history grows.
    story.slug = "steppe-railway-opens-to-passengers"
    story.title = "Steppe railway opens to passengers"
    story.save()
    assert Redirect.objects.filter(old_path__endswith="/steppe-railway-opens/").exists()
    Redirect.objects.create(old_path="/?p=123", article=story)
    draft = make_article(
        status=Article.Status.DRAFT, category=world, tags=["Rail"], comment_mode="closed"
    )
    make_article(published_at=timezone.now() + timedelta(days=2), byline="By our correspondent")
    ArticleView.objects.create(
        article=story, hour=timezone.now().replace(minute=0, second=0, microsecond=0), count=42
    )
    thread = make_comment(
        story,
        status=Comment.Status.APPROVED,
        name="Daniyar",
        body="Good news.\nשלום",
        ip_address="203.0.113.5",
        user_agent="Firefox",
        moderated_by=moderator,
        moderated_at=timezone.now(),
    )
    make_comment(story, parent=thread, status=Comment.Status.APPROVED)
    make_comment(story, parent=thread, status=Comment.Status.PENDING)
    make_comment(story, status=Comment.Status.SPAM, spam_reason="Too many links.")
    make_comment(story, status=Comment.Status.REJECTED, wordpress_id=991)
    about = About.load()
    about.site_name, about.tagline = "The Steppe Times", "News from the steppe"
    about.save()
    return story, draft


def comparable(value):
    """A field's value as a JSON dump keeps it: Django's JSON encoder writes times to the
    millisecond (documented in docs/operations.md), and many-to-many lists come in database
    order."""
    if isinstance(value, (datetime, time)):
        return value.replace(microsecond=value.microsecond // 1000 * 1000)
    if isinstance(value, list):
        return sorted(value, key=repr)
    return value


def snapshot():
    """Every object of every model that is dumped, serialized the way dumpdata does it, per
    model: natural keys where a model has them (so changed primary keys do not matter)."""
    data = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in EXCLUDED or model._meta.app_label in EXCLUDED or model._meta.proxy:
            continue
        objects = serializers.serialize(
            "python",
            model._default_manager.order_by("pk"),
            use_natural_foreign_keys=True,
            use_natural_primary_keys=True,
        )
        for obj in objects:
            obj["fields"] = {name: comparable(value) for name, value in obj["fields"].items()}
        data[label] = sorted(json.dumps(obj, sort_keys=True, default=str) for obj in objects)
    return data


@pytest.fixture(autouse=True)
def fresh_content_type_cache():
    """`flush` makes the content types again, with new IDs, inside this test's transaction: the
    process-wide cache of them must not outlive the rollback, or later tests' tag lookups
    search under IDs that no longer exist."""
    ContentType.objects.clear_cache()
    yield
    ContentType.objects.clear_cache()


def test_dumpdata_flush_loaddata_into_a_migrated_database_brings_everything_back(tmp_path):
    story, draft = build_content()
    before = snapshot()
    # The test must cover what it claims to: each kind of content is really there.
    for label in [
        "articles.article",
        "articles.historicalarticle",
        "articles.author",
        "articles.byline",
        "articles.correction",
        "articles.redirect",
        "mostread.articleview",
        "articles.about",
        "articles.category",
        "comments.comment",
        "taggit.tag",
        "taggit.taggeditem",
        "auth.user",
        "auth.group",
    ]:
        assert before[label], f"no {label} objects were made"
    assert len(before["articles.historicalarticle"]) >= 4
    content, tagged_items = tmp_path / "content.json", tmp_path / "tagged-items.json"

    call_command("dumpdata", *DUMP_CONTENT, "--output", str(content), verbosity=0)
    call_command("dumpdata", *DUMP_TAGGED_ITEMS, "--output", str(tagged_items), verbosity=0)
    if connection.vendor == "postgresql":
        # The test runs inside a transaction: PostgreSQL refuses to TRUNCATE tables with
        # foreign-key checks still pending in it, so run those checks now.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", "--no-input", verbosity=0)
    assert not Article.objects.exists() and not Group.objects.exists()
    # A database freshly migrated elsewhere already has the roles the migrations make.
    make_roles()
    call_command("loaddata", str(content), str(tagged_items), verbosity=0)

    after = snapshot()
    assert after.keys() == before.keys()
    for label in before:
        assert after[label] == before[label], f"{label} changed in the round trip"
    # And the site works on the restored data: relations, tags and the stored image name.
    restored = Article.objects.get(pk=story.pk)
    assert restored.featured_image.name == story.featured_image.name
    assert sorted(restored.tags.names()) == ["Kazakhstan", "Rail"]
    assert restored.byline_text == "Asel Nurlanova and Tom Reed"
    assert Comment.objects.get(parent__isnull=True, status="approved").replies.count() == 2
    assert set(Group.objects.get(name="Editors").user_set.values_list("username", flat=True)) == {
        "editor"
    }
    assert Group.objects.get(name="Editors").permissions.filter(codename="publish_article")
    assert Article.objects.get(pk=draft.pk).status == Article.Status.DRAFT

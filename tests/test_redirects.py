"""One redirect table behind one fallback: old addresses of renamed and imported stories,
kept across the migration from the two old tables and across a version 1 site export."""

import json
from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from articles.models import Article, Redirect

from .factories import make_article, make_category, make_user

BEFORE = [("articles", "0012_body_images")]
MARCH_1 = datetime(2025, 3, 1, 9, tzinfo=UTC)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()  # What the previous run applied or unapplied.
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return executor.loader.project_state(targets).apps if targets else None


# serialized_rollback puts back the groups the migrations made, for the tests that follow.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_redirects_of_a_database_at_the_old_layout_answer_after_migrating():
    old = migrate(BEFORE)
    section = old.get_model("articles", "Category").objects.create(name="World", slug="world")
    stories = old.get_model("articles", "Article").objects
    public = {"category": section, "published_at": MARCH_1, "status": "published"}
    renamed = stories.create(title="Renamed", slug="new-name", **public)
    imported = stories.create(title="Imported", slug="imported", wordpress_id=77, **public)
    draft = stories.create(title="Draft", slug="draft", **{**public, "status": "draft"})
    old.get_model("articles", "SlugRedirect").objects.create(old_slug="old-name", article=renamed)
    old.get_model("articles", "SlugRedirect").objects.create(old_slug="was-draft", article=draft)
    legacy = old.get_model("articles", "LegacyRedirect").objects
    legacy.create(old_path="/archives/77", article=imported)

    migrate(None)

    assert Redirect.objects.count() == 4  # two slugs, a permalink, a short link
    reader = Client()
    for old_address, story in [
        ("/2025/03/01/old-name/", renamed),
        # The old slug at another date: the story's date may have moved since the rename.
        ("/2024/12/31/old-name/", renamed),
        ("/archives/77", imported),
        ("/archives/77/", imported),
        ("/?p=77", imported),
    ]:
        response = reader.get(old_address)
        new_address = Article.objects.get(pk=story.pk).get_absolute_url()
        assert (response.status_code, response.get("Location")) == (301, new_address), old_address
    assert reader.get("/2025/03/01/was-draft/").status_code == 404
    # Short links read as WordPress reads them; anything else is the front page as usual.
    assert reader.get("/?p=077")["Location"] == "/2025/03/01/imported/"
    for not_a_post in ("/?p=²", "/?p=١٢", "/?p=99999999999999999999"):
        assert reader.get(not_a_post).status_code == 200, not_a_post


@pytest.mark.django_db
def test_an_old_slug_still_finds_its_story_after_the_date_moved_too(client):
    story = make_article(slug="first", published_at=MARCH_1)
    story = Article.objects.get(pk=story.pk)
    story.slug = "second"
    story.save()
    story = Article.objects.get(pk=story.pk)
    story.published_at = datetime(2025, 3, 5, 9, tzinfo=UTC)
    story.save()

    response = client.get("/2025/03/01/first/")

    assert (response.status_code, response["Location"]) == (301, "/2025/03/05/second/")
    assert Redirect.objects.get().old_path == "/2025/03/01/first/"


@pytest.mark.django_db
def test_the_address_a_story_takes_again_stops_being_a_redirect(client):
    story = make_article(slug="first", published_at=MARCH_1)
    for slug in ("second", "first"):
        story = Article.objects.get(pk=story.pk)
        story.slug = slug
        story.save()

    assert list(Redirect.objects.values_list("old_path", flat=True)) == ["/2025/03/01/second/"]
    assert client.get("/2025/03/01/first/").status_code == 200


@pytest.mark.django_db
def test_a_site_export_of_version_1_still_imports_with_its_redirects(tmp_path, client):
    noon = "2025-03-01T12:00:00+00:00"
    lines = [
        {"format": "newsroom-site", "version": 1},
        {"model": "articles.category", "pk": 3, "fields": {"name": "World", "slug": "world"}},
        {
            "model": "articles.article",
            "pk": 9,
            "fields": {
                "title": "Kept",
                "slug": "kept",
                "category": 3,
                "status": "published",
                "wordpress_id": 123,
                **dict.fromkeys(["published_at", "created_at", "updated_at"], noon),
            },
        },
        {
            "model": "articles.slugredirect",
            "pk": 1,
            "fields": {"old_slug": "was-here", "article": 9, "created_at": noon},
        },
        {"model": "articles.legacyredirect", "pk": 1, "fields": {"old_path": "/a/b", "article": 9}},
    ]
    path = tmp_path / "site.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")

    call_command("import_site", str(path), verbosity=0)

    for old_address in ("/2025/03/01/was-here/", "/a/b", "/?p=123"):
        response = client.get(old_address)
        assert (response.status_code, response["Location"]) == (301, "/2025/03/01/kept/")


@pytest.mark.django_db
def test_editors_manage_redirects_in_the_admin_and_writers_do_not(client):
    story = make_article(category=make_category())
    redirect_ = Redirect.objects.create(old_path="/archives/1", article=story)
    client.force_login(make_user(is_staff=True, groups=["Editors"]))
    for url in (
        reverse("admin:articles_redirect_changelist"),
        reverse("admin:articles_redirect_add"),
        reverse("admin:articles_redirect_change", args=[redirect_.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    assert "/archives/1" in client.get(reverse("admin:articles_redirect_changelist")).text

    client.force_login(make_user(is_staff=True, groups=["Writers"]))
    assert client.get(reverse("admin:articles_redirect_changelist")).status_code == 403

"""A story's side effects run once per change (articles/signals.py): one admin save of a story
with new tags, title and text writes its search vector once and raises the page cache's
generation once (now, and again when the change commits); an edit in place raises only its
story's tags, once.

Run on both databases: on PostgreSQL the search vector's UPDATE statements are counted too.
"""

import re
from contextlib import contextmanager
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import signals
from articles.models import Article, ArticleQuerySet
from articles.signals import collected
from pagecache.generations import content_changed, content_generation, tag_key, tag_versions

from .factories import article_admin_data, make_article, make_category, make_user

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")


@pytest.fixture
def editor(client):
    client.force_login(make_user("eddie", groups=["Editors"], is_staff=True))
    return client


@contextmanager
def counted():
    """Calls of content_changed() and update_search_vector() (which still do their work), and
    the UPDATE statements that write search vectors (PostgreSQL; SQLite has none)."""
    with (
        mock.patch.object(signals, "content_changed", wraps=content_changed) as bumps,
        mock.patch.object(signals, "tags_changed", wraps=signals.tags_changed) as tag_raises,
        mock.patch.object(
            ArticleQuerySet,
            "update_search_vector",
            autospec=True,
            side_effect=ArticleQuerySet.update_search_vector,
        ) as indexings,
        CaptureQueriesContext(connection) as queries,
    ):
        bumps.tag_raises = tag_raises
        yield bumps, indexings, queries


def vector_writes(queries):
    return [
        query["sql"]
        for query in queries.captured_queries
        if re.match(r'\s*UPDATE\s+"articles_article"\s+SET\s+"search_vector"', query["sql"])
    ]


def open_form(client, story):
    page = client.get(reverse("admin:articles_article_change", args=[story.pk]))
    field = re.search(r'<input[^>]*name="opened_version"[^>]*>', page.text).group()
    return re.search(r'value="(\d+)"', field).group(1)


def test_one_admin_save_with_new_tags_raises_the_generation_once_and_indexes_once(
    editor, django_capture_on_commit_callbacks
):
    story = make_article(title="Budget talks", status="published", tags=["Elections", "Rates"])
    version = open_form(editor, story)
    before = content_generation()

    with (
        counted() as (bumps, indexings, queries),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = editor.post(
            reverse("admin:articles_article_change", args=[story.pk]),
            article_admin_data(
                story.category,
                title="Budget agreed",
                slug=story.slug,
                body="<p>Tungsten tariffs fall.</p>",
                tags="Elections, Taxes",
                status="published",
                published_at_0=story.published_at.strftime("%d/%m/%Y"),
                published_at_1=story.published_at.strftime("%H:%M:%S"),
                opened_version=version,
            ),
        )
        raised_now = content_generation() - before

    assert response.status_code == 302
    story.refresh_from_db()
    assert (story.title, sorted(story.tags.names())) == ("Budget agreed", ["Elections", "Taxes"])
    # One raise while saving and one more once it commits: content_changed(), once.
    assert bumps.call_count == 1
    assert (raised_now, content_generation() - before) == (1, 2)
    assert indexings.call_count == 1
    if connection.vendor == "postgresql":
        assert len(vector_writes(queries)) == 1
        vector = Article.objects.values_list("search_vector", flat=True).get(pk=story.pk)
        assert "'tax'" in vector and "'agre'" in vector and "'rate'" not in vector


def test_a_bulk_publish_of_several_stories_is_one_change(editor):
    drafts = [make_article(status="draft") for _ in range(3)]

    with counted() as (bumps, indexings, queries):
        editor.post(
            CHANGELIST, {"action": "publish_now", "_selected_action": [d.pk for d in drafts]}
        )

    assert Article.objects.published().filter(pk__in=[d.pk for d in drafts]).count() == 3
    assert bumps.call_count == 1
    assert indexings.call_count == 1
    if connection.vendor == "postgresql":
        assert len(vector_writes(queries)) == 1


def test_a_change_that_fails_tells_neither_the_page_cache_nor_the_index():
    story = make_article(title="Before")

    with counted() as (bumps, indexings, _), pytest.raises(RuntimeError), collected():
        story.title = "Never saved"
        story.save()
        story.tags.add("Rumours")
        raise RuntimeError("the editor's request failed after the save")

    assert Article.objects.get(pk=story.pk).title == "Before"
    assert (bumps.call_count, indexings.call_count) == (0, 0)


def test_a_change_outside_the_admin_still_shows_at_once():
    """A script's save is a change of its own: its effects do not wait for a batch."""
    story = make_article(title="Before")
    elsewhere = make_category()
    before = content_generation()

    with counted() as (bumps, indexings, _):
        story.title = "After"
        story.save()
        story.category = elsewhere  # Another section: every list and count changes.
        story.save()

    assert (bumps.call_count, bumps.tag_raises.call_count, indexings.call_count) == (1, 1, 2)
    assert content_generation() > before


def test_an_edit_in_place_raises_its_storys_tags_once_and_not_the_generation(
    editor, django_capture_on_commit_callbacks
):
    story = make_article(title="Floods rise", status="published", tags=["Weather"])
    version = open_form(editor, story)
    before = content_generation()
    tag = f"story-{story.pk}"

    with (
        counted() as (bumps, indexings, _),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = editor.post(
            reverse("admin:articles_article_change", args=[story.pk]),
            article_admin_data(
                story.category,
                title="Floods recede",
                slug=story.slug,
                body=story.body,
                tags="Weather",
                status="published",
                published_at_0=story.published_at.strftime("%d/%m/%Y"),
                published_at_1=story.published_at.strftime("%H:%M:%S"),
                opened_version=version,
            ),
        )

    assert response.status_code == 302
    assert Article.objects.get(pk=story.pk).title == "Floods recede"
    assert (bumps.call_count, bumps.tag_raises.call_count, indexings.call_count) == (0, 1, 1)
    assert set(bumps.tag_raises.call_args.args) == {tag, f"headline-{story.pk}", "stories"}
    assert content_generation() == before
    # Raised while saving and again once it commits, as the generation would be.
    first = cache.get(f"{tag_key(tag)}:start")
    assert tag_versions([tag])[tag] == first + 1

"""The comment policy has one home (comments/moderation.py), the comments app shows itself on
the article page only through its template tag, and templates follow one convention."""

import ast
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from comments.models import Comment
from comments.moderation import Moderator

from .test_comments import VALID, a_minute_ago, make_story, post

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    """Posts are counted per address in the cache: every test starts, and leaves, at zero."""
    cache.clear()
    yield
    cache.clear()


def site_apps():
    """The project's own apps (not Django's nor a package's)."""
    return [
        config
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(settings.BASE_DIR)
        and ".venv" not in Path(config.path).parts
    ]


# One rule decides whether a story takes comments ---------------------------------------------


@pytest.mark.parametrize("is_open", [True, False])
def test_one_rule_decides_whether_a_story_takes_comments(client, monkeypatch, is_open):
    """The page, the post and the CSRF fallback all ask the moderator, and only it: overrule it
    and all three follow, whatever the story's own switch says."""
    story = make_story(comment_mode="open" if not is_open else "closed")
    monkeypatch.setattr(Moderator, "is_open", lambda self, article: is_open)

    page = client.get(story.get_absolute_url()).text
    posted = post(client, story, body="Counted or not?")
    without_token = Client(enforce_csrf_checks=True).post(
        reverse("comments:post", args=[story.pk]), {**VALID, "shown_at": a_minute_ago()}
    )

    assert ('id="comment-form"' in page) is is_open
    assert ("Comments are closed on this story." in posted.text) is not is_open
    assert Comment.objects.filter(body="Counted or not?").exists() is is_open
    # Open: the reader gets the form back with what they wrote; closed: Django's refusal.
    assert without_token.status_code == 403
    assert ('id="comment-form"' in without_token.text) is is_open


# The article page shows comments only through the comments app -------------------------------


def test_the_readers_message_is_shown_once_in_the_comments_section(client):
    story = make_story()

    page = post(client, story).text

    told = "Thank you. Your comment will appear once a moderator has approved it."
    assert page.count(told) == 1
    assert page.index('id="comments"') < page.index(told)
    assert page.count('class="messages"') == 1


def test_the_article_template_leaves_comments_to_the_comments_app():
    """No comment script, message block or form in the story's template: only the tag."""
    source = (TEMPLATES / "articles" / "article_detail.html").read_text()
    mentions = re.findall(r"[^\n]*comment[^\n]*", source, re.IGNORECASE)

    assert [line.strip() for line in mentions] == [
        "{% load comment_tags %}",
        "{% comments_for article %}",
    ]
    assert "{% block messages %}" not in source


def test_the_comments_app_imports_no_view_of_the_articles_app():
    comments = Path(apps.get_app_config("comments").path)
    imported = set()
    for path in comments.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported |= {f"{node.module}.{alias.name}" for alias in node.names}
            elif isinstance(node, ast.Import):
                imported |= {alias.name for alias in node.names}

    assert not {name for name in imported if name.startswith("articles.views")}
    assert "articles.pages.render_article_page" in imported


# One template convention ----------------------------------------------------------------------


def test_every_template_lives_in_the_projects_templates_folder():
    assert [
        config.label for config in site_apps() if (Path(config.path) / "templates").exists()
    ] == []


def test_inclusion_tag_templates_live_under_their_apps_tags_folder():
    found = {}
    for config in site_apps():
        for path in (Path(config.path) / "templatetags").glob("*.py"):
            for name in re.findall(r"inclusion_tag\(\s*\"([^\"]+)\"", path.read_text()):
                found[name] = config.label

    assert found  # The check reads the tags it means to check.
    for name, app in found.items():
        assert name.startswith(f"{app}/tags/"), name
        assert (TEMPLATES / name).is_file(), name

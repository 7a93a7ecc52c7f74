"""The pagecache app on its own: generations, data kept per generation, the clock hook, its
system check, and the rule that it knows no app of the site (it is the ground floor)."""

import ast
import itertools
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import checks
from django.http import HttpResponse
from django.test import Client
from django.urls import path
from django.utils import timezone

from pagecache import generations
from pagecache.pages import reader_page

pytestmark = pytest.mark.django_db

SITE_APPS = {"articles", "comments", "newsroom", "demo", "roles", "wordpress", "transfer"}

renders = itertools.count(1)


@reader_page
def numbered_page(request):
    """A public page that says how many times any such page has been rendered."""
    return HttpResponse(f"render {next(renders)}")


urlpatterns = [path("numbered/", numbered_page)]


@pytest.fixture
def page_cache_header(settings):
    settings.PAGE_CACHE_DEBUG_HEADER = True


@pytest.fixture
def due_in_five_minutes(monkeypatch):
    """A source registered as an app's ready() would: something changes in five minutes."""
    due = timezone.now() + timedelta(minutes=5)
    sources = [*generations._expiry_sources, lambda generation: due]
    monkeypatch.setattr(generations, "_expiry_sources", sources)
    return due


def test_pagecache_imports_no_app_of_the_site():
    imported = set()
    for module in Path(generations.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.Import):
                imported.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                imported.add(node.module.split(".")[0])

    assert not imported & SITE_APPS


@pytest.mark.urls(__name__)
def test_a_page_is_not_served_from_the_cache_after_a_registered_moment(
    monkeypatch, page_cache_header, due_in_five_minutes
):
    reader = Client()
    first = reader.get("/numbered/")
    again = reader.get("/numbered/")
    assert again["X-Page-Cache"] == "hit"
    assert again.content == first.content

    later = due_in_five_minutes + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    after = reader.get("/numbered/")

    assert after["X-Page-Cache"] == "miss"
    assert after.content != first.content


def test_a_value_kept_per_generation_is_computed_again_only_after_a_change():
    computed = []

    def compute():
        computed.append(True)
        return len(computed)

    assert generations.cached("answer", compute) == 1
    assert generations.cached("answer", compute) == 1

    generations.content_changed()

    assert generations.cached("answer", compute) == 2


def test_the_deploy_check_warns_of_a_page_cache_in_each_process_memory(settings):
    local = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    settings.CACHES = {**settings.CACHES, "default": local}
    settings.PAGE_CACHE_SECONDS = 300
    found = checks.run_checks(tags=[checks.Tags.caches], include_deployment_checks=True)
    assert "newsroom.W001" in [message.id for message in found]

    settings.PAGE_CACHE_SECONDS = 0
    found = checks.run_checks(tags=[checks.Tags.caches], include_deployment_checks=True)
    assert "newsroom.W001" not in [message.id for message in found]


def test_within_a_request_the_generation_is_read_once_and_again_after_a_raise():
    first = generations.current_generation()
    with generations.one_generation_per_request():
        assert generations.current_generation() == first
        # Another process raises it: the page goes on under the one it first read.
        generations.cache.set(generations.GENERATION_KEY, first + 100)
        assert generations.current_generation() == first  # the page's own, as first read
        generations._raise_generation()  # this process raises it: read again
        assert generations.current_generation() > first + 100
    generations.cache.set(generations.GENERATION_KEY, first + 500)
    assert generations.current_generation() == first + 500  # outside a request: every time

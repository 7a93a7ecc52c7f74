"""Small factories, one per model: each makes a valid object and takes overrides."""

import html
import importlib
import io
import itertools
import re
from datetime import datetime, timedelta
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from PIL import Image

from articles.models import Article, Category
from comments.models import Comment
from newsletters.models import Newsletter, Subscriber

_sequence = itertools.count(1)

# What `migrate` gives every new database: the groups and their permissions, each step run on
# the models as they were at its migration (later migrations removed some of those models).
ROLE_MIGRATIONS = [
    ("articles", "0002_editors_group", "create_editors"),
    ("articles", "0004_roles", "grant"),
    ("articles", "0013_redirect", "grant_redirects"),
    ("articles", "0014_remove_old_redirects", "forget_content_types"),
    ("comments", "0002_moderators_group", "create_moderators"),
    ("comments", "0005_word_lists", "grant_word_lists"),
    ("newsletters", "0002_editors_permissions", "grant"),
]


def make_roles():
    """Make the groups again as the migrations did, after a test emptied the database (a
    live-server test does, the role groups included)."""
    loader = MigrationLoader(connection)
    for app_label, name, function in ROLE_MIGRATIONS:
        state = loader.project_state((app_label, name))
        step = getattr(importlib.import_module(f"{app_label}.migrations.{name}"), function)
        step(state.apps, None)


def make_user(username=None, groups=(), **fields):
    User = get_user_model()
    user = User.objects.create_user(
        username=username or f"user{next(_sequence)}", password="correct-horse-battery", **fields
    )
    user.groups.add(*Group.objects.filter(name__in=groups))
    return user


def make_category(**fields):
    n = next(_sequence)
    defaults = {"name": f"Section {n}", "slug": f"section-{n}", "position": n}
    return Category.objects.create(**{**defaults, **fields})


def make_article(tags=(), **fields):
    n = next(_sequence)
    defaults = {
        "title": f"Story number {n}",
        "slug": f"story-number-{n}",
        "standfirst": f"The summary of story {n}.",
        "body": f"<p>The body of story {n}.</p>",
        "status": Article.Status.PUBLISHED,
        # Newer factories make newer stories; minutes keep them all inside comment windows.
        "published_at": timezone.now() - timedelta(minutes=n),
    }
    if "category" not in fields:
        defaults["category"] = make_category()
    article = Article.objects.create(**{**defaults, **fields})
    if tags:
        article.tags.set(list(tags))
    return article


def make_comment(article=None, **fields):
    n = next(_sequence)
    defaults = {
        "article": article or make_article(),
        "name": f"Reader {n}",
        "email": f"reader{n}@example.com",
        "body": f"Comment number {n}.",
    }
    return Comment.objects.create(**{**defaults, **fields})


def image_upload(name="photo.jpg", size=(640, 360), format="JPEG"):
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 60, 110)).save(buffer, format)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{format.lower()}")


def article_admin_data(category, **fields):
    """A complete POST for the article admin form, inline formsets included."""
    now = timezone.localtime()
    data = {
        "title": "A story",
        "slug": "a-story",
        "standfirst": "",
        "body": "<p>Text.</p>",
        "category": category.pk,
        "tags": "",
        "byline": "",
        "featured_image_alt": "",
        "featured_image_caption": "",
        "featured_image_credit": "",
        "status": "draft",
        "published_at_0": now.strftime("%d/%m/%Y"),
        "published_at_1": now.strftime("%H:%M:%S"),
        "comment_mode": "default",
    }
    for prefix in ("bylines", "corrections"):
        data |= {
            f"{prefix}-TOTAL_FORMS": "0",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    return data | fields


def make_newsletter(**fields):
    defaults = {"name": "Morning Briefing", "slug": "morning", "offered_at_signup": True}
    return Newsletter.objects.create(**{**defaults, **fields})


def make_subscriber(newsletter, email="reader@example.com", **fields):
    """A confirmed subscriber of `newsletter`."""
    subscriber = Subscriber.objects.create(email=email, confirmed_at=timezone.now(), **fields)
    subscriber.newsletters.add(newsletter)
    return subscriber


class SearchResult(NamedTuple):
    """A search result as a reader sees it on the page."""

    title: str
    snippet: str  # As drawn: HTML, with <mark> around the matches.
    published_at: datetime


SEARCH_RESULT = re.compile(
    r'<article class="card">.*?<h3 class="card__title"><a href="[^"]*">(?P<title>.*?)</a></h3>'
    r'\s*(?:<p class="card__standfirst">(?P<snippet>.*?)</p>)?'
    r'\s*<p class="meta"><time datetime="(?P<at>[^"]+)"',
    re.DOTALL,
)


def search_results(response):
    """The results a search page shows, in order, read from its HTML."""
    shown = response.text.partition('class="search-results"')[2]
    return [
        SearchResult(
            html.unescape(found["title"]),
            found["snippet"] or "",
            datetime.fromisoformat(found["at"]),
        )
        for found in SEARCH_RESULT.finditer(shown)
    ]

"""The admin edits rich text with django-prose-editor, served from our own static files."""

import html
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse
from django_prose_editor.config import allowlist_from_extensions
from django_prose_editor.widgets import AdminProseEditorWidget

from articles.html import ALLOWED_TAGS
from articles.models import About, Article
from images.body_images import BODY_EDITOR
from newsdesk.forms import AboutAdminForm, ArticleAdminForm

from .factories import article_admin_data, make_article, make_category, make_user

pytestmark = pytest.mark.django_db

RICH_BODY = (
    "<h2>Background</h2><p>Astana <strong>signs</strong> up.<script>alert(1)</script></p>"
    '<ul><li><a href="https://example.org/" onclick="alert(1)">Source</a></li></ul>'
    '<blockquote><p style="color:red">A quote.</p></blockquote>'
)
RICH_BODY_SANITISED = (
    "<h2>Background</h2><p>Astana <strong>signs</strong> up.</p>"
    '<ul><li><a href="https://example.org/" rel="noopener noreferrer">Source</a></li></ul>'
    "<blockquote><p>A quote.</p></blockquote>"
)


@pytest.fixture
def superuser_client(client):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    return client


def admin_urls():
    story = make_article()
    return [
        reverse("admin:articles_article_add"),
        reverse("admin:articles_article_change", args=[story.pk]),
        reverse("admin:articles_about_change", args=[About.load().pk]),
    ]


def local_asset_urls(page):
    """Every script, stylesheet and import-map URL the page loads."""
    urls = re.findall(r'<script[^>]*\ssrc="([^"]+)"', page)
    urls += re.findall(r'<link[^>]*\shref="([^"]+)"', page)
    for importmap in re.findall(r'<script type="importmap"[^>]*>(.*?)</script>', page, re.DOTALL):
        urls += json.loads(importmap)["imports"].values()
    return urls


def test_admin_pages_render_the_prose_editor_for_body(superuser_client):
    for url in admin_urls():
        response = superuser_client.get(url)

        assert response.status_code == 200, url
        widget = response.context["adminform"].form.fields["body"].widget
        assert isinstance(widget, AdminProseEditorWidget), url
        textarea = re.search(r'<textarea name="body"[^>]*>', response.text)[0]
        config = re.search(r'data-django-prose-editor-configurable="([^"]*)"', textarea)[1]
        assert json.loads(html.unescape(config))["extensions"]["Heading"] == {"levels": [2, 3]}
        assert re.search(r'<script type="importmap" nonce="[^"]+">', response.text)
        assert re.search(
            r'src="/static/django_prose_editor/configurable.js" nonce="[^"]+" type="module"',
            response.text,
        )
        assert 'href="/static/django_prose_editor/editor.css"' in response.text


def test_admin_pages_load_only_local_assets(superuser_client):
    for url in admin_urls():
        page = superuser_client.get(url).text
        for asset in local_asset_urls(page):
            assert asset.startswith("/") and not asset.startswith("//"), (url, asset)
            if asset.startswith(settings.STATIC_URL):
                assert finders.find(asset.removeprefix(settings.STATIC_URL)), (url, asset)


@pytest.mark.parametrize("form_class", [ArticleAdminForm, AboutAdminForm])
def test_every_editor_asset_is_a_local_static_file(form_class):
    widget = form_class.base_fields["body"].widget
    urls = local_asset_urls(str(widget.media))
    assert any(url.endswith("editor.js") for url in urls)
    assert any(url.endswith("editor.css") for url in urls)
    for url in urls:
        assert url.startswith(settings.STATIC_URL), url
        path = finders.find(url.removeprefix(settings.STATIC_URL))
        assert path, url
        if url.endswith(".css"):  # fonts and images the stylesheet pulls in
            for ref in re.findall(r"url\(([^)]+)\)", Path(path).read_text()):
                assert not re.match(r"(https?:)?//", ref), (url, ref)
                assert (Path(path).parent / ref.strip("'\"")).exists(), (url, ref)


def test_editor_can_only_produce_what_the_sanitiser_keeps():
    editor_tags = allowlist_from_extensions(BODY_EDITOR["extensions"])["tags"]
    assert editor_tags <= ALLOWED_TAGS
    assert "h1" not in editor_tags
    assert {"h2", "h3", "a", "ul", "ol", "blockquote", "figure", "figcaption", "img"} <= (
        editor_tags
    )


def test_admin_add_form_stores_sanitised_html(superuser_client):
    response = superuser_client.post(
        reverse("admin:articles_article_add"),
        article_admin_data(make_category(), body=RICH_BODY),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Article.objects.get().body == RICH_BODY_SANITISED


def test_about_admin_form_stores_sanitised_html(superuser_client):
    about = About.load()
    response = superuser_client.post(
        reverse("admin:articles_about_change", args=[about.pk]),
        {"site_name": "The Meridian", "tagline": "", "summary": "Hello.", "body": RICH_BODY},
    )

    assert response.status_code == 302
    assert About.objects.get().body == RICH_BODY_SANITISED

"""Security: the deployment check, response headers and the CSP, admin sign-in throttling,
cookies, and what uploads and media files may be."""

import json
import os
import re
import secrets
import subprocess
import sys
from datetime import timedelta
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import re_path, reverse
from django.utils import timezone
from django.views.static import serve

from articles.models import Article, Author
from comments.models import Comment
from newsroom import urls as site_urls
from newsroom.middleware import SecurityHeadersMiddleware

from .factories import (
    article_admin_data,
    image_upload,
    make_article,
    make_category,
    make_comment,
    make_user,
)

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct-horse-battery"


def serve_media(request, path):
    return serve(request, path, document_root=settings.MEDIA_ROOT)


# The site's URLs plus Django serving MEDIA_ROOT, as SERVE_MEDIA=true gives (tests run with it
# off, and the root URLconf reads it once, at import).
urlpatterns = [re_path(r"^media/(?P<path>.*)$", serve_media), *site_urls.urlpatterns]


# The deployment check and production responses, in fresh processes ------------------------


def production_env(tmp_path, **overrides):
    """The environment of a production server (README "Deploying"), nothing inherited."""
    (tmp_path / "static").mkdir(exist_ok=True)
    return {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "news.example.com",
        "CSRF_TRUSTED_ORIGINS": "https://news.example.com",
        "HTTPS": "true",
        "SMTP_HOST": "smtp.example.com",
        # Only named: the deployment check does not connect to it.
        "REDIS_URL": "redis://127.0.0.1:6379/15",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        **overrides,
    }


def run(args, env):
    return subprocess.run(
        [sys.executable, *args],
        check=False,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_deployment_check_passes_with_production_settings(tmp_path):
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path)
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_without_https_the_deployment_check_says_what_is_missing(tmp_path):
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        production_env(tmp_path, HTTPS="false"),
    )

    assert result.returncode != 0
    for setting in ("SECURE_HSTS_SECONDS", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE"):
        assert setting in result.stderr


PRODUCTION_REQUESTS = """
import json
import django
from django.core.management import call_command
from django.test import Client
from django.test.utils import override_settings

django.setup()
from django.conf import settings
from django.contrib.auth.models import User

call_command("migrate", verbosity=0)
User.objects.create_user("edna", password="correct-horse-battery", is_staff=True)
client = Client(HTTP_HOST="news.example.com")
https = {"x-forwarded-proto": "https"}
cookie = lambda response, name: {
    key: str(value) for key, value in response.cookies[name].items() if value
}
# Hashed static names need `collectstatic`, which has nothing to do with what is checked here.
with override_settings(
    STORAGES={
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
):
    plain = client.get("/")
    front = client.get("/", headers=https)
    login_form = client.get("/admin/login/", headers=https)
    signed_in = client.post(
        "/admin/login/?next=/admin/",
        {"username": "edna", "password": "correct-horse-battery"},
        headers=https,
    )
print(json.dumps({
    "plain": [plain.status_code, plain.headers.get("Location")],
    "front": [front.status_code, dict(front.headers)],
    "csrf_cookie": cookie(login_form, "csrftoken"),
    "signed_in": [signed_in.status_code, cookie(signed_in, "sessionid")],
}))
"""


def test_production_sends_hsts_redirects_to_https_and_sets_secure_cookies(tmp_path):
    # One process: its own memory will do as the cache, with no Redis needed to run the test.
    result = run(["-c", PRODUCTION_REQUESTS], production_env(tmp_path, REDIS_URL=""))
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])

    assert seen["plain"] == [301, "https://news.example.com/"]
    status, headers = seen["front"]
    assert status == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    for cookie in (seen["csrf_cookie"], seen["signed_in"][1]):
        assert cookie["secure"] and cookie["httponly"]
        assert cookie["samesite"] == "Lax"
    assert seen["signed_in"][0] == 302


# Headers and the Content-Security-Policy ----------------------------------------------------


def csp(response):
    """The policy as {directive: [sources]}."""
    directives = (part.split() for part in response.headers["Content-Security-Policy"].split(";"))
    return {name: sources for name, *sources in directives}


@pytest.fixture
def story(db):
    article = make_article(tags=["kazakhstan"], title="Astana signs up")
    make_comment(article, status=Comment.Status.APPROVED, body="A first reply.")
    return article


def public_urls(story):
    return [
        reverse("articles:front"),
        story.get_absolute_url(),
        story.category.get_absolute_url(),
        reverse("articles:tag", args=["kazakhstan"]),
        reverse("articles:archive"),
        reverse("search:search") + "?q=astana",
        reverse("articles:about"),
        "/no-such-page/",
    ]


def test_every_response_carries_the_security_headers(client, story):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    urls = [
        *public_urls(story),
        reverse("syndication:feed-rss"),
        "/robots.txt",
        reverse("admin:index"),
        reverse("admin:articles_article_change", args=[story.pk]),
    ]
    for url in urls:
        response = client.get(url)

        assert response.headers["X-Content-Type-Options"] == "nosniff", url
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin", url
        assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin", url
        assert response.headers["X-Frame-Options"] == "DENY", url
        permissions = response.headers["Permissions-Policy"]
        for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
            assert f"{feature}=()" in permissions.split(", "), url
        policy = csp(response)
        assert policy["default-src"] == ["'self'"], url
        assert policy["object-src"] == ["'none'"], url
        assert policy["frame-ancestors"] == ["'none'"], url
        assert policy["base-uri"] == ["'self'"], url
        assert policy["form-action"] == ["'self'"], url


def test_public_pages_allow_only_the_sites_own_scripts_and_styles_without_a_nonce(client, story):
    """Public pages are cached whole and shared between readers: a nonce in them would be the
    same for everyone, so they have none and need none."""
    for url in public_urls(story):
        response = client.get(url)

        policy = csp(response)
        assert policy["script-src"] == ["'self'"], url
        assert policy["style-src"] == ["'self'"], url
        assert policy["img-src"] == ["'self'", "data:"], url
        assert "nonce" not in response.text, url


class InlineCode(HTMLParser):
    """What in a page would need 'unsafe-inline': script and style elements with content,
    event-handler attributes, style attributes and javascript: links."""

    def __init__(self, page):
        super().__init__()
        self.found = []
        self.inside = None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attributes.items():
            if name.startswith("on") or name == "style":
                self.found.append(f"<{tag} {name}=…>")
            if name in {"href", "src", "action"} and (value or "").strip().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}={value}>")
        data_block = attributes.get("type") in {"application/ld+json", "application/json"}
        if (tag == "script" and "src" not in attributes and not data_block) or tag == "style":
            self.inside = tag

    def handle_data(self, data):
        if self.inside and data.strip():
            self.found.append(f"<{self.inside}>{data.strip()[:40]}")

    def handle_endtag(self, tag):
        self.inside = None


def test_public_pages_have_no_inline_script_style_or_event_handler(client, story):
    for url in public_urls(story):
        assert InlineCode(client.get(url).text).found == [], url


def test_admin_inline_scripts_and_styles_carry_the_nonce_of_the_response(client, story):
    client.force_login(make_user(is_staff=True, is_superuser=True))

    response = client.get(reverse("admin:articles_article_change", args=[story.pk]))

    nonce = csp(response)["script-src"][1].removeprefix("'nonce-").removesuffix("'")
    assert csp(response)["style-src"] == ["'self'", f"'nonce-{nonce}'"]
    inline = re.findall(r"<(?:script|style)\b(?![^>]*\ssrc=)[^>]*>", response.text)
    assert any('type="importmap"' in tag for tag in inline)
    assert any("data-tiptap-style" in tag for tag in inline)
    for tag in inline:
        assert f'nonce="{nonce}"' in tag, tag
    # A fresh nonce for every response.
    again = client.get(reverse("admin:articles_article_change", args=[story.pk]))
    assert nonce not in again.headers["Content-Security-Policy"]


def test_tiptap_css_is_the_css_the_editor_would_inject():
    """The editor's inline styles are served from static/css/tiptap.css instead (see
    admin/base_site.html); after an upgrade of django-prose-editor they must still match."""
    ours = (Path(settings.BASE_DIR) / "static/css/tiptap.css").read_text()
    bundle = Path(finders.find("django_prose_editor/editor.js")).read_text()
    injected = re.search(r"=`(\.ProseMirror \{.*?)`", bundle, re.DOTALL)[1]
    assert injected in ours


def test_a_views_own_permissions_policy_is_kept():
    def view(request):
        response = HttpResponse()
        response.headers["Permissions-Policy"] = "fullscreen=(self)"
        return response

    response = SecurityHeadersMiddleware(view)(RequestFactory().get("/"))

    assert response.headers["Permissions-Policy"] == "fullscreen=(self)"


# Admin sign-in throttling -------------------------------------------------------------------


def sign_in(client, password, username="edna", **headers):
    return client.post(
        reverse("admin:login") + "?next=/admin/",
        {"username": username, "password": password},
        headers=headers,
    )


@pytest.fixture
def editor(db):
    return make_user("edna", groups=["Editors"], is_staff=True)


def fail(client, times, **headers):
    for _ in range(times):
        response = sign_in(client, "wrong-password", **headers)
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.text


def lock_out(client, **headers):
    """AXES_FAILURE_LIMIT (5) wrong passwords: the fifth is answered with the lockout page."""
    fail(client, 4, **headers)
    assert sign_in(client, "wrong-password", **headers).status_code == 429


def test_five_wrong_passwords_lock_the_account_out_even_for_the_right_one(client, editor):
    lock_out(client)

    response = sign_in(client, PASSWORD)

    assert response.status_code == 429
    assert "Sign-in paused" in response.text
    assert "5 wrong passwords in a row" in response.text
    assert "for 1 hour" in response.text
    assert client.get(reverse("admin:index")).status_code == 302  # Still signed out.


def test_sign_in_works_again_after_the_cool_off(client, editor):
    lock_out(client)
    assert sign_in(client, PASSWORD).status_code == 429

    # An hour and a bit later (the cool-off is settings.AXES_COOLOFF_TIME).
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(minutes=1)
    )

    assert sign_in(client, PASSWORD).status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_axes_reset_lifts_a_lockout_at_once(client, editor):
    lock_out(client)
    out = StringIO()

    call_command("axes_reset", stdout=out)

    assert "attempts removed" in out.getvalue()
    assert sign_in(client, PASSWORD).status_code == 302


def test_a_lockout_holds_one_address_only(client, editor, settings):
    """Someone guessing from elsewhere cannot lock the editor out of her own desk. Behind a
    proxy the address is the one in COMMENTS_CLIENT_IP_HEADER, as for comments."""
    settings.COMMENTS_CLIENT_IP_HEADER = "X-Forwarded-For"
    lock_out(client, x_forwarded_for="203.0.113.9")
    assert sign_in(client, PASSWORD, x_forwarded_for="203.0.113.9").status_code == 429

    assert sign_in(client, PASSWORD, x_forwarded_for="198.51.100.20").status_code == 302


def test_a_successful_sign_in_forgets_earlier_typos(client, editor):
    fail(client, 4)
    assert sign_in(client, PASSWORD).status_code == 302
    client.logout()

    fail(client, 4)

    assert sign_in(client, PASSWORD).status_code == 302


# Uploads and media ---------------------------------------------------------------------------

SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
HOSTILE_FILES = [
    pytest.param("drawing.svg", SVG, "image/svg+xml", id="svg"),
    pytest.param("page.html", HTML, "text/html", id="html"),
    pytest.param("photo.jpg", HTML, "image/jpeg", id="html-named-jpg"),
]


@pytest.fixture
def admin_client(client, db):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize(("name", "data", "content_type"), HOSTILE_FILES)
def test_the_article_form_refuses_svg_and_html_as_a_featured_image(
    admin_client, name, data, content_type
):
    data = article_admin_data(
        make_category(),
        featured_image=SimpleUploadedFile(name, data, content_type),
        featured_image_alt="A picture",
    )

    response = admin_client.post(reverse("admin:articles_article_add"), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["featured_image"]
    assert not Article.objects.exists()


@pytest.mark.parametrize(("name", "data", "content_type"), HOSTILE_FILES)
def test_the_author_form_refuses_svg_and_html_as_a_photo(admin_client, name, data, content_type):
    response = admin_client.post(
        reverse("admin:articles_author_add"),
        {
            "name": "Asel Nurlanova",
            "slug": "asel",
            "photo": SimpleUploadedFile(name, data, content_type),
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["photo"]
    assert not Author.objects.exists()


def test_the_author_form_takes_a_real_photo(admin_client):
    response = admin_client.post(
        reverse("admin:articles_author_add"),
        {"name": "Asel Nurlanova", "slug": "asel", "photo": image_upload("asel.jpg")},
    )

    assert response.status_code == 302
    assert Author.objects.get().photo.name.startswith("authors/asel")


@pytest.mark.urls("tests.test_security")
def test_media_is_served_as_an_image_or_as_a_download(client, db, settings, media_root):
    settings.SERVE_MEDIA = True
    media_root.mkdir(parents=True)
    (media_root / "photo.jpg").write_bytes(image_upload().read())
    (media_root / "page.html").write_bytes(HTML)
    (media_root / "drawing.svg").write_bytes(SVG)

    photo = client.get("/media/photo.jpg")
    assert photo.status_code == 200
    assert photo.headers["Content-Type"] == "image/jpeg"
    assert photo.headers["X-Content-Type-Options"] == "nosniff"
    assert not photo.headers.get("Content-Disposition", "").startswith("attachment")
    for name in ("page.html", "drawing.svg"):
        response = client.get(f"/media/{name}")
        assert response.headers["Content-Type"] == "application/octet-stream", name
        assert response.headers["Content-Disposition"] == "attachment", name
        assert response.headers["X-Content-Type-Options"] == "nosniff", name

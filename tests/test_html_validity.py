"""Every page type is valid HTML by the Nu HTML Checker (vnu), the W3C's own validator.

The pages are rendered by the test client, written to files and checked in one run of vnu, as
a Java start-up costs seconds. vnu.jar comes from npm (package.json, `vnu-jar`); `make test`
installs it into node_modules/.
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles import views
from articles.models import Article, Author, Correction
from newsroom.unavailable import unavailable_response

from .factories import image_upload, make_article, make_comment, make_user

pytestmark = pytest.mark.django_db

VNU = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
LEAD = "kazakhstan-joins-abraham-accords"
LIVE = "storm-closes-caspian-ports-live"


def vnu_errors(pages, folder):
    """{page name: [error, …]} for the HTML `pages` ({name: html}), from one run of vnu."""
    java = shutil.which("java")
    if java is None or not VNU.exists():
        pytest.fail(f"The HTML check needs java and {VNU}: apt-get install default-jre; npm ci")
    files = {}  # file name → page name
    for number, (name, html) in enumerate(pages.items()):
        path = folder / f"page-{number}.html"
        path.write_text(html, encoding="utf-8")
        files[path.name] = name
    result = subprocess.run(
        [java, "-jar", str(VNU), "--format", "json", "--errors-only", "--exit-zero-always"]
        + [str(folder / name) for name in files],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    errors = {}
    for message in json.loads(result.stderr)["messages"]:
        url = message.get("url", "")
        name = files.get(url.rpartition("/")[2], url)
        where = f"line {message.get('lastLine', '?')}"
        extract = message.get("extract", "").strip()
        errors.setdefault(name, []).append(f"{where}: {message['message']} — {extract!r}")
    return errors


@pytest.fixture
def pages(monkeypatch, settings, django_capture_on_commit_callbacks):
    """The HTML of every page type readers and staff see, by name: the demo site plus a story
    with a picture, comments with a reply, a correction and an update, published "now" (its
    times have microseconds), a paginated section and a paginated search."""
    monkeypatch.setattr(views.CategoryArticleList, "paginate_by", 2)
    settings.ARTICLES_PER_PAGE = 2  # search reads it per request
    call_command("load_demo", "--no-images", verbosity=0)
    lead = Article.objects.get(slug=LEAD)
    with django_capture_on_commit_callbacks(execute=True):
        lead.featured_image = image_upload(f"{lead.slug}.jpg", size=(1200, 675))
        lead.featured_image_alt = "Delegates at the signing"
        lead.published_at = timezone.now()
        lead.save()
    Correction.objects.create(article=lead, text="An earlier version misspelt Astana.")
    Correction.objects.create(article=lead, kind="update", text="The treaty was ratified.")
    thread = make_comment(lead, status="approved", name="Dana")
    make_comment(lead, parent=thread, status="approved", name="Aigerim")
    draft = make_article(status=Article.Status.DRAFT, category=lead.category)
    month = timezone.localtime(lead.published_at)
    tag = lead.tags.order_by("name").first()
    search = reverse("search:search")
    client = Client()
    addresses = {
        "front": "/",
        "article": lead.get_absolute_url(),
        "article replying": f"{lead.get_absolute_url()}?replyto={thread.pk}",
        "category": lead.category.get_absolute_url(),
        "category, page 2": lead.category.get_absolute_url() + "?page=2",
        "tag": reverse("articles:tag", args=[tag.slug]),
        "author": Author.objects.filter(bylines__isnull=False).first().get_absolute_url(),
        "archive": reverse("articles:archive"),
        "year": reverse("articles:archive-year", args=[month.year]),
        "month": reverse("articles:archive-month", args=[month.year, month.month]),
        "search form": search,
        "search": f"{search}?q=kazakhstan",
        "search, page 2": f"{search}?q=kazakhstan&page=2",
        "search, no results": f"{search}?q=zzyzx&date_from={timezone.localdate().isoformat()}",
        "search, bad input": f"{search}?q={'x' * 300}&date_from=2026-02-30",
        "about": reverse("articles:about"),
        "report a comment": reverse("comments:report", args=[thread.pk]),
        # The demo's running live story (its stream, key events, the Live badge) and the
        # shared address of one of its updates.
        "live story": Article.objects.get(slug=LIVE).get_absolute_url(),
        "live update shared": reverse(
            "live:share", args=[Article.objects.get(slug=LIVE).live_entries.first().pk]
        ),
        "404": "/no-such-page/",
    }
    html = {}
    for name, address in addresses.items():
        response = client.get(address)
        assert response.status_code == (404 if name == "404" else 200), name
        html[name] = response.content.decode()
    staff = Client()
    staff.force_login(make_user(is_staff=True, is_superuser=True))
    html["staff preview"] = staff.get(reverse("articles:preview", args=[draft.pk])).text
    settings.COMMENTS_RATE_LIMIT = (1, 10**9)
    post = reverse("comments:post", args=[lead.pk])
    client.post(post, {"name": "Reader", "body": "Hello"})
    too_many = client.post(post, {"name": "Reader", "body": "Hello again"})
    assert too_many.status_code == 429
    html["429"] = too_many.text
    report = reverse("comments:report", args=[thread.pk])
    html["report, bad input"] = client.post(report, {"reason": "x"}).text
    html["500"] = render_to_string("500.html")
    html["503"] = unavailable_response().content.decode()
    return html


def test_every_page_type_is_valid_html(pages, tmp_path):
    errors = vnu_errors(pages, tmp_path)

    report = "\n".join(
        f"{name}:\n  " + "\n  ".join(messages) for name, messages in sorted(errors.items())
    )
    assert not errors, f"The Nu HTML Checker found errors:\n{report}"


def test_the_checker_finds_what_the_validators_found(tmp_path):
    """The check is not vacuous: a <time> with microseconds, as pages had, is an error."""
    page = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title></head>'
        '<body><time datetime="2026-12-06T02:03:15.088733+00:00">6 December</time></body></html>'
    )

    errors = vnu_errors({"old time": page}, tmp_path)

    assert "datetime" in " ".join(errors["old time"])

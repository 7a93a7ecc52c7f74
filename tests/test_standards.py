"""What the independent validators (Nu HTML Checker, W3C feed validator, feedparser, the
sitemap XSDs, extruct, protego) found, fixed: HTML times to the second, addresses and feed ids
from the one canonical site address (SITE_URL), empty tag feeds that stay valid, an Open Graph
image on every page, search pages that keep their query, robots.txt's charset, and WordPress
slugs in any script."""

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from articles.models import Article, Author, Byline, Correction
from tests.test_seo import Head

from .factories import make_article, make_category, make_comment

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
SITE = "https://news.example.com"
ATOM = {"atom": "http://www.w3.org/2005/Atom"}
SITEMAP = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
# HTML's valid global date and time string, to the second: no fraction of a second.
HTML_DATETIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d")


@pytest.fixture
def site_url(settings):
    settings.SITE_URL = SITE
    return SITE


# <time datetime> ---------------------------------------------------------------------------


def test_every_time_on_a_page_is_given_to_the_second(client):
    """Stories published "now" have microseconds; HTML allows at most three digits."""
    # A second ago: replacing the microseconds alone could put the story up to 88 ms in the
    # future, not yet public when the front page is asked for.
    now = timezone.now().replace(microsecond=88733) - timedelta(seconds=1)
    section = make_category(slug="world")
    story = make_article(category=section, tags=["Trade"], published_at=now)
    Correction.objects.create(article=story, text="A name was misspelt.", created_at=now)
    make_comment(story, status="approved", created_at=now)
    day = timezone.localtime(now)
    pages = [
        "/",
        story.get_absolute_url(),
        "/category/world/",
        "/tag/trade/",
        f"/search/?q={quote(story.title)}",
        f"/archive/{day:%Y}/{day:%m}/",
    ]

    for page in pages:
        html = client.get(page).text
        times = re.findall(r'<time[^>]* datetime="([^"]*)"', html)
        assert times, page
        for value in times:
            assert HTML_DATETIME.fullmatch(value), f"{page}: {value}"
    assert f'datetime="{day.isoformat(timespec="seconds")}"' in html


# One canonical address ---------------------------------------------------------------------


def test_feed_ids_and_links_do_not_depend_on_the_host(client, site_url):
    """Fetched as localhost or as 127.0.0.1, a feed is the same: readers never see every
    story again as new."""
    story = make_article(tags=["Trade"])

    for path in ("/feeds/rss/", "/feeds/atom/", "/tag/trade/feed/rss/"):
        as_localhost = client.get(path, HTTP_HOST="localhost").content
        as_address = client.get(path, HTTP_HOST="127.0.0.1").content
        assert as_localhost == as_address, path
    rss = ET.fromstring(client.get("/feeds/rss/", HTTP_HOST="localhost").content)
    item = rss.find("channel/item")
    assert (
        item.findtext("guid")
        == f"tag:news.example.com,{story.created_at:%Y-%m-%d}:article-{story.pk}"
    )
    assert item.findtext("link") == SITE + story.get_absolute_url()
    assert rss.findtext("channel/link") == SITE + "/"
    assert rss.find("channel/{http://www.w3.org/2005/Atom}link").get("href") == SITE + "/feeds/rss/"
    atom = ET.fromstring(client.get("/feeds/atom/", HTTP_HOST="127.0.0.1").content)
    entry = atom.find("atom:entry", ATOM)
    assert entry.findtext("atom:id", namespaces=ATOM).startswith("tag:news.example.com,")
    assert entry.find("atom:link", ATOM).get("href") == SITE + story.get_absolute_url()
    assert atom.findtext("atom:id", namespaces=ATOM) == SITE + "/"


def test_page_addresses_come_from_the_site_address_not_the_host(client, site_url):
    author = Author.objects.create(name="Asel Nurlanova", slug="asel")
    story = make_article()
    Byline.objects.create(article=story, author=author)

    head = Head(client.get(story.get_absolute_url(), HTTP_HOST="127.0.0.1").text)

    url = SITE + story.get_absolute_url()
    assert head.link("canonical") == head.one("og:url") == url
    news = head.block("NewsArticle")
    assert news["author"][0]["url"] == SITE + "/author/asel/"
    assert news["publisher"]["logo"]["url"] == SITE + "/static/logo.png"
    crumbs = head.block("BreadcrumbList")["itemListElement"]
    section = SITE + story.category.get_absolute_url()
    assert [crumb.get("item") for crumb in crumbs] == [SITE + "/", section, None]
    front = Head(client.get("/", HTTP_HOST="localhost").text).block("WebSite")
    assert (
        front["potentialAction"]["target"]["urlTemplate"]
        == SITE + "/search/?q={search_term_string}"
    )
    share = client.get(story.get_absolute_url(), HTTP_HOST="localhost").text
    assert quote(f"{SITE}/s/{story.pk}/", safe="") in share  # The short address, as shared.
    assert "localhost" not in share


def test_sitemaps_and_robots_txt_name_the_site_address(client, site_url):
    story = make_article(published_at=timezone.now() - timedelta(hours=1))

    index = ET.fromstring(client.get("/sitemap.xml", HTTP_HOST="localhost").content)
    locations = [loc.text for loc in index.iterfind("sm:sitemap/sm:loc", SITEMAP)]
    assert locations and all(loc.startswith(SITE + "/sitemap-") for loc in locations)
    news = ET.fromstring(client.get("/sitemap-news.xml", HTTP_HOST="localhost").content)
    assert news.findtext("sm:url/sm:loc", namespaces=SITEMAP) == SITE + story.get_absolute_url()
    pages = ET.fromstring(client.get("/sitemap-pages.xml", HTTP_HOST="localhost").content)
    assert pages.findtext("sm:url/sm:loc", namespaces=SITEMAP) == SITE + "/"
    robots = client.get("/robots.txt", HTTP_HOST="localhost").text
    assert f"Sitemap: {SITE}/sitemap.xml" in robots.splitlines()


def site_url_in_fresh_process(**env):
    """settings.SITE_URL as a deployment with `env` would get it (or the start-up error)."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SITE_URL", "ALLOWED_HOSTS", "HTTPS", "DEBUG"}
    }
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            + "print(settings.SITE_URL)",
        ],
        cwd=ROOT,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "ENV_FILE": "",
            "SECRET_KEY": "x" * 60,
            "DEBUG": "false",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return result.stdout.strip() if result.returncode == 0 else result.stderr


def test_site_url_is_configured_or_taken_from_the_first_allowed_host():
    assert site_url_in_fresh_process(SITE_URL="https://news.example.com/") == SITE
    assert (
        site_url_in_fresh_process(
            ALLOWED_HOSTS="news.example.com,www.news.example.com", HTTPS="true"
        )
        == SITE
    )
    assert site_url_in_fresh_process(DEBUG="true") == "http://127.0.0.1:8000"
    # A name the site cannot guess, or an address that is not one, stops it at start-up.
    assert "SITE_URL must be the site's address" in site_url_in_fresh_process(ALLOWED_HOSTS="*")
    assert "SITE_URL must be the site's address" in site_url_in_fresh_process(
        SITE_URL="news.example.com", ALLOWED_HOSTS="news.example.com"
    )


# Tag feeds ---------------------------------------------------------------------------------


def test_a_tag_whose_stories_were_unpublished_keeps_a_valid_empty_feed(client):
    story = make_article(tags=["Elections"])
    assert client.get("/tag/elections/feed/rss/").status_code == 200
    story.status = Article.Status.DRAFT
    story.save()

    for path in ("/tag/elections/feed/rss/", "/tag/elections/feed/atom/"):
        response = client.get(path)
        assert response.status_code == 200, path
        feed = ET.fromstring(response.content)
        assert feed.findall("channel/item") == feed.findall("atom:entry", ATOM) == []
    rss = ET.fromstring(client.get("/tag/elections/feed/rss/").content)
    assert rss.findtext("channel/link") == "http://testserver/tag/elections/"


def test_a_tag_used_only_on_drafts_answers_like_one_that_does_not_exist(client):
    make_article(title="Embargoed", tags=["Secret Merger"], status=Article.Status.DRAFT)

    hidden = client.get("/tag/secret-merger/feed/rss/")
    unknown = client.get("/tag/no-such-tag/feed/rss/")

    assert hidden.status_code == unknown.status_code == 200
    assert hidden.content == unknown.content.replace(b"no-such-tag", b"secret-merger")
    assert b"Secret Merger" not in hidden.content and b"Embargoed" not in hidden.content


# Open Graph image --------------------------------------------------------------------------


def test_every_page_has_an_open_graph_image(client):
    story = make_article(category=make_category(slug="world"), tags=["Trade"])
    Author.objects.create(name="Asel", slug="asel")
    day = timezone.localtime(story.published_at)
    default = "http://testserver/static/img/og-default.png"
    pages = [
        "/",
        "/category/world/",
        "/tag/trade/",
        "/author/asel/",
        "/archive/",
        f"/archive/{day:%Y}/",
        f"/archive/{day:%Y}/{day:%m}/",
        "/about/",
        "/search/?q=story",
        story.get_absolute_url(),
    ]

    for page in pages:
        head = Head(client.get(page).text)
        assert head.one("og:image") == default, page
        assert (head.one("og:image:width"), head.one("og:image:height")) == ("1200", "630")
    assert Head(client.get("/nowhere/").text).one("og:image") == default


def test_the_default_image_is_a_png_of_the_size_declared():
    with Image.open(finders.find("img/og-default.png")) as image:
        assert (image.format, image.size) == ("PNG", (1200, 630))


# Search pages keep their query ------------------------------------------------------------


def test_search_pages_canonical_prev_and_next_keep_the_query_and_filters(client, settings):
    settings.ARTICLES_PER_PAGE = 2
    section = make_category(slug="world")
    for _ in range(5):
        make_article(category=section, title="Tea prices")

    base = "http://testserver/search/?q=tea&category=world"
    head = Head(client.get("/search/?q=tea&category=world&page=2&utm_source=x").text)

    assert head.link("canonical") == head.one("og:url") == base + "&page=2"
    assert head.link("prev") == base
    assert head.link("next") == base + "&page=3"


# robots.txt --------------------------------------------------------------------------------


def test_robots_txt_says_its_charset(client):
    assert client.get("/robots.txt")["Content-Type"] == "text/plain; charset=utf-8"


# Slugs in any script -----------------------------------------------------------------------

KAZAKH_SLUG = "kazakhstan-қазақстан-naive-cafe-東京"


@pytest.fixture
def kazakh_export(tmp_path):
    """The test export, with post 18's slug and address as WordPress writes a slug with
    non-Latin letters: percent-encoded, in small letters."""
    encoded = quote(KAZAKH_SLUG).lower()
    export = (Path(__file__).parent / "fixtures" / "wordpress" / "export.xml").read_text()
    old = "%d0%bd%d0%be%d0%b2%d0%be%d1%81%d1%82%d0%b8-%d0%b4%d0%bd%d1%8f"
    assert export.count(old) == 2  # <link> and <wp:post_name>
    path = tmp_path / "export.xml"
    path.write_text(export.replace(old, encoded))
    return path, f"/2024/03/26/{encoded}/"


def test_wordpress_slugs_with_non_latin_letters_are_kept_and_their_address_works(
    client, kazakh_export
):
    path, old_address = kazakh_export
    call_command("import_wordpress", str(path), verbosity=0)

    story = Article.objects.get(wordpress_id=18)
    assert story.slug == KAZAKH_SLUG
    response = client.get(old_address)
    assert response.status_code == 200
    assert response.context["article"] == story
    assert client.get(story.get_absolute_url()).status_code == 200


def test_a_renamed_story_with_a_unicode_slug_redirects_from_its_old_one(client):
    story = make_article(slug=KAZAKH_SLUG, published_at=datetime(2026, 3, 1, 9, tzinfo=UTC))
    story.slug = "kazakhstan-tokyo-cafe"
    story.save()

    response = client.get(f"/2026/03/01/{quote(KAZAKH_SLUG)}/")

    assert response.status_code == 301
    assert response["Location"] == "/2026/03/01/kazakhstan-tokyo-cafe/"


def test_tags_with_non_latin_letters_have_their_page_and_feeds(client):
    make_article(tags=["Қазақстан"])

    for path in ("/tag/қазақстан/", "/tag/қазақстан/feed/rss/", "/tag/қазақстан/feed/atom/"):
        response = client.get(quote(path))
        assert response.status_code == 200, path
        assert "Қазақстан" in response.content.decode()

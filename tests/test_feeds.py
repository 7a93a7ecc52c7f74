"""RSS and Atom feeds, sitemaps, the Google News sitemap and robots.txt."""

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import About, Article, Author, Byline, Correction

from .factories import image_upload, make_article, make_category

pytestmark = pytest.mark.django_db

NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "dc": "http://purl.org/dc/elements/1.1/",
    "media": "http://search.yahoo.com/mrss/",
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


@pytest.fixture(autouse=True)
def site_name():
    about = About.load()
    about.site_name = "The Meridian"
    about.save()
    return about.site_name


def get_xml(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response, ET.fromstring(response.content)


def rss_items(client, url):
    _, rss = get_xml(client, url)
    return rss.findall("channel/item")


def titles(items):
    return [item.findtext("title") for item in items]


def make_author(name):
    return Author.objects.create(name=name, slug=name.lower().replace(" ", "-"))


def credit(article, *authors):
    for position, author in enumerate(authors):
        Byline.objects.create(article=article, author=author, position=position)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return len(queries)


# Feeds --------------------------------------------------------------------------------------


def test_rss_feed_lists_published_stories_newest_first(client):
    make_article(title="Older", published_at=timezone.now() - timedelta(days=2))
    make_article(title="Newest", published_at=timezone.now() - timedelta(minutes=5))
    make_article(title="Secret draft", status=Article.Status.DRAFT)
    make_article(title="Scheduled scoop", published_at=timezone.now() + timedelta(hours=1))

    response, rss = get_xml(client, "/feeds/rss/")

    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    assert "max-age=300" in response["Cache-Control"]
    channel = rss.find("channel")
    assert channel.findtext("title") == "The Meridian"
    assert channel.findtext("link") == "http://testserver/"
    assert channel.find("atom:link", NS).get("href") == "http://testserver/feeds/rss/"
    assert titles(channel.findall("item")) == ["Newest", "Older"]


def test_rss_item_has_link_guid_summary_date_byline_and_categories(client):
    world = make_category(name="World")
    story = make_article(
        title="Talks & trade",
        standfirst="Ministers <finally> agree.",
        category=world,
        tags=["Trade", "Kazakhstan"],
        published_at=datetime(2026, 1, 5, 9, 30, tzinfo=UTC),
    )
    credit(story, make_author("Asel Nurlanova"), make_author("Tom Reed"))

    [item] = rss_items(client, "/feeds/rss/")

    assert item.findtext("title") == "Talks & trade"
    assert item.findtext("link") == f"http://testserver{story.get_absolute_url()}"
    # The standfirst is text; the description is read as HTML, so it is escaped once more.
    assert item.findtext("description") == "Ministers &lt;finally&gt; agree."
    guid = item.find("guid")
    assert guid.get("isPermaLink") == "false"
    assert guid.text == f"tag:testserver,{story.created_at:%Y-%m-%d}:article-{story.pk}"
    assert parsedate_to_datetime(item.findtext("pubDate")) == story.published_at
    assert item.findtext("dc:creator", namespaces=NS) == "Asel Nurlanova and Tom Reed"
    categories = [category.text for category in item.findall("category")]
    assert categories[0] == "World"
    assert sorted(categories[1:]) == ["Kazakhstan", "Trade"]


def test_guid_survives_a_change_of_slug_and_date(client):
    story = make_article(title="First headline")
    [before] = rss_items(client, "/feeds/rss/")

    story.slug = "a-new-slug"
    story.title = "Second headline"
    story.published_at -= timedelta(days=3)
    story.save()
    [after] = rss_items(client, "/feeds/rss/")

    assert after.findtext("link") != before.findtext("link")
    assert after.findtext("guid") == before.findtext("guid")


def test_feed_holds_the_30_newest_stories(client):
    category = make_category()
    for n in range(32):
        make_article(title=f"Story {n}", category=category)

    assert len(rss_items(client, "/feeds/rss/")) == 30


def test_featured_image_is_an_enclosure_and_media_content(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        story = make_article(
            featured_image=image_upload(size=(2000, 1000)),
            featured_image_alt="Flags",
            featured_image_credit="Photo: A. Nurlanova",
        )
    rendition = f"renditions/{story.featured_image.name}-960.jpg"
    storage = story.featured_image.storage
    url = f"http://testserver{storage.url(rendition)}"

    [item] = rss_items(client, "/feeds/rss/")

    enclosure = item.find("enclosure")
    assert enclosure.attrib == {
        "url": url,
        "length": str(storage.size(rendition)),
        "type": "image/jpeg",
    }
    media = item.find("media:content", NS)
    assert media.get("url") == url
    assert media.get("medium") == "image"
    assert media.get("type") == "image/jpeg"
    assert media.get("width") == "960"
    assert media.get("fileSize") == str(storage.size(rendition))


def test_png_image_whose_renditions_are_not_made_yet_has_length_0(client):
    story = make_article(
        featured_image=image_upload("chart.png", size=(1200, 800), format="PNG"),
        featured_image_alt="A chart",
    )

    [item] = rss_items(client, "/feeds/rss/")

    enclosure = item.find("enclosure")
    assert enclosure.get("url").endswith(f"renditions/{story.featured_image.name}-960.png")
    assert enclosure.get("type") == "image/png"
    assert enclosure.get("length") == "0"
    assert "fileSize" not in item.find("media:content", NS).attrib


def test_stories_without_image_have_no_enclosure(client):
    make_article()

    [item] = rss_items(client, "/feeds/rss/")

    assert item.find("enclosure") is None
    assert item.find("media:content", NS) is None


def test_atom_feed_entries_have_summary_dates_author_and_categories(client):
    story = make_article(
        title="Atom story",
        standfirst="What happened.",
        tags=["Trade"],
        published_at=timezone.now() - timedelta(days=1),
    )
    credit(story, make_author("Asel Nurlanova"))
    correction = Correction.objects.create(article=story, text="A name was misspelt.")
    make_article(title="Without byline", published_at=timezone.now() - timedelta(days=2))

    response, feed = get_xml(client, "/feeds/atom/")

    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert feed.findtext("atom:title", namespaces=NS) == "The Meridian"
    assert feed.findtext("atom:subtitle", namespaces=NS) == About.load().tagline
    # The site stands in as the author of entries without a byline.
    assert feed.findtext("atom:author/atom:name", namespaces=NS) == "The Meridian"
    entry, no_byline = feed.findall("atom:entry", NS)
    assert entry.findtext("atom:title", namespaces=NS) == "Atom story"
    assert entry.find("atom:link[@rel='alternate']", NS).get("href") == (
        f"http://testserver{story.get_absolute_url()}"
    )
    assert entry.findtext("atom:id", namespaces=NS).endswith(f":article-{story.pk}")
    summary = entry.find("atom:summary", NS)
    assert (summary.get("type"), summary.text) == ("html", "What happened.")
    assert entry.findtext("atom:author/atom:name", namespaces=NS) == "Asel Nurlanova"
    published = datetime.fromisoformat(entry.findtext("atom:published", namespaces=NS))
    updated = datetime.fromisoformat(entry.findtext("atom:updated", namespaces=NS))
    assert (published, updated) == (story.published_at, correction.created_at)
    terms = [category.get("term") for category in entry.findall("atom:category", NS)]
    assert terms == [story.category.name, "Trade"]
    assert no_byline.find("atom:author", NS) is None
    updated = datetime.fromisoformat(no_byline.findtext("atom:updated", namespaces=NS))
    assert updated == Article.objects.get(title="Without byline").published_at


def test_atom_feed_links_the_featured_image(client):
    story = make_article(featured_image=image_upload(size=(640, 360)), featured_image_alt="A")

    _, feed = get_xml(client, "/feeds/atom/")

    entry = feed.find("atom:entry", NS)
    enclosure = entry.find("atom:link[@rel='enclosure']", NS)
    assert enclosure.get("href").endswith(f"{story.featured_image.name}-640.jpg")
    assert enclosure.get("type") == "image/jpeg"
    assert entry.find("media:content", NS).get("width") == "640"


def test_category_feeds_hold_only_that_categorys_stories(client):
    world, sport = make_category(name="World"), make_category(name="Sport")
    make_article(title="World story", category=world)
    make_article(title="Sport story", category=sport)
    make_article(title="World draft", category=world, status=Article.Status.DRAFT)

    _, rss = get_xml(client, f"/category/{world.slug}/feed/rss/")
    _, atom = get_xml(client, f"/category/{world.slug}/feed/atom/")

    channel = rss.find("channel")
    assert channel.findtext("title") == "The Meridian — World"
    assert channel.findtext("link") == f"http://testserver{world.get_absolute_url()}"
    assert titles(channel.findall("item")) == ["World story"]
    assert atom.findtext("atom:title", namespaces=NS) == "The Meridian — World"
    entries = atom.findall("atom:entry", NS)
    assert [entry.findtext("atom:title", namespaces=NS) for entry in entries] == ["World story"]


def test_tag_feed_holds_only_that_tags_published_stories(client):
    make_article(title="About trade", tags=["Trade"])
    make_article(title="About sport", tags=["Sport"])
    make_article(title="Trade draft", tags=["Trade"], status=Article.Status.DRAFT)

    _, rss = get_xml(client, "/tag/trade/feed/rss/")

    assert rss.findtext("channel/title") == "The Meridian — Trade"
    assert rss.findtext("channel/link") == "http://testserver/tag/trade/"
    assert titles(rss.findall("channel/item")) == ["About trade"]
    assert client.get("/tag/trade/feed/atom/").status_code == 200


def test_author_feed_holds_only_that_authors_stories(client):
    asel, tom = make_author("Asel Nurlanova"), make_author("Tom Reed")
    credit(make_article(title="By Asel"), asel)
    credit(make_article(title="By both"), tom, asel)
    credit(make_article(title="By Tom"), tom)

    _, rss = get_xml(client, f"/author/{asel.slug}/feed/rss/")

    assert rss.findtext("channel/title") == "The Meridian — Asel Nurlanova"
    assert sorted(titles(rss.findall("channel/item"))) == ["By Asel", "By both"]
    assert client.get(f"/author/{asel.slug}/feed/atom/").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/category/no-such-section/feed/rss/",
        "/category/no-such-section/feed/atom/",
        "/author/nobody/feed/atom/",
    ],
)
def test_feeds_of_unknown_sections_and_authors_are_404(client, path):
    # Tags answer alike, known or not: see test_standards.py.
    assert client.get(path).status_code == 404


def fill_site(count):
    """`count` published stories with everything a feed shows; returns their section,
    tag and author."""
    category = make_category()
    author = make_author(f"Writer {count}")
    for n in range(count):
        story = make_article(
            category=category,
            tags=["Trade", f"Topic {n}"],
            featured_image=image_upload(),
            featured_image_alt="A",
        )
        credit(story, author)
        Correction.objects.create(article=story, text="Fixed.")
    return category, author


@pytest.mark.parametrize("kind", ["site", "category", "tag", "author"])
@pytest.mark.parametrize("feed_format", ["rss", "atom"])
def test_feeds_run_the_same_queries_for_3_or_25_stories(client, kind, feed_format):
    counts = []
    for count in (3, 25):
        Article.objects.all().delete()
        category, author = fill_site(count)
        prefix = {
            "site": "/feeds",
            "category": f"/category/{category.slug}/feed",
            "tag": "/tag/trade/feed",
            "author": f"/author/{author.slug}/feed",
        }[kind]
        counts.append(count_queries(client, f"{prefix}/{feed_format}/"))

    assert counts[0] == counts[1]


# Autodiscovery ------------------------------------------------------------------------------


def test_every_page_links_the_site_feeds(client):
    page = client.get("/").text

    assert (
        '<link rel="alternate" type="application/rss+xml" title="The Meridian" '
        'href="/feeds/rss/">' in page
    )
    assert (
        '<link rel="alternate" type="application/atom+xml" title="The Meridian (Atom)" '
        'href="/feeds/atom/">' in page
    )


def test_category_tag_and_author_pages_link_their_own_feeds_first(client):
    world = make_category(name="World", slug="world")
    asel = make_author("Asel Nurlanova")
    credit(make_article(category=world, tags=["Trade"]), asel)

    for path, title, feed in [
        ("/category/world/", "World", "/category/world/feed/"),
        ("/tag/trade/", "Trade", "/tag/trade/feed/"),
        ("/author/asel-nurlanova/", "Asel Nurlanova", "/author/asel-nurlanova/feed/"),
    ]:
        page = client.get(path).text
        own_rss = (
            f'<link rel="alternate" type="application/rss+xml" title="The Meridian — {title}" '
            f'href="{feed}rss/">'
        )
        own_atom = (
            '<link rel="alternate" type="application/atom+xml" '
            f'title="The Meridian — {title} (Atom)" href="{feed}atom/">'
        )
        assert own_rss in page and own_atom in page, path
        assert page.index(own_rss) < page.index('href="/feeds/rss/"'), path


# Sitemaps -----------------------------------------------------------------------------------


def locations(urlset):
    return [url.findtext("sm:loc", namespaces=NS) for url in urlset.findall("sm:url", NS)]


def lastmods(urlset):
    return {
        url.findtext("sm:loc", namespaces=NS): url.findtext("sm:lastmod", namespaces=NS)
        for url in urlset.findall("sm:url", NS)
    }


def test_sitemap_index_lists_the_sections_and_a_sitemap_per_month(client):
    make_article(published_at=datetime(2025, 11, 3, 12, tzinfo=UTC))
    make_article(published_at=datetime(2025, 11, 20, 12, tzinfo=UTC))
    make_article(published_at=datetime(2026, 1, 2, 12, tzinfo=UTC))
    make_article(published_at=datetime(2025, 12, 2, 12, tzinfo=UTC), status="draft")

    response, index = get_xml(client, "/sitemap.xml")

    assert response["Content-Type"] == "application/xml"
    sitemaps = {
        sitemap.findtext("sm:loc", namespaces=NS): sitemap.findtext("sm:lastmod", namespaces=NS)
        for sitemap in index.findall("sm:sitemap", NS)
    }
    assert set(sitemaps) == {
        f"http://testserver/sitemap-{section}.xml"
        for section in (
            "pages",
            "news",
            "categories",
            "tags",
            "authors",
            "articles-2026-01",
            "articles-2025-11",
        )
    }
    assert sitemaps["http://testserver/sitemap-articles-2025-11.xml"].startswith("2025-11-20")


def test_month_sitemap_lists_that_months_stories_with_lastmod(client):
    early = make_article(published_at=datetime(2025, 11, 1, 0, 30, tzinfo=UTC))
    late = make_article(published_at=datetime(2025, 11, 30, 23, 30, tzinfo=UTC))
    Correction.objects.create(
        article=late, text="Fixed.", created_at=datetime(2025, 12, 4, 8, tzinfo=UTC)
    )
    make_article(published_at=datetime(2025, 12, 1, 0, 0, tzinfo=UTC))
    make_article(published_at=datetime(2025, 11, 15, tzinfo=UTC), status="review")

    _, urlset = get_xml(client, "/sitemap-articles-2025-11.xml")

    assert lastmods(urlset) == {
        f"http://testserver{late.get_absolute_url()}": "2025-12-04",
        f"http://testserver{early.get_absolute_url()}": "2025-11-01",
    }


def test_category_tag_and_author_sitemaps_list_those_with_published_stories(client):
    make_category(name="Empty")
    world = make_category(name="World")
    make_author("Idle Writer")
    asel = make_author("Asel Nurlanova")
    story = make_article(
        category=world, tags=["Trade"], published_at=datetime(2026, 2, 1, tzinfo=UTC)
    )
    credit(story, asel)
    credit(make_article(category=world, tags=["Trade", "Secret"], status="draft"), asel)

    for section, expected in [
        ("categories", {f"http://testserver{world.get_absolute_url()}": "2026-02-01"}),
        ("tags", {"http://testserver/tag/trade/": "2026-02-01"}),
        ("authors", {f"http://testserver{asel.get_absolute_url()}": "2026-02-01"}),
    ]:
        _, urlset = get_xml(client, f"/sitemap-{section}.xml")
        assert lastmods(urlset) == expected, section


def test_pages_sitemap_lists_front_archive_and_about_pages(client):
    make_article(published_at=datetime(2026, 2, 1, tzinfo=UTC))

    _, urlset = get_xml(client, "/sitemap-pages.xml")

    dates = lastmods(urlset)
    assert list(dates) == [
        "http://testserver/",
        "http://testserver/archive/",
        "http://testserver/about/",
    ]
    assert dates["http://testserver/"] == "2026-02-01"
    assert dates["http://testserver/about/"] == f"{About.load().updated_at:%Y-%m-%d}"


def test_news_sitemap_lists_the_last_48_hours_with_news_fields(client):
    now = timezone.now()
    fresh = make_article(title="Fresh & new", published_at=now - timedelta(hours=47))
    make_article(title="Two days old", published_at=now - timedelta(hours=49))
    make_article(title="Scheduled", published_at=now + timedelta(hours=1))
    make_article(title="Draft", published_at=now - timedelta(hours=1), status="draft")

    response, urlset = get_xml(client, "/sitemap-news.xml")

    assert response["Content-Type"] == "application/xml"
    assert "max-age=300" in response["Cache-Control"]
    [url] = urlset.findall("sm:url", NS)
    assert url.findtext("sm:loc", namespaces=NS) == f"http://testserver{fresh.get_absolute_url()}"
    news = url.find("news:news", NS)
    assert news.findtext("news:publication/news:name", namespaces=NS) == "The Meridian"
    assert news.findtext("news:publication/news:language", namespaces=NS) == "en"
    published = datetime.fromisoformat(news.findtext("news:publication_date", namespaces=NS))
    assert published == fresh.published_at
    assert news.findtext("news:title", namespaces=NS) == "Fresh & new"


def test_news_sitemap_follows_the_clock(client, monkeypatch):
    story = make_article(published_at=timezone.now() - timedelta(hours=1))
    _, urlset = get_xml(client, "/sitemap-news.xml")
    assert len(urlset.findall("sm:url", NS)) == 1

    later = timezone.now() + timedelta(days=2)
    monkeypatch.setattr(timezone, "now", lambda: later)

    _, urlset = get_xml(client, "/sitemap-news.xml")
    assert urlset.findall("sm:url", NS) == []
    assert story.is_public


@pytest.mark.parametrize(
    "path",
    [
        "/sitemap-nothing.xml",
        "/sitemap-articles-2019-01.xml",
        "/sitemap-articles-2025-11.xml?p=2",
        "/sitemap-articles-2025-11.xml?p=0",
        "/sitemap-articles-2025-11.xml?p=x",
        "/sitemap-news.xml?p=2",
        "/sitemap-tags.xml?p=2",
    ],
)
def test_bad_sitemap_addresses_are_404(client, path):
    make_article(published_at=datetime(2025, 11, 3, tzinfo=UTC))

    assert client.get(path).status_code == 404


def fill_months(count):
    category = make_category()
    author = make_author(f"Writer {count}")
    for n in range(count):
        month = datetime(2024 + n // 12, n % 12 + 1, 10, tzinfo=UTC)
        story = make_article(category=category, tags=[f"Topic {n}"], published_at=month)
        credit(story, make_author(f"Writer {count}-{n}"), author)
        Correction.objects.create(article=story, text="Fixed.", created_at=month)
        make_article(category=category, published_at=month + timedelta(days=1))
        make_article(published_at=timezone.now() - timedelta(hours=n))


@pytest.mark.parametrize(
    "path",
    [
        "/sitemap.xml",
        "/sitemap-articles-2024-01.xml",
        "/sitemap-news.xml",
        "/sitemap-pages.xml",
        "/sitemap-categories.xml",
        "/sitemap-tags.xml",
        "/sitemap-authors.xml",
    ],
)
def test_sitemaps_run_the_same_queries_for_3_or_25_months(client, path):
    counts = []
    for count in (3, 25):
        Article.objects.all().delete()
        fill_months(count)
        counts.append(count_queries(client, path))

    assert counts[0] == counts[1]


# robots.txt ---------------------------------------------------------------------------------


def test_robots_txt_allows_public_pages_and_names_the_sitemap_index(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.text.splitlines()
    assert "User-agent: *" in lines
    assert {"Disallow: /admin/", "Disallow: /preview/", "Disallow: /search/"} <= set(lines)
    assert "Disallow: /" not in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_robots_txt_names_the_sitemap_at_the_canonical_address(client, settings):
    settings.SITE_URL = "https://news.example.com"
    response = client.get("/robots.txt", HTTP_HOST="localhost")

    assert "Sitemap: https://news.example.com/sitemap.xml" in response.text.splitlines()

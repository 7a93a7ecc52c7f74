"""What search engines and link previews read: titles, descriptions, canonical addresses,
Open Graph and Twitter tags, JSON-LD (schema.org) blocks."""

import json
from datetime import datetime, timedelta
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from articles.models import About, Author, Byline, Correction

from .factories import image_upload, make_article, make_category

pytestmark = pytest.mark.django_db

UTC = ZoneInfo("UTC")
PER_PAGE = 20  # settings.ARTICLES_PER_PAGE


class Head(HTMLParser):
    """The <head> of a page: its title, meta tags, links and JSON-LD blocks."""

    def __init__(self, html):
        super().__init__()
        self.title, self.meta, self.links, self.json_ld = "", {}, {}, []
        self._in = None
        self.feed(html.split("</head>")[0])

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and "content" in attrs:
            key = attrs.get("property") or attrs.get("name")
            self.meta.setdefault(key, []).append(attrs["content"])
        elif tag == "link":
            self.links.setdefault(attrs["rel"], []).append(attrs["href"])
        elif tag == "title" or (tag == "script" and attrs.get("type") == "application/ld+json"):
            self._in = tag

    def handle_data(self, data):
        if self._in == "title":
            self.title += data
        elif self._in == "script":
            self.json_ld.append(json.loads(data))

    def handle_endtag(self, tag):
        self._in = None

    def one(self, key):
        (value,) = self.meta[key]
        return value

    def link(self, rel):
        (href,) = self.links[rel]
        return href

    def block(self, schema_type):
        (data,) = [block for block in self.json_ld if block["@type"] == schema_type]
        assert data["@context"] == "https://schema.org"
        return data


def head(client, path, status=200):
    response = client.get(path)
    assert response.status_code == status
    return Head(response.text)


def test_article_is_a_news_article_in_json_ld(client):
    world = make_category(name="World")
    asel = Author.objects.create(name="Asel Nurlanova", slug="asel-nurlanova")
    tom = Author.objects.create(name="Tom Reed", slug="tom-reed")
    story = make_article(
        category=world,
        title="Kazakhstan joins the Abraham Accords",
        standfirst="Astana signs up.",
        tags=["Kazakhstan", "Diplomacy"],
        featured_image=image_upload(size=(2000, 1000)),
        featured_image_alt="Flags outside a ministry",
        published_at=datetime(2026, 11, 27, 9, tzinfo=UTC),
    )
    Byline.objects.create(article=story, author=asel, position=0)
    Byline.objects.create(article=story, author=tom, position=1)
    Correction.objects.create(
        article=story,
        kind="update",
        text="Adds a reaction.",
        created_at=datetime(2026, 11, 27, 12, tzinfo=UTC),
    )

    data = head(client, story.get_absolute_url()).block("NewsArticle")

    # What Google's Article documentation asks for, and the publisher: the description,
    # address, section and tags are said once, by the <head>'s own tags
    # (test_article_has_open_graph_and_twitter_card_tags).
    assert set(data) == {
        "@context",
        "@type",
        "headline",
        "image",
        "datePublished",
        "dateModified",
        "author",
        "publisher",
    }
    assert data["headline"] == "Kazakhstan joins the Abraham Accords"
    assert data["image"] == [
        f"http://testserver/media/renditions/{story.featured_image.name}-1600.jpg"
    ]
    assert data["datePublished"] == "2026-11-27T09:00:00+00:00"
    assert data["dateModified"] == "2026-11-27T12:00:00+00:00"
    assert data["author"] == [
        {
            "@type": "Person",
            "name": "Asel Nurlanova",
            "url": "http://testserver/author/asel-nurlanova/",
        },
        {"@type": "Person", "name": "Tom Reed", "url": "http://testserver/author/tom-reed/"},
    ]
    assert data["publisher"]["@type"] == "Organization"
    assert data["publisher"]["name"] == "Newsroom"
    assert data["publisher"]["logo"] == {
        "@type": "ImageObject",
        "url": "http://testserver/static/logo.png",
        "width": 600,
        "height": 60,
    }


def test_the_publisher_logo_is_a_png_of_the_size_declared():
    with Image.open(finders.find("logo.png")) as logo:
        assert (logo.format, logo.size) == ("PNG", (600, 60))


def test_unchanged_story_was_modified_when_published(client):
    story = make_article(published_at=datetime(2026, 3, 5, 8, 30, tzinfo=UTC))

    data = head(client, story.get_absolute_url()).block("NewsArticle")

    assert data["dateModified"] == data["datePublished"] == "2026-03-05T08:30:00+00:00"
    assert "image" not in data


def test_free_text_byline_is_the_author(client):
    story = make_article(byline="By our Central Asia correspondent")
    Byline.objects.create(
        article=story, author=Author.objects.create(name="Hidden Name", slug="hidden")
    )

    data = head(client, story.get_absolute_url()).block("NewsArticle")

    assert data["author"] == [{"@type": "Person", "name": "By our Central Asia correspondent"}]


def test_unsigned_story_is_credited_to_the_publisher(client):
    story = make_article()

    data = head(client, story.get_absolute_url()).block("NewsArticle")

    assert data["author"] == [data["publisher"]]


def test_article_and_section_pages_have_breadcrumbs(client):
    world = make_category(name="World", slug="world")
    story = make_article(category=world, title="A story")

    article_trail = head(client, story.get_absolute_url()).block("BreadcrumbList")
    section_trail = head(client, world.get_absolute_url()).block("BreadcrumbList")

    assert article_trail["itemListElement"] == [
        {"@type": "ListItem", "position": 1, "name": "Home", "item": "http://testserver/"},
        {
            "@type": "ListItem",
            "position": 2,
            "name": "World",
            "item": "http://testserver/category/world/",
        },
        # The page itself: Google needs no address for the last step.
        {"@type": "ListItem", "position": 3, "name": "A story"},
    ]
    assert section_trail["itemListElement"] == [
        article_trail["itemListElement"][0],
        {"@type": "ListItem", "position": 2, "name": "World"},
    ]


def test_front_page_describes_the_website_and_its_search(client):
    about = About.load()
    about.site_name = "The Meridian"
    about.save()

    data = head(client, "/").block("WebSite")

    assert data["name"] == "The Meridian"
    assert data["url"] == "http://testserver/"
    action = data["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["target"] == {
        "@type": "EntryPoint",
        "urlTemplate": "http://testserver/search/?q={search_term_string}",
    }
    assert action["query-input"] == "required name=search_term_string"


def test_a_headline_cannot_break_out_of_the_json_ld(client):
    headline = 'Bad </script><script>alert("x")</script> & <!-- more'
    story = make_article(
        title=headline, byline="</SCRIPT>", category=make_category(name="</script>")
    )

    page = client.get(story.get_absolute_url()).text

    assert "<script>alert" not in page
    assert "</SCRIPT>" not in page
    # Every script element is data, or the site's own file: none came from the text.
    for script in page.split("<script")[1:]:
        opening = script.split(">")[0]
        assert 'type="application/ld+json"' in opening or ' src="/' in opening
    data = Head(page).block("NewsArticle")
    assert data["headline"] == headline
    assert data["author"] == [{"@type": "Person", "name": "</SCRIPT>"}]
    assert Head(page).block("BreadcrumbList")["itemListElement"][1]["name"] == "</script>"


def test_article_has_open_graph_and_twitter_card_tags(client):
    world = make_category(name="World")
    story = make_article(
        category=world,
        title="Kazakhstan joins the Abraham Accords",
        standfirst="Astana signs up.",
        tags=["Kazakhstan", "Diplomacy"],
        featured_image=image_upload(size=(2000, 1000)),
        featured_image_alt="Flags outside a ministry",
        published_at=datetime(2026, 11, 27, 9, tzinfo=UTC),
    )
    url = "http://testserver" + story.get_absolute_url()

    tags = head(client, story.get_absolute_url())

    assert tags.link("canonical") == url
    assert tags.one("og:url") == url
    assert tags.one("og:type") == "article"
    assert tags.one("og:site_name") == "Newsroom"
    assert tags.one("og:title") == "Kazakhstan joins the Abraham Accords"
    assert tags.one("og:description") == tags.one("description") == "Astana signs up."
    assert tags.one("og:image") == (
        f"http://testserver/media/renditions/{story.featured_image.name}-1600.jpg"
    )
    assert (tags.one("og:image:width"), tags.one("og:image:height")) == ("1600", "800")
    assert tags.one("og:image:alt") == "Flags outside a ministry"
    assert tags.one("article:published_time").startswith("2026-11-27T09:00:00")
    assert tags.one("article:modified_time").startswith("2026-11-27T09:00:00")
    assert tags.one("article:section") == "World"
    assert tags.meta["article:tag"] == ["Kazakhstan", "Diplomacy"]
    assert tags.one("twitter:card") == "summary_large_image"
    assert tags.one("twitter:image:alt") == "Flags outside a ministry"


def test_og_image_is_never_wider_than_the_original(client):
    story = make_article(featured_image=image_upload(size=(1200, 900)), featured_image_alt="A")

    tags = head(client, story.get_absolute_url())

    assert tags.one("og:image").endswith("-1200.jpg")
    assert (tags.one("og:image:width"), tags.one("og:image:height")) == ("1200", "900")


def test_article_without_image_has_a_summary_card_and_the_default_image(client):
    story = make_article()

    tags = head(client, story.get_absolute_url())

    assert tags.one("og:image") == "http://testserver/static/img/og-default.png"
    assert "og:image:alt" not in tags.meta
    assert tags.one("twitter:card") == "summary"


def test_canonical_leaves_out_other_query_parameters(client):
    story = make_article()

    tags = head(client, story.get_absolute_url() + "?utm_source=feed&replyto=3")

    assert tags.link("canonical") == "http://testserver" + story.get_absolute_url()


def test_paginated_pages_canonicalise_to_themselves_with_prev_and_next(client):
    section = make_category(slug="science")
    for _ in range(2 * PER_PAGE + 1):
        make_article(category=section)
    base = "http://testserver/category/science/"

    first = head(client, "/category/science/?utm_campaign=x")
    also_first = head(client, "/category/science/?page=1")
    second = head(client, "/category/science/?page=2")
    last = head(client, "/category/science/?page=3")

    assert first.link("canonical") == also_first.link("canonical") == base
    assert "prev" not in first.links
    assert first.link("next") == base + "?page=2"
    assert second.link("canonical") == second.one("og:url") == base + "?page=2"
    assert second.link("prev") == base
    assert second.link("next") == base + "?page=3"
    assert last.link("canonical") == base + "?page=3"
    assert last.link("prev") == base + "?page=2"
    assert "next" not in last.links


def test_unpaginated_list_has_no_prev_or_next(client):
    section = make_category(slug="culture")
    make_article(category=section)

    tags = head(client, "/category/culture/")

    assert "prev" not in tags.links and "next" not in tags.links


@pytest.fixture
def site():
    """One story of each kind a page needs, at fixed dates."""
    about = About.load()
    about.site_name = "The Meridian"
    about.summary = "An independent newsroom in Almaty."
    about.save()
    world = make_category(name="World", slug="world", description="News from abroad.")
    author = Author.objects.create(name="Asel Nurlanova", slug="asel", bio="Our correspondent.")
    story = make_article(
        category=world,
        title="The story",
        slug="story-slug",
        standfirst="What happened.",
        tags=["Central Asia"],
        published_at=datetime(2025, 3, 9, 10, tzinfo=UTC),
    )
    Byline.objects.create(article=story, author=author)
    return story


PAGES = [
    # (path, title, description)
    ("/", "The Meridian — News, plainly told", "An independent newsroom in Almaty."),
    ("/2025/03/09/story-slug/", "The story — The Meridian", "What happened."),
    ("/category/world/", "World — The Meridian", "News from abroad."),
    ("/tag/central-asia/", "Central Asia — The Meridian", "Stories about Central Asia"),
    ("/author/asel/", "Asel Nurlanova — The Meridian", "Our correspondent."),
    ("/archive/", "Articles Archive — The Meridian", "Every story The Meridian has published"),
    ("/archive/2025/", "2025 — Articles Archive — The Meridian", "published in 2025."),
    ("/archive/2025/03/", "March 2025 — Articles Archive — The Meridian", "in March 2025."),
    ("/about/", "About The Meridian", "An independent newsroom in Almaty."),
]


@pytest.mark.parametrize(("path", "title", "description"), PAGES)
def test_every_page_has_title_description_canonical_and_social_tags(
    client, site, path, title, description
):
    tags = head(client, path)

    assert tags.title == title
    assert description in tags.one("description")
    assert tags.link("canonical") == "http://testserver" + path
    assert tags.one("og:url") == tags.link("canonical")
    assert tags.one("og:site_name") == "The Meridian"
    assert tags.one("og:type") in {"website", "article"}
    assert tags.one("og:title")
    assert tags.one("og:description") == tags.one("description")
    assert tags.one("twitter:card") in {"summary", "summary_large_image"}


def test_titles_differ_between_pages_of_a_list(client):
    section = make_category(name="Science", slug="science")
    for _ in range(PER_PAGE + 1):
        make_article(category=section)

    assert head(client, "/category/science/?page=2").title.startswith("Science — page 2 — ")


def test_not_found_page_has_a_title_and_description(client):
    tags = head(client, "/nowhere/", status=404)

    assert tags.title == "Page not found — Newsroom"
    assert tags.one("description")


def test_staff_preview_of_a_draft_is_not_indexed(client, admin_client):
    story = make_article(status="draft", published_at=timezone.now() - timedelta(days=1))

    tags = head(admin_client, reverse("articles:preview", args=[story.pk]))

    assert tags.one("robots") == "noindex"


def test_search_page_canonicalises_to_its_query_without_other_parameters(client):
    tags = head(client, "/search/?q=tea&utm_source=x")

    assert tags.title
    assert tags.one("description")
    assert tags.link("canonical") == "http://testserver/search/?q=tea"

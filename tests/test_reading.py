"""Around the story: related stories, previous and next in its section, reading time,
share links, the masthead search box and the printed page."""

import re
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article

from .factories import image_upload, make_article, make_category

pytestmark = pytest.mark.django_db


class Elements(HTMLParser):
    """Every start tag of a page as (tag, attributes), with the text of each <a> and <label>."""

    def __init__(self, html):
        super().__init__()
        self.tags, self._open = [], []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        element = (tag, {**dict(attrs), "text": ""})
        self.tags.append(element)
        if tag in ("a", "label", "button"):
            self._open.append(element)

    def handle_data(self, data):
        for _, attrs in self._open:
            attrs["text"] += data

    def handle_endtag(self, tag):
        if self._open and self._open[-1][0] == tag:
            self._open.pop()

    def find(self, tag, **attrs):
        return [
            a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())
        ]


def ago(hours):
    return timezone.now() - timedelta(hours=hours)


# Related stories


def test_related_stories_rank_by_shared_tags_then_section():
    world, sport = make_category(), make_category()
    story = make_article(category=world, tags=["Trade", "Kazakhstan", "China"])
    three = make_article(
        category=sport, tags=["Trade", "Kazakhstan", "China"], published_at=ago(50)
    )
    two = make_article(category=sport, tags=["Trade", "China", "Cotton"], published_at=ago(40))
    one_same_section = make_article(category=world, tags=["Trade"], published_at=ago(30))
    one_elsewhere = make_article(category=sport, tags=["China"], published_at=ago(2))
    make_article(category=world, published_at=ago(1))  # same section, no shared tag: fifth
    make_article(category=sport, tags=["Cotton"])  # nothing in common

    related = list(Article.objects.published().related_to(story)[:4])

    assert related == [three, two, one_same_section, one_elsewhere]
    assert [s.shared_tags for s in related] == [3, 2, 1, 1]


def test_related_stories_fill_up_from_the_same_section():
    world, sport = make_category(), make_category()
    story = make_article(category=world, tags=["Trade"])
    tagged = make_article(category=sport, tags=["Trade"], published_at=ago(90))
    newer = make_article(category=world, published_at=ago(5))
    older = make_article(category=world, published_at=ago(10))
    make_article(category=sport)

    assert list(Article.objects.published().related_to(story)) == [tagged, newer, older]


def test_story_without_tags_is_related_to_its_section():
    world = make_category()
    story = make_article(category=world)
    neighbour = make_article(category=world)
    make_article(tags=["Trade"])

    assert list(Article.objects.published().related_to(story)) == [neighbour]


def test_related_stories_never_include_the_story_or_unpublished_ones(client):
    world = make_category()
    story = make_article(category=world, tags=["Trade"])
    make_article(category=world, tags=["Trade"], status=Article.Status.DRAFT, title="Draft")
    make_article(category=world, tags=["Trade"], status=Article.Status.REVIEW, title="Review")
    make_article(category=world, tags=["Trade"], published_at=ago(-24), title="Scheduled")
    public = make_article(category=world, tags=["Trade"], title="Public")

    response = client.get(story.get_absolute_url())

    assert list(response.context["related"]) == [public]
    related = response.text.split('id="related-title"')[1].split("</section>")[0]
    assert "Public" in related
    assert story.title not in related


def test_article_page_shows_four_related_stories(client):
    world = make_category()
    story = make_article(category=world, tags=["Trade"])
    for _ in range(6):
        make_article(category=world, tags=["Trade"])

    response = client.get(story.get_absolute_url())

    assert len(response.context["related"]) == 4
    related = response.text.split('id="related-title"')[1].split("</section>")[0]
    assert related.count("<li><a href=") == 4


def test_story_without_related_stories_shows_no_empty_block(client):
    story = make_article()

    assert "Related stories" not in client.get(story.get_absolute_url()).text


# Previous and next in the section


def test_previous_and_next_story_in_the_same_section(client):
    world, sport = make_category(name="World"), make_category()
    oldest = make_article(category=world, title="Oldest", published_at=ago(50))
    make_article(category=sport, published_at=ago(45))  # another section
    middle = make_article(category=world, title="Middle", published_at=ago(40))
    make_article(category=world, status=Article.Status.DRAFT, published_at=ago(35))
    newest = make_article(category=world, title="Newest", published_at=ago(30))
    make_article(category=world, published_at=ago(-5))  # scheduled

    middle_page = client.get(middle.get_absolute_url())
    oldest_page = client.get(oldest.get_absolute_url())
    newest_page = client.get(newest.get_absolute_url())

    assert middle_page.context["previous_story"] == oldest
    assert middle_page.context["next_story"] == newest
    assert oldest_page.context["previous_story"] is None
    assert oldest_page.context["next_story"] == middle
    assert newest_page.context["next_story"] is None
    nav = Elements(middle_page.text)
    (navigation,) = nav.find("nav", **{"class": "story-nav"})
    assert navigation["aria-label"] == "More in World"
    (previous,) = nav.find("a", **{"class": "story-nav__previous"})
    (following,) = nav.find("a", **{"class": "story-nav__next"})
    assert previous["href"] == oldest.get_absolute_url()
    assert previous["text"].split() == ["←", "Previous", "in", "World", "Oldest"]
    assert following["href"] == newest.get_absolute_url()
    assert following["text"].split() == ["Next", "in", "World", "→", "Newest"]


def test_stories_published_at_the_same_time_follow_each_other_by_id(client):
    world = make_category()
    moment = ago(3)
    first, second, third = (make_article(category=world, published_at=moment) for _ in range(3))

    context = client.get(second.get_absolute_url()).context

    assert (context["previous_story"], context["next_story"]) == (first, third)


def test_only_story_of_its_section_has_no_previous_or_next(client):
    story = make_article()

    assert 'class="story-nav"' not in client.get(story.get_absolute_url()).text


# Reading time


@pytest.mark.parametrize(
    ("body", "minutes"),
    [
        ("", 1),
        ("<p>Short.</p>", 1),
        ("<p>" + "word " * 920 + "</p>", 4),
        ("<p>" + "word " * 1000 + "</p>", 4),
        ("<p>" + "word " * 1100 + "</p>", 5),
        # Markup is not read: 460 words in 460 paragraphs, each with a link and emphasis.
        ('<p><a href="https://example.com/a/long/path"><em>word</em></a></p>' * 460, 2),
    ],
)
def test_reading_time_at_230_words_a_minute(body, minutes):
    assert Article(body=body).reading_time == minutes


def test_words_either_side_of_a_tag_are_two_words():
    assert Article(body="<p>end</p><p>start</p>" * 345).reading_time == 3  # 690 words


def test_article_page_shows_reading_time_and_update(client):
    story = make_article(body="<p>" + "word " * 920 + "</p>")
    story.corrections.create(kind="update", text="Adds a reaction.")

    page = client.get(story.get_absolute_url()).text

    assert '<span class="reading-time">4 min read</span>' in page
    assert "Updated <time" in page


# Share links

SHARE_SERVICES = {
    "Share by Email": ("mailto", "", ""),
    "Share on X": ("https", "x.com", "/intent/tweet"),
    "Share on Facebook": ("https", "www.facebook.com", "/sharer/sharer.php"),
    "Share on LinkedIn": ("https", "www.linkedin.com", "/sharing/share-offsite/"),
    "Share on WhatsApp": ("https", "wa.me", "/"),
}


def share_links(page):
    section = page.split('<section class="share"')[1].split("</section>")[0]
    return {" ".join(a["text"].split()): a for a in Elements(section).find("a")}


def test_share_links_are_plain_links_with_the_story(client):
    story = make_article(title="Tea & trade: a “deal”", slug="tea-and-trade")
    url = f"http://testserver/s/{story.pk}/"  # The story's short address, five times.

    links = share_links(client.get(story.get_absolute_url()).text)

    assert set(links) == set(SHARE_SERVICES)
    for name, (scheme, host, path) in SHARE_SERVICES.items():
        href = urlsplit(links[name]["href"])
        assert (href.scheme, href.netloc, href.path) == (scheme, host, path), name
        assert links[name]["rel"] == "noopener noreferrer", name
    query = {name: parse_qs(urlsplit(a["href"]).query) for name, a in links.items()}
    assert query["Share by Email"] == {"subject": [story.title], "body": [url]}
    assert "+" not in links["Share by Email"]["href"]  # mail programs show a + as a +
    assert query["Share on X"] == {"text": [story.title], "url": [url]}
    assert query["Share on Facebook"] == {"u": [url]}
    assert query["Share on LinkedIn"] == {"url": [url]}
    assert query["Share on WhatsApp"] == {"text": [f"{story.title} {url}"]}


def test_a_storys_short_address_leads_readers_to_the_story_and_only_a_public_one(client):
    story = make_article(slug="tea-and-trade")
    draft = make_article(status=Article.Status.DRAFT)
    scheduled = make_article(published_at=timezone.now() + timedelta(days=1))

    response = client.get(f"/s/{story.pk}/")

    assert response.status_code == 301
    assert response["Location"] == story.get_absolute_url()
    for hidden in (f"/s/{draft.pk}/", f"/s/{scheduled.pk}/", "/s/987654/", "/s/" + "9" * 30 + "/"):
        assert client.get(hidden).status_code == 404, hidden


def test_share_links_have_accessible_names_with_their_visible_label(client):
    story = make_article()

    page = client.get(story.get_absolute_url()).text

    assert (
        '<span class="visually-hidden">Share on </span>Facebook</a>' in page
    )  # the name contains what sighted readers see


def test_article_page_loads_nothing_from_other_sites(client):
    story = make_article(featured_image=image_upload(), featured_image_alt="A picture")

    page = Elements(client.get(story.get_absolute_url()).text)

    assert not page.find("iframe") and not page.find("embed") and not page.find("object")
    for tag, attrs in page.tags:
        for name in ("src", "srcset", "data-src", "poster"):
            if name in attrs:
                for source in attrs[name].split(","):
                    assert source.strip().startswith("/"), (tag, attrs)
        if tag == "link" and attrs.get("rel") in ("stylesheet", "icon", "preload", "modulepreload"):
            assert attrs["href"].startswith("/"), attrs
        if tag == "script":
            assert attrs.get("type") == "application/ld+json" or attrs["src"].startswith("/")


# Masthead search


@pytest.mark.parametrize("page_name", ["front", "article"])
def test_masthead_has_a_labelled_search_form(client, page_name):
    story = make_article()
    path = "/" if page_name == "front" else story.get_absolute_url()

    elements = Elements(client.get(path).text)

    (form,) = elements.find("form", role="search")
    assert form["method"] == "get"
    assert form["action"] == "/search/"
    (field,) = elements.find("input", name="q")
    assert field["type"] == "search"
    (label,) = elements.find("label", **{"for": field["id"]})
    assert label["text"] == "Search stories"
    assert label["class"] == "visually-hidden"
    (button,) = elements.find("button", type="submit", text="Search")
    assert button


# Print


def print_rules():
    with open(finders.find("css/site.css"), encoding="utf-8") as file:
        css = file.read()
    rules = []
    for match in re.finditer(r"@media print\s*{", css):
        depth, start = 1, match.end()
        end = start
        while depth:
            depth += {"{": 1, "}": -1}.get(css[end], 0)
            end += 1
        rules.append(css[start : end - 1])
    return "\n".join(rules)


def hidden_in_print():
    hidden = set()
    for selectors in re.findall(r"([^{}]+){\s*display:\s*none;?\s*}", print_rules()):
        hidden |= {selector.strip() for selector in selectors.split(",")}
    return hidden


def test_print_stylesheet_prints_just_the_article():
    hidden = hidden_in_print()

    for part in ("nav", "form", ".site-footer", ".share", ".related", ".search-box", ".story-nav"):
        assert part in hidden, part
    assert {"aside", "aside:not(.corrections)"} & hidden  # the sidebar; corrections stay


def test_print_stylesheet_shows_link_addresses_black_on_white():
    rules = print_rules()

    assert re.search(r"\.story__body a\[href\][^{]*::after\s*{[^}]*attr\(href\)", rules)
    assert "--text: #000" in rules and "--bg: #fff" in rules


# Queries


def test_article_page_runs_as_many_queries_with_many_related_candidates(client):
    world, sport = make_category(), make_category()
    story = make_article(category=world, tags=["Trade", "China"])

    def add_candidates(count):
        for n in range(count):
            make_article(
                category=(world, sport)[n % 2],
                tags=["Trade", f"Topic {n}"],
                featured_image=image_upload() if n % 3 == 0 else "",
                featured_image_alt="A picture",
            )

    add_candidates(3)
    client.get(story.get_absolute_url())  # The first page of all also creates the About row.
    cache.clear()
    with CaptureQueriesContext(connection) as few:
        assert client.get(story.get_absolute_url()).status_code == 200
    add_candidates(22)
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        assert client.get(story.get_absolute_url()).status_code == 200

    assert len(many) == len(few)
    # One query ranks the related stories and finds the neighbours in the section.
    related = [q for q in many if 'AS "shared_tags"' in q["sql"]]
    assert len(related) == 1

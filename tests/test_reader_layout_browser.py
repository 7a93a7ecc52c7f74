"""What readers tripped on (issue 12), in a real browser at phone (375 px) and desktop
(1280 px) widths, light and dark: the section bar, the masthead search, the sidebar, pills,
the search filters, focus rings and the printed page. Page structure: test_reader_pages.py."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import About, Author, Byline

from .factories import image_upload, make_article, make_category, make_comment

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1280, "height": 900}
SECTIONS = ["World", "Politics", "Business", "Technology", "Science", "Culture", "Sport"]
SUMMARY = "The Meridian is an independent newsroom covering Central Asia."


@pytest.fixture
def site():
    about = About.load()
    about.summary = SUMMARY
    about.save()
    author = Author.objects.create(name="Asel Nurlanova", slug="asel-nurlanova")
    stories = []
    for n, name in enumerate(SECTIONS):
        section = make_category(name=name, slug=name.lower(), position=n)
        for k in range(4):
            story = make_article(
                category=section,
                title=f"{name} story {k}: a headline of a usual length for the news",
                standfirst="A standfirst of one or two sentences, as editors write them.",
                tags=["Kazakhstan", "Trade", "Elections"],
                featured_image=image_upload(f"{name}-{k}.jpg"),
                featured_image_alt="A picture",
                published_at=timezone.now() - timedelta(days=n * 4 + k, hours=1),
                is_featured=(n, k) == (0, 0),
            )
            Byline.objects.create(article=story, author=author)
            stories.append(story)
    make_comment(stories[0], status="approved", body="A comment that must not be printed.")
    return stories


@pytest.fixture
def open_page(browser):
    contexts = []

    def open_page(viewport, scheme="light"):
        contexts.append(browser.new_context(viewport=viewport, color_scheme=scheme))
        return contexts[-1].new_page()

    yield open_page
    for context in contexts:
        context.close()


def box(locator):
    return locator.bounding_box()


def test_phone_front_page_puts_the_news_first(live_server, site, open_page, tmp_path):
    page = open_page(PHONE)
    page.goto(live_server.url + "/")

    # The section bar scrolls, and its right edge fades out to say so.
    bar = page.locator("nav.sections ul")
    assert bar.evaluate("ul => ul.scrollWidth > ul.clientWidth")
    fade = page.locator("nav.sections").evaluate(
        "nav => getComputedStyle(nav, '::after').backgroundImage"
    )
    assert "gradient" in fade
    # A link to the search page, not the form, above the news; the lead near the top.
    expect(page.locator("#masthead-search")).to_be_hidden()
    expect(page.get_by_role("link", name="Search", exact=True)).to_be_visible()
    assert box(page.locator(".lead__title"))["y"] < 500
    # The About text once (the sidebar's), not again in the footer.
    expect(page.get_by_text(SUMMARY)).to_have_count(1)
    page.screenshot(path=tmp_path / "front-375.png", full_page=True)


def test_phone_section_bar_shows_the_whole_focus_ring(live_server, site, open_page):
    page = open_page(PHONE)
    page.goto(live_server.url + "/")

    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('nav.sections') !== null"):
            break
    ring = page.evaluate(
        """() => {
            const a = document.activeElement, ul = a.closest('ul');
            const r = a.getBoundingClientRect(), u = ul.getBoundingClientRect();
            const style = getComputedStyle(a);
            const out = parseFloat(style.outlineOffset) + parseFloat(style.outlineWidth);
            return {style: style.outlineStyle, top: r.top - out - u.top,
                    bottom: u.bottom - (r.bottom + out), left: r.left - out - u.left};
        }"""
    )

    assert ring["style"] == "solid"
    # Drawn inside the scrolling row, which clips anything outside it.
    assert ring["top"] >= 0 and ring["bottom"] >= 0 and ring["left"] >= 0, ring


def test_phone_story_keeps_tags_and_share_links_on_one_row(live_server, site, open_page):
    page = open_page(PHONE)
    page.goto(live_server.url + site[0].get_absolute_url())

    for links in (page.locator(".tags a"), page.locator(".share a")):
        tops = {round(box(links.nth(n))["y"]) for n in range(links.count())}
        assert len(tops) == 1, f"{links.count()} links on {len(tops)} rows"


def test_phone_search_shows_the_first_result_near_the_top(live_server, site, open_page):
    page = open_page(PHONE)
    page.goto(live_server.url + "/search/?q=headline")

    assert box(page.locator(".search-results .card").first)["y"] < 600
    # The filters are one tap away, with dates written the site's way.
    page.get_by_text("Narrow down by section, author or date").click()
    expect(page.get_by_label("From")).to_have_attribute("type", "text")
    expect(page.get_by_text("e.g. 6 December 2026").first).to_be_visible()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_desktop_front_page_sidebar_and_sections(live_server, site, open_page, scheme, tmp_path):
    page = open_page(DESKTOP, scheme)
    page.goto(live_server.url + "/")

    main, aside = box(page.locator("main")), box(page.locator(".page__aside"))
    below = box(page.locator(".page__below"))
    # The section blocks run under both columns: the sidebar's column is not left empty.
    assert below["y"] >= max(main["y"] + main["height"], aside["y"] + aside["height"]) - 1
    assert below["width"] >= main["width"] + aside["width"]
    expect(page.locator("#masthead-search")).to_have_attribute("placeholder", "Search stories")
    expect(page.locator("#masthead-search")).to_be_visible()
    expect(page.locator(".masthead__search-link")).to_be_hidden()
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert (background == "rgb(255, 255, 255)") == (scheme == "light")
    page.screenshot(path=tmp_path / f"front-1280-{scheme}.png", full_page=True)


def test_a_printed_story_leaves_out_the_comments(live_server, site, open_page):
    page = open_page(DESKTOP)
    page.goto(live_server.url + site[0].get_absolute_url())
    expect(page.get_by_text("A comment that must not be printed.")).to_be_visible()

    page.emulate_media(media="print")

    expect(page.get_by_text("A comment that must not be printed.")).to_be_hidden()
    expect(page.locator(".comments")).to_be_hidden()
    expect(page.locator(".story__body")).to_be_visible()

"""Every public page type passes axe-core's WCAG 2.1 A and AA rules and its best practices in
Chromium, at desktop and phone widths, in the light and the dark colour scheme; and the keyboard
basics work.

axe-core comes from npm (package.json); `make test` installs it into node_modules/.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from articles import views
from articles.models import Article, Author

from .factories import image_upload, make_comment

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
# The WCAG 2.1 A and AA rules, and axe's best practices: headings in order, unique landmarks.
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 740}}
LEAD = "kazakhstan-joins-abraham-accords"
LIVE = "storm-closes-caspian-ports-live"


@pytest.fixture
def pages(monkeypatch, settings):
    """The demo site (without its slow generated images) plus two stories with real pictures,
    a reply and a paginated category: the address of each page type, by name."""
    monkeypatch.setattr(views.CategoryArticleList, "paginate_by", 2)
    settings.ARTICLES_PER_PAGE = 2  # search reads it per request
    call_command("load_demo", "--no-images", verbosity=0)
    # Renditions are made on commit, which comes at once outside a test transaction.
    lead = Article.objects.get(slug=LEAD)
    for story in (lead, Article.objects.published().exclude(pk=lead.pk).first()):
        story.featured_image = image_upload(f"{story.slug}.jpg", size=(1200, 675))
        story.save()
    thread = lead.comments.approved().filter(parent=None).first()
    make_comment(lead, parent=thread, status=thread.status, name="Aigerim")
    month = timezone.localtime(lead.published_at)
    tag = lead.tags.order_by("name").first()
    search = reverse("search:search")
    return {
        "front": "/",
        "article": lead.get_absolute_url(),
        "article replying": f"{lead.get_absolute_url()}?replyto={thread.pk}",
        "category": lead.category.get_absolute_url() + "?page=2",
        "tag": reverse("articles:tag", args=[tag.slug]),
        "author": Author.objects.filter(bylines__isnull=False).first().get_absolute_url(),
        "archive": reverse("articles:archive"),
        "year": reverse("articles:archive-year", args=[month.year]),
        "month": reverse("articles:archive-month", args=[month.year, month.month]),
        "search": f"{search}?q=central+asia",
        "search, no results": f"{search}?q=zzyzx&date_from={timezone.localdate().isoformat()}",
        "about": reverse("articles:about"),
        "report a comment": reverse("comments:report", args=[thread.pk]),
        # The demo's running live story: its stream, key events and Live badge. (An update's
        # shared address sends people on to it at once: test_html_validity checks its page.)
        "live story": Article.objects.get(slug=LIVE).get_absolute_url(),
        "404": "/no-such-page/",
    }


@pytest.fixture
def open_page(browser):
    """A page in a context of its own (bypass_csp: a strict CSP would block injecting axe)."""
    contexts = []

    def open_page(viewport="desktop"):
        contexts.append(browser.new_context(viewport=VIEWPORTS[viewport], bypass_csp=True))
        return contexts[-1].new_page()

    yield open_page
    for context in contexts:
        context.close()


def axe_violations(tab):
    """Run axe-core on what the tab shows; the violations of RULES it finds."""
    if not tab.evaluate("typeof window.axe !== 'undefined'"):
        tab.add_script_tag(path=AXE)
    return tab.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
        ".then(results => results.violations)",
        RULES,
    )


def describe(where, violations):
    lines = []
    for violation in violations:
        lines.append(
            f"{where}: {violation['id']} ({violation['impact']}) {violation['help']}"
            f" — {violation['helpUrl']}"
        )
        for node in violation["nodes"][:5]:
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    {' '.join(map(str, node['target']))}  {summary[:200]}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    … and {len(violation['nodes']) - 5} more")
    return lines


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_every_page_type_has_no_accessibility_violations(live_server, pages, open_page, viewport):
    assert AXE.exists(), f"{AXE} is missing: run `npm ci` (make test does it)"
    tab = open_page(viewport)
    report = []
    for name, path in pages.items():
        response = tab.goto(live_server.url + path)
        assert response.status == (404 if name == "404" else 200), f"{name}: {path}"
        for scheme in ("light", "dark"):
            # Contrast rules judge the colours in use, so each scheme is a page of its own.
            tab.emulate_media(color_scheme=scheme)
            report += describe(f"{name} {path} [{viewport}, {scheme}]", axe_violations(tab))
    assert not report, "axe-core found violations:\n" + "\n".join(report)


def has_visible_focus(locator):
    return locator.evaluate(
        """element => {
            const style = getComputedStyle(element);
            const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
            return outline || style.boxShadow !== 'none';
        }"""
    )


def test_keyboard_users_can_skip_to_the_content_and_see_where_they_are(
    live_server, pages, open_page
):
    tab = open_page()
    tab.goto(live_server.url + pages["article"])
    skip = tab.get_by_role("link", name="Skip to content")
    expect(skip).not_to_be_in_viewport()

    tab.keyboard.press("Tab")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    assert has_visible_focus(skip)

    tab.keyboard.press("Enter")
    expect(tab.get_by_role("main")).to_be_focused()
    expect(skip).not_to_be_in_viewport()

    # From the start of the story on, every stop shows where the focus is.
    focused = tab.locator(":focus")
    for _ in range(8):
        tab.keyboard.press("Tab")
        expect(focused).to_have_count(1)
        assert tab.evaluate("document.activeElement.closest('main') !== null")
        assert has_visible_focus(focused), focused.evaluate("element => element.outerHTML")


def test_the_spam_trap_is_in_the_form_but_hidden_from_people_and_screen_readers(
    live_server, pages, open_page
):
    tab = open_page()
    tab.goto(live_server.url + pages["article"])
    trap = tab.locator("#comment-form input[name=website]")
    expect(trap).to_have_count(1)
    expect(trap).to_be_hidden()
    expect(tab.get_by_role("textbox", name="Leave this field empty")).to_have_count(0)

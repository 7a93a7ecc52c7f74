"""The story form in a real browser at a desktop width: a spell-checked body editor that
opens tall, a title box wide enough for a real headline, and toolbar buttons that all draw."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from .factories import make_article, make_user
from .test_browser import roles, sign_in  # noqa: F401 -- roles: the groups, again

pytestmark = pytest.mark.django_db(transaction=True)

HEADLINE = "Kazakhstan and Uzbekistan agree a shared water plan for the Syr Darya after talks"


def test_the_story_form_fits_real_headlines_and_long_stories(live_server, page):
    make_user("eddie", groups=["Editors"], is_staff=True)
    story = make_article(title=HEADLINE, body="<p>One line.</p>")
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, "eddie")

    page.goto(live_server.url + reverse("admin:articles_article_change", args=[story.pk]))
    editor = page.locator(".field-body .ProseMirror[contenteditable=true]")
    expect(editor).to_be_visible()

    # The browser's spell-checker is on in the body (django-prose-editor turns it off).
    assert editor.evaluate("node => node.spellcheck") is True
    assert editor.get_attribute("spellcheck") != "false"
    # The whole headline is visible in its box, and the body opens as a page, not a line.
    title = page.locator("input[name=title]")
    assert title.bounding_box()["width"] >= 600
    assert title.evaluate("node => node.scrollWidth <= node.clientWidth")
    assert editor.bounding_box()["height"] >= 300
    # Every toolbar button draws something the system fonts have: none is a missing-glyph box.
    assert page.locator(".prose-menubar").first.evaluate(UNDRAWABLE_LABELS) == []


# Each text the toolbar draws (button labels, and CSS `content` before and after them) that
# the fonts lack: text is missing when it is as wide as as many characters that no font has
# (U+10FFFD, private use: every font draws it as the "tofu" box).
UNDRAWABLE_LABELS = """menubar => {
  const canvas = document.createElement("canvas").getContext("2d");
  const missing = [];
  for (const node of [menubar, ...menubar.querySelectorAll("*")]) {
    const texts = [];
    if (node.tagName === "BUTTON") texts.push([node.innerText.trim(), getComputedStyle(node)]);
    for (const pseudo of ["::before", "::after"]) {
      const style = getComputedStyle(node, pseudo);
      const quoted = style.content.match(/^"(.+)"$/);
      if (quoted) texts.push([quoted[1], style]);
    }
    for (const [text, style] of texts) {
      if (!text) continue;
      canvas.font = `${style.fontSize} ${style.fontFamily}`;
      const tofu = canvas.measureText("\\u{10FFFD}".repeat([...text].length)).width;
      if (canvas.measureText(text).width === tofu) missing.push(text);
    }
  }
  return missing;
}"""

"""Uploading an image into a story's body in Chromium: through the editor's toolbar, under the
admin's CSP, saved with the story and shown on its preview as renditions."""

import io

import pytest
from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect

from articles.models import Article
from images.models import BodyImage

from .factories import make_article, make_user
from .test_browser import sign_in
from .test_csp_browser import assert_no_violations, roles, watched_page  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 800), (30, 90, 60)).save(buffer, "PNG")
    return buffer.getvalue()


def test_an_editor_uploads_an_image_into_the_body_and_it_shows_on_the_preview(
    live_server,
    watched_page,  # noqa: F811 - the fixture imported above
):
    page = watched_page
    make_user("edna", groups=["Editors"], is_staff=True)
    story = make_article(title="Steppe rail link", body="<p>The line opens.</p>")
    sign_in(page, live_server, "edna")
    page.goto(live_server.url + reverse("admin:articles_article_change", args=[story.pk]))

    page.get_by_role("button", name="Upload image").click()
    dialog = page.locator("dialog.body-image-dialog")
    dialog.get_by_label("Image file").set_input_files(
        {"name": "rail.png", "mimeType": "image/png", "buffer": png_bytes()}
    )
    # Alt text is required: the dialog refuses to send without it.
    dialog.get_by_role("button", name="Upload and insert").click()
    assert BodyImage.objects.count() == 0
    dialog.get_by_label("Alt text").fill("The first train at Altynkol")
    dialog.get_by_label("Caption").fill("Opening day.")
    dialog.get_by_role("button", name="Upload and insert").click()
    expect(page.locator(".ProseMirror figure img[src^='/media/body/']")).to_have_count(1)
    assert_no_violations(page)

    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    body = Article.objects.get(pk=story.pk).body
    image = BodyImage.objects.get()
    assert f'<img src="/media/{image.image.name}" alt="The first train at Altynkol"' in body
    assert "<figcaption>Opening day.</figcaption>" in body

    page.goto(live_server.url + reverse("articles:preview", args=[story.pk]))
    picture = page.locator(".story__body figure picture img")
    expect(picture).to_have_attribute("alt", "The first train at Altynkol")
    expect(picture).to_have_attribute("src", f"/media/renditions/{image.image.name}-960.png")
    assert_no_violations(page)

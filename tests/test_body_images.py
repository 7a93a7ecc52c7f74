"""Images inside a story's body: uploaded from the editor under the admin's rules, stored as
renditions, shown as <picture> on the story page, and brought over by the WordPress import."""

import io
import json
import re

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from PIL import Image

from articles.models import Article
from images.body_images import body_pictures
from images.models import BodyImage
from images.processing import MAX_UPLOAD_BYTES

from .factories import image_upload, make_article, make_user
from .test_redirects import migrate
from .test_wordpress import run_import

pytestmark = pytest.mark.django_db

UPLOAD = "/admin/body-images/upload/"


@pytest.fixture
def writer_client(client):
    client.force_login(make_user(is_staff=True, groups=["Writers"]))
    return client


def post_image(client, image=None, **data):
    return client.post(UPLOAD, {"image": image or image_upload(size=(1200, 800)), **data})


def test_the_upload_address_is_under_the_admin():
    # The admin's request size limit (newsroom/limits.py) covers addresses under /admin/ only.
    assert reverse("body-image-upload") == UPLOAD


def test_a_writer_uploads_an_image_and_gets_its_address_and_size(
    writer_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_image(writer_client, alt="Voters queue in Tbilisi")

    assert response.status_code == 201
    answer = response.json()
    image = BodyImage.objects.get()
    assert answer == {
        "url": image.image.url,
        "width": 1200,
        "height": 800,
        "alt": "Voters queue in Tbilisi",
    }
    assert answer["url"].startswith("/media/body/")
    assert image.uploaded_by.groups.filter(name="Writers").exists()
    # The renditions a page links to are written once the row is committed.
    storage = image.image.storage
    assert storage.exists(f"renditions/{image.image.name}-960.webp")
    assert storage.exists(f"renditions/{image.image.name}-480.jpg")


def test_an_upload_loses_its_camera_and_location_data(writer_client):
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    Image.new("RGB", (640, 360), (1, 2, 3)).save(buffer, "JPEG", exif=exif)
    image = image_upload()
    image.file = io.BytesIO(buffer.getvalue())
    image.size = len(buffer.getvalue())

    assert post_image(writer_client, image, alt="A street").status_code == 201
    with BodyImage.objects.get().image.open() as stored:
        assert b"SpyCam" not in stored.read()


@pytest.mark.parametrize(
    "who",
    [
        None,  # Signed out.
        {"is_staff": False, "groups": ["Writers"]},  # Not staff.
        {"is_staff": True, "groups": ["Moderators"]},  # Staff who may not write stories.
        {"is_staff": True, "is_active": False, "groups": ["Editors"]},
    ],
)
def test_only_staff_who_may_write_stories_may_upload(client, who):
    if who is not None:
        client.force_login(make_user(**who))

    response = post_image(client, alt="A street")

    assert response.status_code == 403
    assert "error" in response.json()
    assert not BodyImage.objects.exists()


def test_an_upload_without_the_csrf_token_is_refused(settings):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user(is_staff=True, groups=["Editors"]))

    response = post_image(client, alt="A street")

    assert response.status_code == 403
    assert not BodyImage.objects.exists()


def test_reading_the_upload_address_changes_nothing(writer_client):
    assert writer_client.get(UPLOAD).status_code == 405


@pytest.mark.parametrize(
    "data, message",
    [
        ({"alt": "A street", "image": None}, "Choose an image file"),
        ({"alt": ""}, "Describe the image"),
        ({"alt": "   "}, "Describe the image"),
    ],
)
def test_a_missing_file_or_alt_text_is_a_clear_400(writer_client, data, message):
    if "image" in data:
        response = writer_client.post(UPLOAD, {"alt": data["alt"]})
    else:
        response = post_image(writer_client, **data)

    assert response.status_code == 400
    assert message in response.json()["error"]
    assert not BodyImage.objects.exists()


def test_a_decorative_image_may_have_no_alt_text(writer_client):
    response = post_image(writer_client, alt="ignored", decorative="on")

    assert response.status_code == 201
    assert response.json()["alt"] == ""


def test_a_file_that_is_not_an_image_is_a_clear_400(writer_client):
    fake = image_upload()
    fake.file = io.BytesIO(b"<?php system($_GET['c']); ?>" * 10)
    fake.size = 290

    response = post_image(writer_client, fake, alt="A street")

    assert response.status_code == 400
    assert "Upload a JPEG, PNG, WebP or GIF image" in response.json()["error"]


def test_a_file_over_the_image_limit_is_a_413(writer_client, settings):
    # Room in the request for it, so that our own check is the one that answers.
    settings.MAX_ADMIN_REQUEST_BYTES = MAX_UPLOAD_BYTES + 2**20
    big = image_upload()
    big.file = io.BytesIO(b"\xff" * (MAX_UPLOAD_BYTES + 1))
    big.size = MAX_UPLOAD_BYTES + 1

    response = post_image(writer_client, big, alt="A street")

    assert response.status_code == 413
    assert "at most 10 MB" in response.json()["error"]


def test_a_request_over_the_admin_limit_is_refused_before_it_is_read(writer_client, settings):
    settings.MAX_ADMIN_REQUEST_BYTES = 100 * 1024
    noisy = io.BytesIO()
    Image.effect_noise((600, 600), 100).save(noisy, "PNG")  # Noise does not compress.
    image = image_upload()
    image.size = noisy.tell()
    image.file = io.BytesIO(noisy.getvalue())
    assert image.size > settings.MAX_ADMIN_REQUEST_BYTES

    response = post_image(writer_client, image, alt="x")

    assert response.status_code == 413
    assert not BodyImage.objects.exists()


def stored_image(size=(1200, 800), alt="A street"):
    image = BodyImage(alt=alt)
    upload = image_upload(size=size)
    image.image.save(upload.name, upload, save=False)
    image.save()
    return image


def test_the_story_page_shows_body_images_as_renditions(client):
    image = stored_image()
    name = image.image.name
    story = make_article(
        body=f'<figure><img src="/media/{name}" alt="Queue &amp; crowd" width="1" height="1">'
        '<figcaption>At dawn.</figcaption></figure><p><img src="https://example.org/a.png" alt="x"></p>'
    )

    page = client.get(story.get_absolute_url()).text

    picture = re.search(r"<picture>.*?</picture>", page, re.DOTALL)[0]
    assert f"/media/renditions/{name}-480.webp 480w" in picture
    assert f'src="/media/renditions/{name}-960.jpg"' in picture
    # Size from the database, not the body; the writer's alt text, escaped once.
    assert 'width="1200" height="800"' in picture
    assert 'alt="Queue &amp; crowd"' in picture
    # Other addresses are left as they were.
    assert '<img src="https://example.org/a.png" alt="x">' in page


def test_a_body_image_address_of_an_unknown_file_is_left_as_it_is():
    body = '<p><img src="/media/body/2026/01/gone.jpg" alt="x"></p>'
    assert body_pictures(body) == body


def test_a_body_without_body_images_costs_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        body_pictures('<p>Text <img src="/media/articles/x.jpg" alt="x"></p>')


def test_a_body_with_several_images_costs_one_query(django_assert_num_queries):
    names = [stored_image().image.name for _ in range(3)]
    body = "".join(f'<p><img src="/media/{name}" alt="x"></p>' for name in names)

    with django_assert_num_queries(1):
        assert body_pictures(body).count("<picture>") == 3


def test_regenerate_renditions_remakes_those_of_body_images_too(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        image = stored_image()
    deleted = f"renditions/{image.image.name}-960.webp"
    image.image.storage.delete(deleted)
    out = io.StringIO()

    call_command("regenerate_renditions", "--missing-only", stdout=out, stderr=io.StringIO())

    assert image.image.storage.exists(deleted)
    assert "Made renditions: 1; already complete: 0; failed: 0." in out.getvalue()


def test_the_editor_offers_the_upload_button_script(client):
    client.force_login(make_user(is_staff=True, is_superuser=True))

    page = client.get(reverse("admin:articles_article_add")).text

    textarea = re.search(r'<textarea name="body"[^>]*>', page)[0]
    assert f'data-body-image-upload="{UPLOAD}"' in textarea
    script = re.search(r'<script src="/static/js/body-image-upload.js"[^>]*>', page)[0]
    assert "nonce=" in script
    # Before the editor's own scripts: it listens for the editor being ready.
    assert page.index("js/body-image-upload.js") < page.index(
        'src="/static/django_prose_editor/configurable.js"'
    )


# The WordPress import ---------------------------------------------------------------------


@pytest.fixture
def uploads(tmp_path):
    folder = tmp_path / "uploads"
    (folder / "2024" / "03").mkdir(parents=True)
    for name, size in (("photo.jpg", (640, 360)), ("second.jpg", (320, 200))):
        Image.new("RGB", size, (200, 40, 40)).save(folder / "2024" / "03" / name, "JPEG")
    return folder


def test_the_import_brings_in_body_images_from_the_media_dir(uploads):
    out, _ = run_import("--media-dir", str(uploads))

    body = Article.objects.get(wordpress_id=10).body
    assert 'oldblog.example.com/wp-content/uploads/2024/03/photo.jpg" alt' not in body
    photo = BodyImage.objects.get(source="2024/03/photo.jpg")
    assert (
        f'<img src="{photo.image.url}" alt="A queue outside a polling station" '
        'width="640" height="360">'
    ) in body
    # Gallery images too.
    second = BodyImage.objects.get(source="2024/03/second.jpg")
    assert f'src="{second.image.url}"' in body
    assert "body images (" in out


def test_a_rerun_reuses_the_body_images_it_imported(uploads):
    run_import("--media-dir", str(uploads))
    count = BodyImage.objects.count()

    run_import("--media-dir", str(uploads))

    assert BodyImage.objects.count() == count


def test_body_images_not_found_become_links_and_are_noted(tmp_path):
    out, _ = run_import("--media-dir", str(tmp_path))

    body = Article.objects.get(wordpress_id=10).body
    assert "<img" not in body
    assert '<a href="https://oldblog.example.com/wp-content/uploads/2024/03/second.jpg"' in body
    assert "body image missing, 2024/03/photo.jpg is not in --media-dir" in out
    assert not BodyImage.objects.exists()


def test_a_dry_run_stores_no_body_image(uploads):
    run_import("--media-dir", str(uploads), "--dry-run")
    assert not BodyImage.objects.exists()
    assert not (uploads.parent / "media" / "body").exists()


def test_the_json_answers_are_json(writer_client):
    response = post_image(writer_client, alt="")
    assert response["Content-Type"] == "application/json"
    json.loads(response.content)


# The move from articles to images -------------------------------------------------------


# serialized_rollback puts back the groups the migrations made, for the tests that follow.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_body_images_stored_before_the_move_to_the_images_app_are_kept():
    old = migrate([("articles", "0014_remove_old_redirects")])
    name = "body/2026/01/queue.jpg"
    old.get_model("articles", "BodyImage").objects.create(
        image=name, width=1200, height=800, alt="A queue", source="2024/03/queue.jpg"
    )
    old_type = old.get_model("contenttypes", "ContentType").objects.get(
        app_label="articles", model="bodyimage"
    )

    migrate(None)

    image = BodyImage.objects.get()
    assert (image.image.name, image.width, image.height) == (name, 1200, 800)
    assert (image.alt, image.source) == ("A queue", "2024/03/queue.jpg")
    # Pages still find it in the bodies that show it.
    picture = body_pictures(f'<p><img src="/media/{name}" alt="A queue"></p>')
    assert f"/media/renditions/{name}-480.webp 480w" in picture
    assert 'width="1200" height="800"' in picture
    # Its content type moved with it, and its permissions with that.
    ContentType.objects.clear_cache()
    assert ContentType.objects.get_for_model(BodyImage).pk == old_type.pk
    assert Permission.objects.get(codename="add_bodyimage").content_type_id == old_type.pk

"""Featured images: upload checks in the admin, renditions, the picture tag, the command."""

import io
import struct
import zlib
from html.parser import HTMLParser
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone
from PIL import ExifTags, Image, ImageCms

from articles.models import Article, Author
from images.processing import generate_renditions, normalise_upload

from .factories import make_article, make_category, make_user

pytestmark = pytest.mark.django_db

INVALID_IMAGE = (
    "This file is not an image we can use: upload a JPEG, PNG, WebP or GIF "
    "of at most 50 megapixels."
)
NOT_OUR_FORMAT = "Upload a JPEG, PNG, WebP or GIF image; this file is none of those."
DAMAGED = "This image file is damaged or incomplete"


def image_bytes(format="JPEG", size=(640, 360), mode="RGB", color=(30, 60, 110), **options):
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, format, **options)
    return buffer.getvalue()


def upload(data, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def png_header_only(width, height):
    """A PNG that claims `width` × `height` pixels but holds almost no data."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b""))
        + chunk(b"IEND", b"")
    )


def stored(name):
    with default_storage.open(name) as file:
        return Image.open(io.BytesIO(file.read()))


@pytest.fixture
def admin_client(client):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    return client


def inline_management_forms(client, url):
    """The hidden counts of the page's inline formsets, as a browser would send them back."""
    page = client.get(url)
    return {
        inline.formset.management_form.add_prefix(name): value
        for inline in page.context["inline_admin_formsets"]
        for name, value in inline.formset.management_form.initial.items()
    }


@pytest.fixture
def add_story(admin_client):
    """Post the admin's add form (or, given `url`, a change form) with an image."""
    section = make_category()

    def post(image, url=None):
        url = url or reverse("admin:articles_article_add")
        now = timezone.localtime()
        data = {
            **inline_management_forms(admin_client, url),
            "title": "A story with a picture",
            "slug": "a-story-with-a-picture",
            "category": section.pk,
            "featured_image_alt": "What the picture shows",
            "status": "published",
            "published_at_0": now.strftime("%d/%m/%Y"),
            "published_at_1": now.strftime("%H:%M:%S"),
            "comment_mode": "default",
        }
        if image is not None:
            data["featured_image"] = image
        return admin_client.post(url, data)

    return post


def image_errors(response):
    assert response.status_code == 200
    assert not Article.objects.exists()
    return response.context["adminform"].form.errors["featured_image"]


# Uploads through the admin --------------------------------------------------------------


@pytest.mark.parametrize(
    ("format", "name", "mode"),
    [("JPEG", "photo.jpg", "RGB"), ("PNG", "chart.png", "RGBA"), ("WEBP", "photo.webp", "RGB")],
)
def test_each_accepted_format_is_stored_in_that_format(add_story, format, name, mode):
    data = image_bytes(format, size=(800, 450), mode=mode)

    response = add_story(upload(data, name, f"image/{format.lower()}"))

    assert response.status_code == 302, response.context["adminform"].form.errors
    story = Article.objects.get()
    assert story.featured_image.name.endswith(name.rsplit(".", 1)[1])
    image = stored(story.featured_image.name)
    assert (image.format, image.mode, image.size) == (format, mode, (800, 450))
    assert (story.featured_image_width, story.featured_image_height) == (800, 450)


def test_an_animated_gif_is_stored_as_its_first_frame(add_story):
    frames = [Image.new("P", (320, 180), index) for index in range(3)]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100)

    response = add_story(upload(buffer.getvalue(), "animation.gif", "image/gif"))

    assert response.status_code == 302, response.context["adminform"].form.errors
    image = stored(Article.objects.get().featured_image.name)
    assert (image.format, image.size, image.n_frames) == ("GIF", (320, 180), 1)


def test_a_real_image_with_the_wrong_extension_is_stored_under_its_true_one(add_story):
    response = add_story(upload(image_bytes("GIF"), "photo.png", "image/png"))

    assert response.status_code == 302, response.context["adminform"].form.errors
    name = Article.objects.get().featured_image.name
    assert name.endswith(".gif")
    assert stored(name).format == "GIF"


@pytest.mark.parametrize(
    ("name", "data", "content_type", "message"),
    [
        pytest.param(
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "image/svg+xml",
            INVALID_IMAGE,
            id="svg",
        ),
        pytest.param(
            "photo.jpg",
            b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
            "image/jpeg",
            INVALID_IMAGE,
            id="html-renamed-jpg",
        ),
        pytest.param(
            "report.pdf",
            b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF",
            "application/pdf",
            INVALID_IMAGE,
            id="pdf",
        ),
        pytest.param(
            "chart.png",
            b"Not a picture, whatever the name and the content type say.",
            "image/png",
            INVALID_IMAGE,
            id="text-claiming-png",
        ),
        pytest.param(
            "scan.bmp", image_bytes("BMP"), "image/bmp", NOT_OUR_FORMAT, id="bmp-not-accepted"
        ),
        pytest.param(
            "photo.jpg",
            image_bytes("TIFF"),
            "image/jpeg",
            NOT_OUR_FORMAT,
            id="tiff-renamed-jpg",
        ),
    ],
)
def test_files_that_are_not_accepted_images_are_form_errors(
    add_story, name, data, content_type, message
):
    response = add_story(upload(data, name, content_type))

    assert image_errors(response) == [message]
    assert message in response.text


def test_a_truncated_jpeg_is_a_form_error(add_story):
    noise = Image.effect_noise((800, 600), 60).convert("RGB")
    buffer = io.BytesIO()
    noise.save(buffer, "JPEG")
    truncated = buffer.getvalue()[: len(buffer.getvalue()) // 2]

    response = add_story(upload(truncated))

    assert image_errors(response)[0].startswith(DAMAGED)
    assert DAMAGED in response.text


def test_an_image_with_too_many_pixels_is_a_form_error(add_story):
    # 48 megapixels in one bit each: a few kilobytes to upload, too big to accept.
    data = image_bytes("PNG", size=(8000, 6000), mode="1", color=0)
    assert len(data) < 100_000

    response = add_story(upload(data, "huge.png", "image/png"))

    message = (
        "This image has too many pixels (8000 × 6000); the limit is 50 megapixels for a JPEG, "
        "24 for PNG, WebP and GIF. Scale it down and upload it again."
    )
    assert image_errors(response) == [message]
    assert message in response.text


def test_a_decompression_bomb_is_a_form_error_never_a_500(add_story):
    response = add_story(upload(png_header_only(30_000, 30_000), "bomb.png", "image/png"))

    assert len(image_errors(response)) == 1


@pytest.mark.parametrize("size", [(10_000, 10_000), (30_000, 30_000)])
def test_pillows_bomb_warning_and_error_become_our_validation_error(size):
    # 100 megapixels makes Pillow warn, 900 makes it refuse: both are a clear message.
    with pytest.raises(ValidationError) as error:
        normalise_upload(upload(png_header_only(*size), "bomb.png", "image/png"))

    assert error.value.code == "too_many_pixels"
    assert "the limit is 50 megapixels" in error.value.messages[0]


def test_a_file_over_the_size_limit_is_a_form_error(add_story):
    data = image_bytes()
    data += b"\0" * (10 * 1024 * 1024 + 1 - len(data))

    response = add_story(upload(data))

    assert image_errors(response) == ["This file is 10.0 MB; an image can be at most 10 MB."]


def test_exif_orientation_is_applied_and_metadata_stripped(add_story):
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # Shot holding the camera upright: rotate 90°.
    exif[ExifTags.Base.Make] = "Canon"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (43.0, 14.0, 17.0)
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = image_bytes(size=(600, 400), exif=exif, icc_profile=srgb, comment=b"Reporter's note")
    assert Image.open(io.BytesIO(data)).getexif()[ExifTags.Base.Make] == "Canon"

    response = add_story(upload(data))

    assert response.status_code == 302, response.context["adminform"].form.errors
    story = Article.objects.get()
    assert (story.featured_image_width, story.featured_image_height) == (400, 600)
    with story.featured_image.open() as file:
        raw = file.read()
    image = Image.open(io.BytesIO(raw))
    assert image.size == (400, 600)
    assert dict(image.getexif()) == {}
    assert "exif" not in image.info and "comment" not in image.info
    assert b"Canon" not in raw and b"Reporter" not in raw
    assert image.info["icc_profile"] == srgb


def test_saving_a_story_again_without_a_new_file_keeps_the_stored_image(add_story):
    add_story(upload(image_bytes()))
    story = Article.objects.get()
    name = story.featured_image.name
    with story.featured_image.open() as file:
        before = file.read()

    response = add_story(None, url=reverse("admin:articles_article_change", args=[story.pk]))

    assert response.status_code == 302, response.context["adminform"].form.errors
    story.refresh_from_db()
    assert story.featured_image.name == name
    with story.featured_image.open() as file:
        assert file.read() == before


# Renditions ------------------------------------------------------------------------------


def rendition_files(story):
    name = story.featured_image.name
    folder, prefix = f"renditions/{name.rsplit('/', 1)[0]}", name.rsplit("/", 1)[1] + "-"
    return sorted(f for f in default_storage.listdir(folder)[1] if f.startswith(prefix))


def test_renditions_are_made_after_commit_not_while_saving(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        story = make_article(
            featured_image=upload(image_bytes(size=(2000, 1000))), featured_image_alt="A"
        )
        assert not default_storage.exists(f"renditions/{story.featured_image.name}-480.webp")

    assert [getattr(callback, "func", None) for callback in callbacks].count(
        generate_renditions
    ) == 1


@pytest.mark.parametrize(
    ("width", "widths"),
    [(2400, [480, 960, 1600]), (1600, [480, 960, 1600]), (1200, [480, 960, 1200]), (300, [300])],
)
def test_renditions_in_webp_and_jpeg_never_wider_than_the_original(
    django_capture_on_commit_callbacks, width, widths
):
    with django_capture_on_commit_callbacks(execute=True):
        story = make_article(
            featured_image=upload(image_bytes(size=(width, width // 2))), featured_image_alt="A"
        )

    base = f"renditions/{story.featured_image.name}"
    expected = sorted(
        f"{base}-{w}.{ext}".rsplit("/", 1)[1] for w in widths for ext in ("jpg", "webp")
    )
    assert rendition_files(story) == expected
    for w in widths:
        for ext, format in (("webp", "WEBP"), ("jpg", "JPEG")):
            image = stored(f"{base}-{w}.{ext}")
            assert (image.format, image.size) == (format, (w, w // 2))


def test_transparent_images_get_a_png_fallback_that_keeps_the_transparency(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        story = make_article(
            featured_image=upload(
                image_bytes("PNG", size=(1000, 500), mode="RGBA", color=(200, 0, 0, 0)),
                "logo.png",
                "image/png",
            ),
            featured_image_alt="The logo",
        )

    base = f"renditions/{story.featured_image.name}"
    assert rendition_files(story) == sorted(
        f"{base}-{w}.{ext}".rsplit("/", 1)[1] for w in (480, 960, 1000) for ext in ("png", "webp")
    )
    for ext, format in (("png", "PNG"), ("webp", "WEBP")):
        image = stored(f"{base}-960.{ext}")
        assert (image.format, image.mode) == (format, "RGBA")
        assert image.getpixel((10, 10))[3] == 0


def test_an_opaque_jpeg_gets_a_jpeg_fallback_not_a_png(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        story = make_article(featured_image=upload(image_bytes()), featured_image_alt="A")

    assert not any(name.endswith(".png") for name in rendition_files(story))


# The picture tag and the pages ----------------------------------------------------------


class Elements(HTMLParser):
    """The start tags of a piece of HTML, as (tag, attributes) pairs."""

    def __init__(self, html):
        super().__init__()
        self.tags = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def first(self, tag):
        return next(attrs for name, attrs in self.tags if name == tag)


def render_picture(article, arguments=""):
    template = Template("{% load picture_tags %}{% picture article " + arguments + " %}")
    return template.render(Context({"article": article}))


def test_picture_tag_renders_webp_srcset_with_sizes_a_fallback_and_dimensions():
    story = make_article(
        featured_image=upload(image_bytes(size=(2000, 1000)), "flags.jpg"),
        featured_image_alt='Flags "outside" <the> ministry',
    )
    base = f"/media/renditions/{story.featured_image.name}"

    html = render_picture(story, 'sizes="(min-width: 42rem) 40rem, 100vw"')

    assert html.startswith("<picture><source ") and html.endswith("></picture>")
    assert "&quot;outside&quot; &lt;the&gt;" in html
    elements = Elements(html)
    assert [tag for tag, _ in elements.tags] == ["picture", "source", "img"]
    assert elements.first("source") == {
        "type": "image/webp",
        "srcset": f"{base}-480.webp 480w, {base}-960.webp 960w, {base}-1600.webp 1600w",
        "sizes": "(min-width: 42rem) 40rem, 100vw",
    }
    assert elements.first("img") == {
        "src": f"{base}-960.jpg",  # Browsers without WebP: one fallback, no list of widths.
        "width": "2000",
        "height": "1000",
        "alt": 'Flags "outside" <the> ministry',
        "loading": "lazy",
        "decoding": "async",
    }


def test_picture_tag_takes_alt_loading_and_fetchpriority():
    story = make_article(featured_image=upload(image_bytes()), featured_image_alt="Flags")

    img = Elements(render_picture(story, 'alt="" loading="eager" fetchpriority="high"')).first(
        "img"
    )

    assert (img["alt"], img["loading"], img["fetchpriority"]) == ("", "eager", "high")


def test_picture_tag_for_a_small_image_links_no_rendition_wider_than_it():
    story = make_article(
        featured_image=upload(image_bytes(size=(300, 200))), featured_image_alt="A"
    )
    base = f"/media/renditions/{story.featured_image.name}"

    elements = Elements(render_picture(story))

    assert elements.first("source")["srcset"] == f"{base}-300.webp 300w"
    assert elements.first("img")["src"] == f"{base}-300.jpg"


def test_picture_tag_uses_the_original_when_the_size_is_unknown():
    story = make_article(featured_image=upload(image_bytes()), featured_image_alt="Flags")
    story.featured_image_width = story.featured_image_height = None

    elements = Elements(render_picture(story))

    assert [tag for tag, _ in elements.tags] == ["img"]
    assert elements.first("img")["src"] == story.featured_image.url


def test_picture_tag_renders_nothing_without_an_image():
    assert render_picture(make_article()) == ""


def test_article_page_shows_the_picture_eagerly_with_high_priority(client):
    story = make_article(featured_image=upload(image_bytes()), featured_image_alt="Flags")

    page = client.get(story.get_absolute_url()).text

    figure = page[page.index('<figure class="story__figure">') :]
    assert figure.index("<picture>") < figure.index("</figure>")
    img = Elements(figure).first("img")
    assert img["src"] == f"/media/renditions/{story.featured_image.name}-640.jpg"
    assert (img["alt"], img["loading"], img["fetchpriority"]) == ("Flags", "eager", "high")


def test_front_page_lead_is_eager_and_cards_are_lazy_both_with_empty_alt(client):
    lead = make_article(
        is_featured=True, featured_image=upload(image_bytes()), featured_image_alt="Lead"
    )
    card = make_article(featured_image=upload(image_bytes()), featured_image_alt="Card")

    page = client.get("/").text

    images = [attrs for tag, attrs in Elements(page).tags if tag == "img"]
    by_story = {
        story.pk: next(img for img in images if story.featured_image.name in img["src"])
        for story in (lead, card)
    }
    assert page.count("<picture>") == 2
    assert (by_story[lead.pk]["loading"], by_story[lead.pk]["alt"]) == ("eager", "")
    assert (by_story[card.pk]["loading"], by_story[card.pk]["alt"]) == ("lazy", "")


# regenerate_renditions -------------------------------------------------------------------


def stories_with_renditions(django_capture_on_commit_callbacks, count):
    with django_capture_on_commit_callbacks(execute=True):
        return [
            make_article(
                featured_image=upload(image_bytes(size=(1000, 500))), featured_image_alt="A"
            )
            for _ in range(count)
        ]


def run(*args, verbosity=1):
    out, err = StringIO(), StringIO()
    call_command("regenerate_renditions", *args, verbosity=verbosity, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_command_remakes_deleted_renditions_only_where_missing(django_capture_on_commit_callbacks):
    intact, damaged = stories_with_renditions(django_capture_on_commit_callbacks, 2)
    deleted = f"renditions/{damaged.featured_image.name}-960.webp"
    default_storage.delete(deleted)
    untouched = f"renditions/{intact.featured_image.name}-960.webp"
    before = default_storage.get_modified_time(untouched)

    out, err = run("--missing-only")

    assert default_storage.exists(deleted)
    assert default_storage.get_modified_time(untouched) == before
    assert "Made renditions: 1; already complete: 1; failed: 0." in out
    assert "100%" in err and "2/2" in err


def test_command_dry_run_writes_nothing(django_capture_on_commit_callbacks):
    (story,) = stories_with_renditions(django_capture_on_commit_callbacks, 1)
    deleted = f"renditions/{story.featured_image.name}-480.jpg"
    default_storage.delete(deleted)

    out, _ = run("--missing-only", "--dry-run")

    assert "Would make renditions: 1" in out
    assert not default_storage.exists(deleted)


def test_command_reports_broken_originals_and_carries_on(django_capture_on_commit_callbacks):
    missing, corrupt, sound = stories_with_renditions(django_capture_on_commit_callbacks, 3)
    default_storage.delete(missing.featured_image.name)
    with open(default_storage.path(corrupt.featured_image.name), "wb") as file:
        file.write(b"this is no longer a picture")
    for story in (missing, corrupt, sound):
        default_storage.delete(f"renditions/{story.featured_image.name}-480.webp")

    out, err = run(verbosity=0)

    assert "Made renditions" not in out
    assert f"Failed: {missing.featured_image.name} (article {missing.pk}, “{missing}”)" in err
    assert "the original file is missing" in err
    assert f"Failed: {corrupt.featured_image.name} (article {corrupt.pk}, “{corrupt}”)" in err
    assert NOT_OUR_FORMAT in err
    assert "%" not in err  # No progress bar at verbosity 0.
    assert default_storage.exists(f"renditions/{sound.featured_image.name}-480.webp")

    out, _ = run()
    assert "Made renditions: 1; failed: 2." in out


# Hostile uploads, as an editor posts them --------------------------------------------------


@pytest.fixture
def editor_add_story(client, add_story):
    """add_story, signed in as an editor rather than a superuser."""
    client.force_login(make_user(is_staff=True, groups=["Editors"]))
    return add_story


def truncated(data):
    return data[: len(data) // 2]


def noisy_image_bytes(format):
    """An image whose data cannot be guessed, so that losing half the file loses pixels."""
    buffer = io.BytesIO()
    Image.effect_noise((800, 600), 60).convert("RGB").save(buffer, format)
    return buffer.getvalue()


HOSTILE_UPLOADS = [
    pytest.param(
        "notes.jpg",
        b"Minutes of the editorial meeting.\nNot a picture.\n",
        "image/jpeg",
        id="text-named-jpg",
    ),
    pytest.param(
        "photo.jpg", truncated(noisy_image_bytes("JPEG")), "image/jpeg", id="truncated-jpeg"
    ),
    pytest.param("chart.png", truncated(noisy_image_bytes("PNG")), "image/png", id="truncated-png"),
    pytest.param("bomb.png", png_header_only(20_000, 20_000), "image/png", id="20000x20000-bomb"),
    pytest.param("warned.png", png_header_only(10_000, 10_000), "image/png", id="10000x10000-bomb"),
    pytest.param(
        "huge.png",
        image_bytes("PNG", size=(8000, 6000), mode="1", color=0),
        "image/png",
        id="48-megapixels",
    ),
    pytest.param(
        "page.png",
        b"<html><body><img src=x onerror=alert(1)></body></html>",
        "image/png",
        id="html-named-png",
    ),
    pytest.param(
        "polyglot.gif",
        b"GIF89a<script>alert(1)</script>",
        "image/gif",
        id="gif-header-then-html",
    ),
    pytest.param("empty.jpg", b"", "image/jpeg", id="empty-file"),
]


@pytest.mark.parametrize(("name", "data", "content_type"), HOSTILE_UPLOADS)
def test_hostile_featured_images_are_form_errors_for_an_editor(
    editor_add_story, name, data, content_type
):
    response = editor_add_story(upload(data, name, content_type))

    (message,) = image_errors(response)
    assert message.startswith(("This file is", "This image", "Upload a JPEG", "The submitted"))
    assert message in response.text.replace("&#x27;", "'")
    assert "Please correct the error below." in response.text


def test_png_bytes_named_jpg_are_stored_as_the_png_they_are(editor_add_story):
    response = editor_add_story(upload(image_bytes("PNG"), "photo.jpg", "image/jpeg"))

    assert response.status_code == 302, response.context["adminform"].form.errors
    name = Article.objects.get().featured_image.name
    assert name.endswith(".png")
    assert stored(name).format == "PNG"


# The author's photo goes through the same checks --------------------------------------------


@pytest.fixture
def add_author(client):
    client.force_login(make_user(is_staff=True, groups=["Editors"]))

    def post(photo):
        data = {"name": "Asel Nurlanova", "slug": "asel-nurlanova", "bio": "", "user": ""}
        return client.post(reverse("admin:articles_author_add"), {**data, "photo": photo})

    return post


@pytest.mark.parametrize(("name", "data", "content_type"), HOSTILE_UPLOADS)
def test_hostile_author_photos_are_form_errors(add_author, name, data, content_type):
    response = add_author(upload(data, name, content_type))

    assert response.status_code == 200
    assert not Author.objects.exists()
    (message,) = response.context["adminform"].form.errors["photo"]
    assert message in response.text.replace("&#x27;", "'")


def test_an_author_photo_is_stored_re_encoded_without_metadata(add_author):
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Canon"
    response = add_author(upload(image_bytes("PNG", exif=exif), "portrait.jpg", "image/jpeg"))

    assert response.status_code == 302, response.context["adminform"].form.errors
    photo = Author.objects.get().photo
    assert photo.name.endswith(".png")
    with photo.open() as file:
        raw = file.read()
    assert Image.open(io.BytesIO(raw)).format == "PNG"
    assert b"Canon" not in raw

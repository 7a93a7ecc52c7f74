"""Hostile uploads and bodies: phone pictures, pixel bombs, huge request bodies, and author pages
that must stay private until the author's first story is published."""

import io
import socket
import struct
import zlib
from datetime import timedelta
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageFile

from articles.models import Article, Author, Byline
from images.processing import normalise_upload

from .factories import article_admin_data, make_article, make_category, make_user

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


def admin_client(client, **fields):
    client.force_login(make_user(is_staff=True, is_superuser=True, **fields))
    return client


def add_story_with(client, image):
    data = article_admin_data(make_category(), featured_image=image, featured_image_alt="A view")
    return client.post(reverse("admin:articles_article_add"), data)


def png_header_only(width, height):
    """A PNG of a few dozen bytes that claims `width` × `height` pixels."""

    def chunk(kind, data):
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = chunk(b"IDAT", zlib.compress(b""))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + idat + chunk(b"IEND", b"")


# Pictures -----------------------------------------------------------------------------------


def test_a_multi_picture_jpeg_from_a_phone_is_stored_as_its_first_picture(client):
    # MPO: what many phone cameras write (a stereo or depth pair behind one JPEG).
    first, second = Image.new("RGB", (640, 480), (200, 20, 20)), Image.new("RGB", (320, 240))
    buffer = io.BytesIO()
    first.save(buffer, "MPO", save_all=True, append_images=[second])
    upload = SimpleUploadedFile("IMG_0042.jpg", buffer.getvalue(), content_type="image/jpeg")

    response = add_story_with(admin_client(client), upload)

    assert response.status_code == 302, response.context["adminform"].form.errors
    story = Article.objects.get()
    assert story.featured_image.name.endswith(".jpg")
    with story.featured_image.open() as file:
        stored = Image.open(io.BytesIO(file.read()))
    assert (stored.format, getattr(stored, "n_frames", 1), stored.size) == ("JPEG", 1, (640, 480))
    red, green, blue = stored.getpixel((320, 240))
    assert red > 180 and green < 40 and blue < 40


@pytest.mark.parametrize("size", [(6000, 5000), (10000, 5000)])
def test_a_png_declaring_too_many_pixels_is_refused_before_any_decoding(client, size):
    upload = SimpleUploadedFile("chart.png", png_header_only(*size), content_type="image/png")

    with mock.patch.object(ImageFile.ImageFile, "load", side_effect=AssertionError("decoded")):
        response = add_story_with(admin_client(client), upload)

    assert response.status_code == 200
    assert not Article.objects.exists()
    (message,) = response.context["adminform"].form.errors["featured_image"]
    assert message.startswith(f"This image has too many pixels ({size[0]} × {size[1]})")
    assert "24 for PNG, WebP and GIF" in message


def test_a_48_megapixel_phone_photo_is_accepted_and_decoded_at_half_size():
    buffer = io.BytesIO()
    Image.new("RGB", (8000, 6000), (40, 90, 160)).save(buffer, "JPEG", quality=70)
    upload = SimpleUploadedFile("IMG_0043.jpg", buffer.getvalue(), content_type="image/jpeg")

    stored = Image.open(normalise_upload(upload))

    # Decoded by libjpeg at 1/2 scale: the 8000 × 6000 picture was never held in memory.
    assert (stored.format, stored.size) == ("JPEG", (4000, 3000))


# Request bodies -----------------------------------------------------------------------------


class UnreadStream:
    """A request body that records whether anyone reads it."""

    def __init__(self):
        self.read_calls = 0

    def read(self, *args):
        self.read_calls += 1
        return b"x" * 65536

    readline = read


def post_headers_only(client, url, length, **extra):
    stream = UnreadStream()
    response = client.generic(
        "POST",
        url,
        content_type="multipart/form-data; boundary=BoUnDaRy",
        CONTENT_LENGTH=str(length),
        **{"wsgi.input": stream},
        **extra,
    )
    return response, stream


def test_a_20_mb_anonymous_comment_post_is_a_413_and_never_read(client):
    story = make_article()

    response, stream = post_headers_only(client, reverse("comments:post", args=[story.pk]), 20 * MB)

    assert response.status_code == 413
    assert "That was too much to send" in response.text
    assert "64.0\xa0KB at most" in response.text
    assert stream.read_calls == 0
    # The page passed back through the security middleware like any other.
    assert "Content-Security-Policy" in response.headers


def test_only_staff_in_the_admin_may_send_an_image_sized_body(client):
    # Anyone else, even to the admin's sign-in page, may send a small form only.
    response, stream = post_headers_only(client, reverse("admin:login"), 1 * MB)
    assert response.status_code == 413
    assert stream.read_calls == 0

    # Staff may send a 2 MB photo: more than nginx's default 1 MB and the readers' 64 KB.
    noise = Image.effect_noise((1800, 1200), 80).convert("RGB")
    buffer = io.BytesIO()
    noise.save(buffer, "JPEG", quality=98)
    assert len(buffer.getvalue()) > 2 * MB
    upload = SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")
    response = add_story_with(admin_client(client), upload)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Article.objects.get().featured_image_width == 1800

    # But not more than an image and a story.
    add = reverse("admin:articles_article_add")
    response, stream = post_headers_only(client, add, 13 * MB)
    assert response.status_code == 413
    assert "12.0\xa0MB at most" in response.text
    assert stream.read_calls == 0


def test_a_body_of_unknown_length_is_refused(client):
    story = make_article()

    response = client.generic(
        "POST", reverse("comments:post", args=[story.pk]), HTTP_TRANSFER_ENCODING="chunked"
    )

    assert response.status_code == 411


def test_too_many_form_fields_for_django_is_a_413_page_not_a_bare_400(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    story = make_article()

    response = client.post(
        reverse("comments:post", args=[story.pk]),
        {"name": "Reader", "email": "r@example.com", "body": "x" * 2000},
    )

    assert response.status_code == 413
    assert "That was too much to send" in response.text


@pytest.mark.django_db(transaction=True)
def test_a_real_server_answers_413_to_the_headers_alone(live_server):
    """A client announces 300 MB and sends none of it: the answer comes at once, so the server
    never waited for (nor stored) the body."""
    story = make_article()
    host, port = live_server.thread.host, live_server.thread.port
    request = (
        f"POST /comments/post/{story.pk}/ HTTP/1.1\r\n"
        f"Host: {host}\r\n"
        "Content-Type: multipart/form-data; boundary=BoUnDaRy\r\n"
        f"Content-Length: {300 * MB}\r\n\r\n"
    )
    with socket.create_connection((host, port), timeout=5) as connection:
        connection.sendall(request.encode())
        status_line = connection.makefile("rb").readline()

    assert status_line.split()[1] == b"413"


# Author pages -------------------------------------------------------------------------------


def author_addresses(author):
    return [
        author.get_absolute_url(),
        reverse("syndication:author-feed-rss", args=[author.slug]),
        reverse("syndication:author-feed-atom", args=[author.slug]),
    ]


def test_an_author_is_private_until_their_first_story_is_published(client):
    author = Author.objects.create(name="Dana New", slug="dana-new", bio="Joins us from Almaty.")
    draft = make_article(status=Article.Status.DRAFT)
    scheduled = make_article(published_at=timezone.now() + timedelta(days=1))
    for story in (draft, scheduled):
        Byline.objects.create(article=story, author=author)

    for url in author_addresses(author):
        assert client.get(url).status_code == 404, url
    assert "dana-new" not in client.get("/sitemap-authors.xml").text
    # Staff too: the rule is the same for everyone (the admin shows them the author).
    staff = make_user(is_staff=True, is_superuser=True)
    client.force_login(staff)
    assert client.get(author.get_absolute_url()).status_code == 404
    client.logout()

    draft.status = Article.Status.PUBLISHED
    draft.published_at = timezone.now() - timedelta(minutes=1)
    draft.save()

    for url in author_addresses(author):
        assert client.get(url).status_code == 200, url
    assert "Joins us from Almaty." in client.get(author.get_absolute_url()).text
    assert "/author/dana-new/" in client.get("/sitemap-authors.xml").text

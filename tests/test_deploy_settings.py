"""Settings for installs with more than one app server: media on S3-compatible storage."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.storage import default_storage

from tests.factories import image_upload, make_article

ROOT = Path(__file__).resolve().parent.parent
AWS_VARIABLES = (
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_S3_REGION_NAME",
    "AWS_S3_ENDPOINT_URL",
    "AWS_S3_CUSTOM_DOMAIN",
)
SHOW_STORAGE = """
import json, django
django.setup()
from django.conf import settings
from django.core.files.storage import storages
print(json.dumps({
    "settings": settings.STORAGES["default"],
    "class": type(storages["default"]).__name__,
    "url": storages["default"].url("articles/2026/01/photo.jpg"),
}))
"""


def storage_in_fresh_process(**env):
    clean = {k: v for k, v in os.environ.items() if k not in AWS_VARIABLES}
    result = subprocess.run(
        [sys.executable, "-c", SHOW_STORAGE],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "newsroom.settings", "DEBUG": "true", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_media_stay_on_local_disk_by_default():
    shown = storage_in_fresh_process()
    assert shown["settings"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert shown["class"] == "FileSystemStorage"
    assert shown["url"] == "/media/articles/2026/01/photo.jpg"


def test_a_bucket_name_puts_media_on_s3_with_public_urls_on_the_cdn():
    shown = storage_in_fresh_process(
        AWS_STORAGE_BUCKET_NAME="newsroom-media",
        AWS_S3_REGION_NAME="eu-central-1",
        AWS_S3_ENDPOINT_URL="https://s3.example.net",
        AWS_S3_CUSTOM_DOMAIN="media.example.com",
    )
    assert shown["class"] == "S3Storage"
    assert shown["settings"] == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": "newsroom-media",
            "region_name": "eu-central-1",
            "endpoint_url": "https://s3.example.net",
            "custom_domain": "media.example.com",
            "querystring_auth": False,
            "file_overwrite": False,
        },
    }
    # Readers' browsers and caches get a plain, permanent address: no expiring signature.
    assert shown["url"] == "https://media.example.com/articles/2026/01/photo.jpg"


def test_only_the_bucket_name_is_required():
    shown = storage_in_fresh_process(AWS_STORAGE_BUCKET_NAME="newsroom-media")
    options = shown["settings"]["OPTIONS"]
    assert options["bucket_name"] == "newsroom-media"
    assert options["region_name"] is options["endpoint_url"] is options["custom_domain"] is None


@pytest.mark.django_db
def test_images_and_renditions_use_only_the_storage_api(
    settings, django_capture_on_commit_callbacks, client
):
    """Uploads, renditions and pages work on a storage with no local files (as S3 has none)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    settings.MEDIA_ROOT = "/nonexistent-media-root"
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(
            featured_image=image_upload(size=(1200, 800)), featured_image_alt="A harbour"
        )
    name = article.featured_image.name
    assert default_storage.exists(name)
    assert (article.featured_image_width, article.featured_image_height) == (1200, 800)
    for rendition in ("-480.webp", "-960.jpg", "-1200.webp"):
        assert default_storage.exists(f"renditions/{name}{rendition}")
    html = client.get(article.get_absolute_url()).content.decode()
    assert f"/media/renditions/{name}-960.jpg" in html

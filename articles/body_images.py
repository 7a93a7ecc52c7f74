"""Images inside a story's body: uploaded from the editor, stored and served like featured images.

The editor's "Upload image" button (static/js/body-image-upload.js) posts a file and its alt
text to `upload`, under /admin/ (so the admin's request size limit, newsroom/limits.py,
applies). The file passes the featured image checks (`images.normalise_upload`: real JPEG,
PNG, WebP or GIF, size and pixel limits, re-encoded without metadata) and is stored as a
BodyImage, whose renditions are made once it is saved. The editor inserts the original's
address; pages show it as <picture> with the renditions (`body_pictures`), found from the
addresses in the body with one query.
"""

import html
import re
from functools import partial

from django import forms
from django.conf import settings
from django.db import models, transaction
from django.http import JsonResponse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_prose_editor.widgets import AdminProseEditorWidget
from js_asset import Script

from .images import fallback_rendition, generate_renditions, normalise_upload, rendition_names

# Where body images are stored; the page rewrite only looks at addresses in this folder.
FOLDER = "body"
# A stored body image's name inside any address to it (local /media/ or an S3 or CDN host).
STORED_NAME = re.compile(rf"(?:^|/)({FOLDER}/\d{{4}}/\d{{2}}/[^/?#\"]+)(?:[?#]|$)")
# A tag as the sanitiser writes it (articles/html.py): attributes in double quotes, escaped.
IMG_TAG = re.compile(r"<img\s[^>]*>")
ATTRIBUTE = re.compile(r'([a-z-]+)="([^"]*)"')
# How wide a body image is shown: the column of the story (see article_detail.html).
BODY_SIZES = "(min-width: 42rem) 40rem, calc(100vw - 2rem)"


class BodyImage(models.Model):
    image = models.ImageField(
        upload_to=f"{FOLDER}/%Y/%m/",
        width_field="width",
        height_field="height",
        max_length=255,
        db_index=True,
    )
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    alt = models.CharField(
        "alt text",
        max_length=300,
        blank=True,
        help_text="What the image shows, for readers who cannot see it; empty if decorative.",
    )
    # Where an imported image came from (a WordPress upload's path), so a re-run reuses it.
    source = models.CharField(max_length=500, blank=True, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.image.name

    def save(self, *args, **kwargs):
        new = self._state.adding
        super().save(*args, **kwargs)
        if new:
            # Renditions once the row is committed, as for featured images (Article.save).
            transaction.on_commit(partial(generate_renditions, self.image), robust=True)


class BodyImageUploadForm(forms.Form):
    image = forms.FileField(error_messages={"required": "Choose an image file to upload."})
    alt = forms.CharField(max_length=300, required=False, strip=True)
    # Alt text may only be left empty on purpose: a decorative image says nothing to readers.
    decorative = forms.BooleanField(required=False)

    def clean_image(self):
        return normalise_upload(self.cleaned_data["image"])

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("decorative"):
            cleaned_data["alt"] = ""
        elif not cleaned_data.get("alt"):
            self.add_error(
                "alt",
                "Describe the image for readers who cannot see it, or mark it as decorative.",
            )
        return cleaned_data


def may_upload(user):
    """The admin's own rule for editing stories: active staff who may add or change them."""
    return (
        user.is_active
        and user.is_staff
        and (user.has_perm("articles.add_article") or user.has_perm("articles.change_article"))
    )


def _error(message, status):
    return JsonResponse({"error": message}, status=status)


@never_cache
@require_POST
def upload(request):
    """Store one body image; answer {url, width, height, alt} (201) or {error} (400/403/413).

    CSRF is checked by the middleware, as for every admin form; the JS sends the token."""
    if not may_upload(request.user):
        return _error("Sign in as a member of staff who may write stories to upload images.", 403)
    form = BodyImageUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        errors = form.errors.as_data()
        too_large = any(e.code == "file_too_large" for e in errors.get("image", []))
        message = " ".join(e for field_errors in form.errors.values() for e in field_errors)
        return _error(message, 413 if too_large else 400)
    body_image = BodyImage(alt=form.cleaned_data["alt"], uploaded_by=request.user)
    upload_file = form.cleaned_data["image"]
    body_image.image.save(upload_file.name, upload_file, save=False)
    body_image.save()
    return JsonResponse(
        {
            "url": body_image.image.url,
            "width": body_image.width,
            "height": body_image.height,
            "alt": body_image.alt,
        },
        status=201,
    )


def upload_url():
    # Imported here: newsroom/urls.py imports this module for its view.
    from django.urls import reverse

    return reverse("body-image-upload")


class BodyEditorWidget(AdminProseEditorWidget):
    """The admin's prose editor plus the "Upload image" button. The button's script comes
    first: it must be listening when the editor announces itself ("prose-editor:ready")."""

    @property
    def media(self):
        return forms.Media(js=[Script("js/body-image-upload.js", type="module")]) + super().media

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-body-image-upload"] = upload_url()
        return context


# Reading --------------------------------------------------------------------------------


def stored_name(src):
    """The stored name of a body image at address `src`, or None for any other address."""
    match = STORED_NAME.search(src)
    return match[1] if match else None


def body_pictures(body):
    """Sanitised body HTML with each of our body images as <picture>: WebP renditions with a
    JPEG or PNG fallback, width and height from the database. One query, and none for a body
    without any; other images are left as they are."""
    if f"{FOLDER}/" not in body:
        return body
    tags = {}
    for tag in IMG_TAG.findall(body):
        attrs = {name: html.unescape(value) for name, value in ATTRIBUTE.findall(tag)}
        if name := stored_name(attrs.get("src", "")):
            tags[tag] = (name, attrs.get("alt", ""))
    if not tags:
        return body
    images = {
        image.image.name: image
        for image in BodyImage.objects.filter(image__in={name for name, _ in tags.values()})
    }

    def picture(match):
        name, alt = tags.get(match[0], (None, ""))
        image = images.get(name)
        return _picture(image, alt) if image else match[0]

    return IMG_TAG.sub(picture, body)


def _picture(image, alt):
    url = image.image.storage.url
    renditions = rendition_names(image.image.name, image.width)
    webp_srcset = ", ".join(f"{url(webp)} {w}w" for w, webp, _ in renditions)
    # One fallback, as picture_tags.picture gives: browsers that choose among widths read WebP.
    src = url(fallback_rendition(image.image.name, image.width)[1])
    return format_html(
        '<picture><source type="image/webp" srcset="{}" sizes="{}">'
        '<img src="{}" width="{}" height="{}" alt="{}" loading="lazy" decoding="async">'
        "</picture>",
        webp_srcset,
        BODY_SIZES,
        src,
        image.width,
        image.height,
        alt,
    )


# Importing ------------------------------------------------------------------------------


def store_imported(file, source):
    """A BodyImage for an imported file (checked and re-encoded as an upload is), reusing the
    one a previous import stored from the same `source`. Raises ValidationError."""
    existing = BodyImage.objects.filter(source=source).first()
    if existing:
        return existing
    upload_file = normalise_upload(file)
    body_image = BodyImage(source=source)
    body_image.image.save(upload_file.name, upload_file, save=False)
    body_image.save()
    return body_image

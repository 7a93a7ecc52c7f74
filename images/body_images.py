"""Images inside a story's body (and a live story's entries): uploaded from the editor, stored and served like featured images.

The editor's "Upload image" button (static/js/body-image-upload.js) posts a file and its alt
text to an address under /admin/ (so the admin's request size limit, newsroom/limits.py,
applies), whose view (articles/views.py: who may upload is the stories' rule) has
`store_upload` do the rest. The file passes the featured image checks
(`processing.normalise_upload`: real JPEG, PNG, WebP or GIF, size and pixel limits, re-encoded
without metadata) and is stored as a BodyImage (models.py), whose renditions are made once it
is saved. The editor inserts the original's address; pages show it as <picture> with the
renditions (`body_pictures`), found from the addresses in the body with one query.
"""

import html
import re

from django import forms
from django.http import JsonResponse
from django.urls import reverse
from django_prose_editor.widgets import AdminProseEditorWidget
from js_asset import Script

from .models import BODY_FOLDER, BodyImage
from .pictures import picture
from .processing import normalise_upload

# A stored body image's name inside any address to it (local /media/ or an S3 or CDN host).
STORED_NAME = re.compile(rf"(?:^|/)({BODY_FOLDER}/\d{{4}}/\d{{2}}/[^/?#\"]+)(?:[?#]|$)")
# A tag as the sanitiser writes it (articles/html.py): attributes in double quotes, escaped.
IMG_TAG = re.compile(r"<img\s[^>]*>")
ATTRIBUTE = re.compile(r'([a-z-]+)="([^"]*)"')
# How wide a body image is shown: the column of the story (see article_detail.html).
BODY_SIZES = "(min-width: 42rem) 40rem, calc(100vw - 2rem)"


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


def store_upload(request):
    """Store the body image posted in `request`; answer {url, width, height, alt} (201) or
    {error} (400/413). Not a view: the caller decides who may upload (articles/views.py)."""
    form = BodyImageUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        errors = form.errors.as_data()
        too_large = any(e.code == "file_too_large" for e in errors.get("image", []))
        message = " ".join(e for field_errors in form.errors.values() for e in field_errors)
        return JsonResponse({"error": message}, status=413 if too_large else 400)
    body_image = BodyImage.store(
        form.cleaned_data["image"], alt=form.cleaned_data["alt"], uploaded_by=request.user
    )
    return JsonResponse(
        {
            "url": body_image.image.url,
            "width": body_image.width,
            "height": body_image.height,
            "alt": body_image.alt,
        },
        status=201,
    )


class BodyEditorWidget(AdminProseEditorWidget):
    """The admin's prose editor plus the "Upload image" button. The button's script comes
    first: it must be listening when the editor announces itself ("prose-editor:ready")."""

    @property
    def media(self):
        return forms.Media(js=[Script("js/body-image-upload.js", type="module")]) + super().media

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        # The route is the site's (newsroom/urls.py); the name is all this widget knows of it.
        context["widget"]["attrs"]["data-body-image-upload"] = reverse("body-image-upload")
        return context


# What the editor's toolbar offers: a subset of what `html.sanitize_html` keeps, so nothing
# an editor writes is lost on save. No h1: the headline is the page's h1. Images are
# uploaded with the toolbar's "Upload image" button (below) or inserted by
# URL (a dialog asks for the address and alt text).
BODY_EDITOR = {
    "extensions": {
        "Heading": {"levels": [2, 3]},
        "Bold": True,
        "Italic": True,
        "Subscript": True,
        "Superscript": True,
        "Link": {"enableTarget": False},
        "BulletList": True,
        "OrderedList": True,
        "ListItem": True,
        "Blockquote": True,
        "HardBreak": True,
        "HorizontalRule": True,
        "Figure": True,
        "Image": True,
        "Caption": True,
        # On by default in django-prose-editor: writers need the browser's spell-checker.
        "NoSpellCheck": False,
    }
}


def body_editor():
    return BodyEditorWidget(config=BODY_EDITOR, preset="configurable")


# Reading --------------------------------------------------------------------------------


def stored_name(src):
    """The stored name of a body image at address `src`, or None for any other address."""
    match = STORED_NAME.search(src)
    return match[1] if match else None


def body_pictures(body):
    """Sanitised body HTML with each of our body images as <picture>: WebP renditions with a
    JPEG or PNG fallback, width and height from the database. One query, and none for a body
    without any; other images are left as they are."""
    if f"{BODY_FOLDER}/" not in body:
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

    def as_picture(match):
        name, alt = tags.get(match[0], (None, ""))
        if not (image := images.get(name)):
            return match[0]
        return picture(image.image, image.width, image.height, alt, BODY_SIZES)

    return IMG_TAG.sub(as_picture, body)


# Importing ------------------------------------------------------------------------------


def store_imported(file, source):
    """A BodyImage for an imported file (checked and re-encoded as an upload is), reusing the
    one a previous import stored from the same `source`. Raises ValidationError."""
    existing = BodyImage.objects.filter(source=source).first()
    if existing:
        return existing
    return BodyImage.store(normalise_upload(file), source=source)

import uuid
from pathlib import PurePath

from django import forms
from django.core import signing
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from articles.models import About, Article, Author
from images.body_images import body_editor
from images.processing import MAX_DECODED_PIXELS, MAX_PIXELS, MAX_UPLOAD_BYTES, normalise_upload

# Django's own message for a file Pillow cannot open at all (or refuses as a decompression bomb);
# normalise_upload gives the precise one for anything that gets that far.
NOT_AN_IMAGE = (
    "This file is not an image we can use: upload a JPEG, PNG, WebP or GIF "
    f"of at most {MAX_PIXELS // 1_000_000} megapixels."
)
# What editors are told beside the file field: the limits of images/processing.py, and what
# happens on upload.
IMAGE_HELP = (
    f"A JPEG, PNG, WebP or GIF of at most {MAX_UPLOAD_BYTES // 2**20} MB and "
    f"{MAX_PIXELS // 1_000_000} megapixels ({MAX_DECODED_PIXELS // 1_000_000} for PNG, WebP "
    f"and GIF). A JPEG over {MAX_DECODED_PIXELS // 1_000_000} megapixels is stored at half its "
    "size (a 48 MP photo as 4000 × 3000). Animated and multi-picture files keep their first "
    "picture; camera and location data are removed."
)


# Uploads kept for a form shown again with errors, for a day at most (see keep_upload).
KEPT_UPLOADS = "kept-uploads"
KEPT_UPLOAD_SALT = "articles.kept-featured-image"
KEPT_UPLOAD_MAX_AGE = 24 * 60 * 60


# The admin's fieldsets decide which fields a form shows; these forms set widgets and checks.
class ArticleAdminForm(forms.ModelForm):
    # The story's version when the form was opened: a save is refused if another one came in
    # between, so two editors never overwrite each other (ArticleAdmin puts it in the form).
    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # A signed name of the featured image uploaded with a form that came back with errors
    # (see keep_upload): browsers cannot refill a file input, so the server keeps the file.
    kept_featured_image = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        fields = ["body"]
        widgets = {"body": body_editor()}
        error_messages = {"featured_image": {"invalid_image": NOT_AN_IMAGE}}
        help_texts = {"featured_image": IMAGE_HELP}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            # The stored version, not the instance's: a revert form holds an old revision.
            self.fields["opened_version"].initial = (
                Article.objects.filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
        self._describe_publishing()

    def _describe_publishing(self):
        article = self.instance
        if "published_at" in self.fields:
            field = self.fields["published_at"]
            field.required = False
            field.help_text = (
                "Leave empty to publish now. A time in the future schedules the story: it "
                "appears by itself then."
            )
            # A time nobody set (a draft's creation time) is not shown: publishing means now.
            unset = article.pk is None or article.published_at <= timezone.now()
            if not self.is_bound and article.status != Article.Status.PUBLISHED and unset:
                self.initial["published_at"] = None
        if "is_featured" in self.fields:
            lead = Article.objects.filter(is_featured=True).only("pk", "title").first()
            if lead is None:
                note = "No story leads the front page now: the newest story stands in."
            elif lead.pk == article.pk:
                note = "This is the lead story."
            else:
                note = f"“{lead.title}” is the lead story now; ticking this box replaces it."
            self.fields["is_featured"].help_text = f"{note} One story leads at a time."

    def clean(self):
        cleaned_data = super().clean()
        opened = cleaned_data.get("opened_version")
        # A post without the field (a script, an old tab from before this check) is not checked.
        if opened is not None and self.instance.pk is not None:
            # Compare and lock in one statement: the row stays locked until the admin's
            # transaction ends, so no save can slip in between this check and our own.
            unchanged = Article.objects.filter(pk=self.instance.pk, version=opened).update(
                version=F("version")
            )
            if not unchanged:
                raise forms.ValidationError(self.saved_meanwhile_message(), code="stale")
        return cleaned_data

    def saved_meanwhile_message(self):
        article = self.instance
        latest = article.history.order_by("-history_date", "-history_id").first()
        when = timezone.localtime(latest.history_date) if latest else timezone.localtime()
        user = latest.history_user if latest else None
        by = f" (by {user.get_full_name() or user.get_username()})" if user else ""
        return format_html(
            "Someone else saved this story at {}{} after you opened it. Your version is below "
            "and has not been saved. Open "
            '<a href="{}" target="_blank" rel="noopener">the current version in a new tab</a> '
            'and <a href="{}" target="_blank" rel="noopener">its history</a> to compare, '
            "then copy your changes across.",
            f"{when:%H:%M}",
            by,
            reverse("admin:articles_article_change", args=[article.pk]),
            reverse("admin:articles_article_history", args=[article.pk]),
        )

    def clean_featured_image(self):
        image = self.cleaned_data["featured_image"]
        # A new upload is checked and stored re-encoded; an image already stored is kept as is.
        if isinstance(image, UploadedFile):
            return normalise_upload(image)
        kept = self._kept_upload_name()
        if kept and image is not False:  # not when "Clear" is ticked
            return File(default_storage.open(kept), name=PurePath(kept).name)
        return image

    def _kept_upload_name(self):
        """The kept upload the form's hidden field names, if its signature holds and it is
        still there: a forged name must not attach some other stored file to the story."""
        token = self.data.get(self.add_prefix("kept_featured_image"))
        if not token:
            return None
        try:
            name = signing.loads(token, salt=KEPT_UPLOAD_SALT, max_age=KEPT_UPLOAD_MAX_AGE)
        except signing.BadSignature:
            return None
        return name if default_storage.exists(name) else None

    def keep_upload(self):
        """After an error, keep the featured image this form checked, and say so: re-posting
        the form without choosing it again keeps it. Called when the form is shown again."""
        image = getattr(self, "cleaned_data", {}).get("featured_image")
        if isinstance(image, UploadedFile):
            image.seek(0)
            name = default_storage.save(f"{KEPT_UPLOADS}/{uuid.uuid4().hex}/{image.name}", image)
            self.data = self.data.copy()
            self.data[self.add_prefix("kept_featured_image")] = signing.dumps(
                name, salt=KEPT_UPLOAD_SALT
            )
        elif (name := self._kept_upload_name()) is None:
            return
        shown = PurePath(name if not isinstance(image, UploadedFile) else image.name).name
        # On the field and on its bound field, which validation already made from it.
        self.fields["featured_image"].help_text = self["featured_image"].help_text = format_html(
            "<strong>{} is kept</strong> and is saved with the story: choose another file to "
            "replace it. {}",
            shown,
            IMAGE_HELP,
        )

    def discard_kept_upload(self):
        """Once the story is saved (with its own copy of the image), the kept file goes."""
        if name := self._kept_upload_name():
            transaction.on_commit(lambda: default_storage.delete(name))


class AboutAdminForm(forms.ModelForm):
    class Meta:
        model = About
        fields = ["body"]
        widgets = {"body": body_editor()}


class AuthorAdminForm(forms.ModelForm):
    """An author's photo passes the checks a featured image does, and loses its metadata."""

    class Meta:
        model = Author
        # The admin shows the fields its form names: all of them, as before this form.
        fields = ["user", "name", "slug", "bio", "photo"]
        error_messages = {"photo": {"invalid_image": NOT_AN_IMAGE}}
        help_texts = {"photo": IMAGE_HELP}

    def clean_photo(self):
        photo = self.cleaned_data["photo"]
        if isinstance(photo, UploadedFile):
            photo = normalise_upload(photo)
        return photo

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django_prose_editor.widgets import AdminProseEditorWidget

from .images import normalise_upload
from .models import About, Article, Author

# What the editor's toolbar offers: a subset of what `html.sanitize_html` keeps, so nothing
# an editor writes is lost on save. No h1: the headline is the page's h1. Images are
# inserted by URL (a dialog asks for the address and alt text); there is no upload view.
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
    }
}


def body_editor():
    return AdminProseEditorWidget(config=BODY_EDITOR, preset="configurable")


# The admin's fieldsets decide which fields a form shows; these forms set widgets and checks.
class ArticleAdminForm(forms.ModelForm):
    # The story's version when the form was opened: a save is refused if another one came in
    # between, so two editors never overwrite each other (ArticleAdmin puts it in the form).
    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        fields = ["body"]
        widgets = {"body": body_editor()}
        error_messages = {
            "featured_image": {
                "invalid_image": (
                    "This file is not an image we can use: upload a JPEG, PNG, WebP or GIF "
                    "of at most 40 megapixels."
                )
            }
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            # The stored version, not the instance's: a revert form holds an old revision.
            self.fields["opened_version"].initial = (
                Article.objects.filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )

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
            image = normalise_upload(image)
        return image


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
        error_messages = {"photo": ArticleAdminForm.Meta.error_messages["featured_image"]}

    def clean_photo(self):
        photo = self.cleaned_data["photo"]
        if isinstance(photo, UploadedFile):
            photo = normalise_upload(photo)
        return photo

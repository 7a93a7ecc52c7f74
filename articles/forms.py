from django import forms
from django.core.files.uploadedfile import UploadedFile
from django_prose_editor.widgets import AdminProseEditorWidget

from .images import normalise_upload
from .models import About, Article

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

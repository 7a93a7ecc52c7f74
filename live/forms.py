from django import forms
from django.utils.html import strip_tags

from articles.html import sanitize_html
from images.body_images import body_editor

from .models import LiveEntry


class LiveEntryForm(forms.ModelForm):
    """The posting screen's one box: the same editor (and image upload) as a story's body."""

    class Meta:
        model = LiveEntry
        fields = ["headline", "body", "is_key_event", "is_pinned"]
        widgets = {"body": body_editor()}

    def clean_body(self):
        body = sanitize_html(self.cleaned_data["body"])
        if not strip_tags(body).strip() and "<img" not in body:
            raise forms.ValidationError("Write the update first: it has no text.")
        return body

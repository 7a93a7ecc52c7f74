from django import forms

from .models import BODY_MAX_LENGTH, Comment


class CommentForm(forms.ModelForm):
    # Bots fill in every field; people never see this one. A filled-in honeypot is dropped.
    website = forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    class Meta:
        model = Comment
        fields = ["name", "email", "body"]
        labels = {"name": "Name", "email": "Email", "body": "Comment"}
        help_texts = {
            "email": "Never shown publicly.",
            "body": f"Plain text, up to {BODY_MAX_LENGTH:,} characters.",
        }
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "body": forms.Textarea(attrs={"rows": 6}),
        }
        error_messages = {
            "name": {"required": "Please give a name to show with your comment."},
            "email": {
                "required": "Please give your email address (it is never shown).",
                "invalid": "Please give a valid email address, like name@example.com.",
            },
            "body": {
                "required": "Please write a comment.",
                "max_length": (
                    f"Please shorten your comment to {BODY_MAX_LENGTH:,} characters "
                    "(it has %(show_value)d)."
                ),
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)

    @property
    def is_bot(self):
        return bool(self.cleaned_data.get("website"))

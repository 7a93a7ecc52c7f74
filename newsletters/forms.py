from django import forms

from .models import Newsletter


class SignupForm(forms.Form):
    email = forms.EmailField(max_length=254, label="Your email address")
    # Empty for people (the field is hidden from them and from screen readers); bots fill it.
    website = forms.CharField(required=False, max_length=200)
    newsletters = forms.ModelMultipleChoiceField(
        queryset=Newsletter.objects.filter(is_active=True), required=False
    )

    def chosen(self):
        """What the reader ticked, or the footer's default: those offered at sign-up."""
        return list(self.cleaned_data["newsletters"]) or list(
            Newsletter.objects.filter(is_active=True, offered_at_signup=True)
        )


class ManageForm(forms.Form):
    newsletters = forms.ModelMultipleChoiceField(
        queryset=Newsletter.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Send me",
    )

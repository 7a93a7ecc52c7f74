from django import forms

from .models import About, Article


# The admin's fieldsets decide which fields a form shows; these forms only set widgets.
class ArticleAdminForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = ["body"]


class AboutAdminForm(forms.ModelForm):
    class Meta:
        model = About
        fields = ["body"]

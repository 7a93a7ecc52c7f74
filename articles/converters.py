"""The path converters of story addresses, registered once when the app is ready
(articles/apps.py), before any URLconf is read: articles' own URLs and syndication's feeds (a
category's, tag's or author's, beside its page) use them."""

from django.urls import register_converter


class FourDigitYearConverter:
    regex = "[0-9]{4}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{value:04d}"


class TwoDigitConverter:
    """Months and days with a leading zero, so addresses read /2026/07/05/."""

    regex = "[0-9]{2}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{value:02d}"


class UnicodeSlugConverter:
    """Slugs with letters of any script (SlugField(allow_unicode=True), taggit's tags), e.g.
    kazakhstan-қазақстан-naive-cafe-東京: Django's <slug> takes ASCII only. Addresses carry
    them percent-encoded; Django decodes the path before matching."""

    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


def register():
    register_converter(FourDigitYearConverter, "yyyy")
    register_converter(TwoDigitConverter, "dd")
    register_converter(UnicodeSlugConverter, "uslug")

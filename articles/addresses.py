"""Addresses of stories, sections and authors without a reverse() per row.

A page lists up to 200 stories and sections, and Django's reverse() matches every address
against its pattern again (~25 µs each): most of what drawing a list's links cost. Here each
pattern is reversed once per script prefix, with marker values, into a format string that is
then filled in; urls.py stays the one place that says what an address looks like. A pattern
whose markers cannot be found unambiguously is simply reversed each time.
"""

from urllib.parse import quote

from django.urls import get_script_prefix, reverse

# What reverse() leaves unquoted in a path (django.urls.resolvers).
SAFE = "!$&'()*+,;=/~:@"


class Address:
    """reverse(view_name, kwargs=…) for one pattern. `markers`: for each argument, a value
    whose text in the address cannot be mistaken for anything else in it, and how a value
    is written (the pattern's converter's to_url, then quoted as reverse() quotes it)."""

    def __init__(self, view_name, **markers):
        self.view_name, self.markers = view_name, markers
        self.formats = {}

    def _format(self):
        prefix = get_script_prefix()
        if prefix not in self.formats:
            values = {name: marker for name, (marker, _) in self.markers.items()}
            address = reverse(self.view_name, kwargs=values).replace("{", "{{").replace("}", "}}")
            for name, (marker, write) in self.markers.items():
                text = write(marker)
                if address.count(text) != 1:
                    address = None
                    break
                address = address.replace(text, f"{{{name}}}")
            self.formats[prefix] = address
        return self.formats[prefix]

    def __call__(self, **kwargs):
        address = self._format()
        if address is None:
            return reverse(self.view_name, kwargs=kwargs)
        return address.format(
            **{name: write(kwargs[name]) for name, (_, write) in self.markers.items()}
        )


def _slug(value):
    return quote(str(value), safe=SAFE)


story = Address(
    "articles:detail",
    year=(1234, "{:04d}".format),
    month=(11, "{:02d}".format),
    day=(22, "{:02d}".format),
    slug=("story-slug-marker", _slug),
)
section = Address("articles:category", slug=("section-slug-marker", _slug))
author = Address("articles:author", slug=("author-slug-marker", _slug))

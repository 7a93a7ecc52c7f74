"""What changed between two versions of a story, word by word, for the admin's history pages."""

import difflib
import re

from django.utils import timezone
from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe

from articles.models import Article

# Compared in the history, in the order an editor reads a story. The rest (ids, counters,
# image sizes, the search vector) either never changes by hand or is not worth a line.
COMPARED_FIELDS = [
    "title",
    "slug",
    "standfirst",
    "body",
    "category",
    "author",
    "byline",
    "featured_image",
    "featured_image_alt",
    "featured_image_caption",
    "featured_image_credit",
    "status",
    "published_at",
    "is_featured",
    "comment_mode",
]

# A word with the spaces after it: joined back, the words give the text as it was.
WORD = re.compile(r"\S+\s*|\s+")
# Block ends that become line breaks in the plain text of an HTML body.
BLOCK_END = re.compile(
    r"</(p|h[1-6]|li|blockquote|figcaption|figure)>|<br\s*/?>|<hr\s*/?>", re.IGNORECASE
)


# Fields holding HTML: compared as the words a reader sees, without the tags.
HTML_FIELDS = {"body"}


def plain_text(html):
    """An HTML body as the words a reader sees, a line per paragraph."""
    return strip_tags(BLOCK_END.sub(lambda m: m.group(0) + "\n", html or ""))


def word_diff(old, new):
    """`old` → `new` (plain text) as escaped HTML: removed words in <del>, added in <ins>."""
    before, after = WORD.findall(old), WORD.findall(new)
    parts = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(format_html("{}", "".join(before[a1:a2])))
            continue
        if a1 < a2:
            parts.append(format_html("<del>{}</del>", "".join(before[a1:a2])))
        if b1 < b2:
            parts.append(format_html("<ins>{}</ins>", "".join(after[b1:b2])))
    return mark_safe("".join(parts))  # every part was escaped by format_html


def shown_value(record, name, names):
    """A version's value of `name` as an editor reads it: labels, names and local times.
    `names` remembers the related rows already looked up (a history page compares many)."""
    field = Article._meta.get_field(name)
    value = getattr(record, field.attname)
    if value in (None, ""):
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        key = (field.related_model, value)
        if key not in names:
            related = field.related_model._base_manager.filter(pk=value).first()
            names[key] = str(related) if related is not None else f"(deleted, #{value})"
        return names[key]
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if name in HTML_FIELDS:
        return plain_text(value)
    if hasattr(value, "tzinfo"):
        return f"{timezone.localtime(value):%-d %b %Y, %H:%M}"
    return str(value)


def field_changes(old, new, names=None):
    """[{"field", "diff"}] for each compared field that differs from version `old` to `new`."""
    names = {} if names is None else names
    changes = []
    for name in COMPARED_FIELDS:
        before, after = shown_value(old, name, names), shown_value(new, name, names)
        if before != after:
            label = str(Article._meta.get_field(name).verbose_name)
            changes.append(
                {"field": label[:1].upper() + label[1:], "diff": word_diff(before, after)}
            )
    return changes

"""Story cards, headlines and section blocks rendered once and reused by every page and every
app server that shows the same thing: rendering them in Django's templates was most of what an
uncached page cost (bench/RESULTS.md, issue 14).

A fragment's key is a digest of everything it may show: every field of each story that the
page's query loaded (its revision, title, address, picture, date...), its section's name and
address, its credited authors' names and addresses (when the page fetched its bylines), the
time zone, and the source of the templates and tags that draw it. So an edited story, a renamed section or author, a new
picture or a new template is a new key, rendered on its next showing; nothing is purged, and
old keys expire (or are evicted: they live with the page copies, in the `pages` cache).

A page's fragments are read with one get_many and the missing ones stored with one set_many;
each process also keeps the last few thousand it used (a key never changes meaning).
The views still choose the stories: fragments only draw what they are given.
"""

import datetime
import hashlib
from collections import namedtuple
from functools import cache
from itertools import islice
from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from django.core.files import File
from django.db import models
from django.template.loader import get_template
from django.utils import timezone
from django.utils.safestring import mark_safe

from pagecache.generations import cached, pages_cache

from .querysets import CREDITED

# A fragment nobody asked for in a day is dropped: its story has moved on or off the pages.
FRAGMENT_SECONDS = 24 * 60 * 60
# What a fragment's templates may draw with: a change to any of them is a new set of keys.
SOURCES = [
    # Every template: fragments include others, and the story page's, the comment form's and
    # the search form's are drawn from templates of their own.
    "templates",
    "articles/templatetags",
    # What fragments show of a story (reading time, byline, corrections...).
    "articles/models.py",
    "images/templatetags/body_image_tags.py",
    "images/body_images.py",
    "images/pictures.py",
    "images/processing.py",
]


def register_sources(*paths):
    """Tell fragments that what the calling app draws with them also depends on `paths` (its
    forms, its widgets): a change to them is a new set of keys. Call it from an
    AppConfig.ready(), before any page is drawn."""
    SOURCES.extend(path for path in paths if path not in SOURCES)


@cache
def templates_version():
    """A digest of the fragment templates and the tags they use, and of where media live."""
    digest = hashlib.sha256()
    for source in SOURCES:
        path = Path(settings.BASE_DIR) / source
        for file in sorted(path.rglob("*")) if path.is_dir() else [path]:
            if file.is_file():
                digest.update(file.read_bytes())
    # Where media live, and the site's own address (the share links' and JSON-LD's).
    site = (settings.MEDIA_URL, getattr(settings, "STORAGES", None), settings.SITE_URL)
    digest.update(repr(site).encode())
    return digest.hexdigest()[:16]


def _plain(value):
    """A file field's value as its name (its FieldFile also holds the storage)."""
    return value.name if isinstance(value, File) else value


# Values that are their own signature. Tested first: most of what a key is made of (a
# story's fields, a block's rows) is plain, and _signature() runs some 40,000 times a front page.
PLAIN = (str, int, float, bool, datetime.date, type(None))


def _signature(value):
    """What `value` shows in a fragment, as plain data: the part of a fragment's key it makes."""
    if isinstance(value, PLAIN):
        return value
    if isinstance(value, (list, tuple)):
        return tuple(map(_signature, value))
    from .models import Article, Author, Category

    if isinstance(value, Article):
        # Every field the query loaded (updated_at among them): what a template can show
        # without a query, and a new key when any of it changes. Its section when fetched
        # with it; its credited authors when the page fetched its bylines (views.card_rows_for_page),
        # which every template that prints them needs anyway: never a query per story here.
        loaded = value.__dict__
        fields = tuple(
            _plain(loaded[field.attname])
            for field in value._meta.concrete_fields
            if field.attname in loaded
        )
        category = value.category if Article.category.is_cached(value) else None
        authors = ()
        if CREDITED in loaded or "bylines" in getattr(value, "_prefetched_objects_cache", {}):
            authors = tuple(_signature(author) for author in value.credited_authors)
        return ("story", fields, _signature(category), authors)
    if isinstance(value, Category):
        return ("section", value.pk, value.name, value.slug)
    if isinstance(value, Author):
        return ("author", value.pk, value.name, value.slug)
    if isinstance(value, models.Model):  # A comment...: every field its query loaded.
        loaded = value.__dict__
        return (
            value._meta.label,
            tuple(
                _plain(loaded[field.attname])
                for field in value._meta.concrete_fields
                if field.attname in loaded
            ),
        )
    raise TypeError(f"No fragment signature for {value!r}")


def _key(template_name, context):
    parts = (templates_version(), timezone.get_current_timezone_name(), template_name)
    parts += tuple(sorted((name, _signature(value)) for name, value in context.items()))
    return f"fragment:{hashlib.sha256(repr(parts).encode()).hexdigest()}"


# This process's copies of the fragments it read or drew lately. A key is a digest of all its
# fragment shows, so a copy is never out of date: it spares the cache read and the unpickling
# of a page's 40 to 90 fragments. Bounded, so that a worker's memory stays flat (some 1.5 KB
# each): when full it starts again.
IN_PROCESS_FRAGMENTS = 4000
_in_process = {}


def _read(keys):
    """{key: HTML} of those of `keys` drawn before: from this process where it has them, the
    rest in one cache read."""
    found = {key: _in_process[key] for key in keys if key in _in_process}
    missing = [key for key in dict.fromkeys(keys) if key not in found]
    if missing:
        fetched = pages_cache().get_many(missing)
        _remember(fetched)
        found.update(fetched)
    return found


def _store(drawn):
    pages_cache().set_many(drawn, FRAGMENT_SECONDS)
    _remember(drawn)


def _remember(fragments):
    if len(_in_process) + len(fragments) > IN_PROCESS_FRAGMENTS:
        _in_process.clear()
    _in_process.update(islice(fragments.items(), IN_PROCESS_FRAGMENTS))


def render_fragments(fragments, prepare=None):
    """[(template name, context)] -> their HTML, in order: from the cache where drawn before
    (one read for all), else rendered now and kept (one write for all). A context holds
    stories, sections, authors, lists of them and plain values (options such as show_image);
    `prepare(context)`, when given, makes what a template draws from it (models from rows)."""
    keys = [_key(name, context) for name, context in fragments]
    found = _read(keys)
    drawn = {}
    html = []
    for key, (name, context) in zip(keys, fragments, strict=True):
        text = found.get(key) or drawn.get(key)
        if text is None:
            context = prepare(context) if prepare else context
            text = drawn[key] = get_template(name).render(context)
        html.append(mark_safe(text))
    if drawn:
        _store(drawn)
    return html


def drawn_once(template_name, signature, context):
    """One fragment keyed by `signature` (what it shows: plain values, rows, models), drawn
    with `template_name` from `context()` only when it was not drawn before: for what is costly
    to make even when its HTML is kept (a form, models made from rows)."""
    key = _key(template_name, signature)
    text = _read([key]).get(key)
    if text is None:
        text = get_template(template_name).render(context())
        _store({key: text})
    return mark_safe(text)


@cache
def card_row():
    """The row type of a story in a list (card_rows()): the fields a list reads of a story,
    in Article's order, its credited authors last (querysets.credits_of), and `pk`."""
    from .models import Article
    from .querysets import LISTING_DEFERRED

    fields = tuple(
        field.attname
        for field in Article._meta.concrete_fields
        if field.name not in LISTING_DEFERRED
    )
    row = namedtuple("Card", (*fields, "credits"))
    row.pk = property(lambda self: self.id)
    return row


def card_rows(stories):
    """A list page's stories (a queryset, sliced to the page) as card_row()s, with their
    credited authors, in two plain queries: keyed and drawn by story_cards() with no model made for
    a card drawn before. A section page's 20 stories and their authors were 40 models made
    and two queries on every render (bench/RESULTS.md, issue 14)."""
    from .querysets import credits_of

    row = card_row()
    stories = list(stories.values_list(*row._fields[:-1]))
    credits = credits_of([story[0] for story in stories])
    return [row(*story, credits[story[0]]) for story in stories]


def kept_card_rows(name, stories, **keep):
    """card_rows(stories()) kept by cached(name, **keep) (pagecache.generations): as plain
    tuples in the cache, since the row type is made at run time, where pickle cannot find it."""
    kept = cached(name, lambda: [tuple(row) for row in card_rows(stories())], **keep)
    return list(map(card_row()._make, kept))


def story_from_row(fields, values, sections):
    """The Article model a template draws from a row of `fields` (in Article's order, as
    Model.from_db wants them; the others deferred), with its section from `sections`
    ({pk: section}: sections_by_id(), or a block's own)."""
    from .models import Article

    story = Article.from_db(Article.objects.db, fields, tuple(values))
    if story.category_id in sections:  # Else read when drawn (a section made just now).
        Article.category.field.set_cached_value(story, sections[story.category_id])
    return story


def card_model(row, sections=None):
    """A card row as the Article model a template draws: its credited authors attached, its
    section from the site furniture (`sections`: {pk: section}, else read from it)."""
    from .querysets import as_authors

    story = story_from_row(row._fields[:-1], row[:-1], sections or sections_by_id())
    story.__dict__[CREDITED] = as_authors(row.credits)
    return story


def sections_by_id():
    """{pk: section} of every section, from the site furniture (kept per generation)."""
    from .furniture import site_furniture

    return {section.pk: section for section in site_furniture()["nav_categories"]}


def story_cards(fragments):
    """render_fragments() of [(template, {"story": card_row(), options})]: each keyed by its
    row and its section (a renamed section is a new key), a model made only to draw it."""
    sections = sections_by_id()
    keyed = [
        (name, {**context, "section": sections.get(context["story"].category_id)})
        for name, context in fragments
    ]
    return render_fragments(
        keyed, prepare=lambda context: {**context, "story": card_model(context["story"], sections)}
    )


def as_headlines(rows):
    """Headline rows as Article models (with their section, from the site furniture, which
    holds every section), to be drawn."""
    sections = sections_by_id()
    return [story_from_row(Headline._fields, row, sections) for row in rows]


def story_fragments(template_name, stories, **options):
    """Each of `stories` drawn with `template_name` (as `story`, with `options`)."""
    return render_fragments([(template_name, {"story": story, **options}) for story in stories])


def front_page(lead, latest):
    """The front page's lead and latest stories (card rows), one cache read: {"lead",
    "latest"}."""
    html = story_cards(
        [("includes/lead_story.html", {"story": lead, "show_category": True})] * bool(lead)
        + [
            (
                "includes/article_card.html",
                {"story": story, "show_image": True, "show_category": True, "show_byline": True},
            )
            for story in latest
        ]
    )
    return {"lead": html.pop(0) if lead else "", "latest": html}


class Headline(NamedTuple):
    """What a block of headlines shows of a story: its address, title and date, and its
    revision; in the order of Article's fields, as Model.from_db wants them."""

    id: int
    title: str
    slug: str
    category_id: int
    published_at: datetime.datetime
    updated_at: datetime.datetime

    @property
    def pk(self):
        return self.id


def headline_blocks(template_name, blocks):
    """[(category, [Headline])] -> each drawn with `template_name` (as `category`
    and `stories`), in order, one cache read for all.

    Keyed by the rows themselves (with the category and the templates, as every fragment):
    the front page's 160 headlines were 160 models made, and their keys computed, on every
    render. Models are made only for a block that is drawn."""

    keys = [
        _key(template_name, {"category": category, "headlines": tuple(map(tuple, rows))})
        for category, rows in blocks
    ]
    found = _read(keys)
    drawn = {}
    html = []
    for key, (category, rows) in zip(keys, blocks, strict=True):
        text = found.get(key) or drawn.get(key)
        if text is None:
            own = {category.pk: category}
            stories = [story_from_row(Headline._fields, row, own) for row in rows]
            context = {"category": category, "stories": stories}
            text = drawn[key] = get_template(template_name).render(context)
        html.append(mark_safe(text))
    if drawn:
        _store(drawn)
    return html

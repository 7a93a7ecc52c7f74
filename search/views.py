"""Search: full text on PostgreSQL, a plain word match on other databases (SQLite).

On PostgreSQL stories are found through the stored, GIN-indexed `Article.search_vector`
(title weighted A, standfirst and tags B, body C; kept current by articles/signals.py, once
per change, and the `update_search_index` command), with `websearch` syntax ("quoted phrases",
-word, or), ranked, with highlighted snippets and, when little is found, a spelling
suggestion from headlines (pg_trgm). Elsewhere every word or phrase must occur somewhere in
the story, newest first: enough to develop with.
"""

import datetime
import difflib
import hashlib
import html
import re
from typing import NamedTuple

from django import forms
from django.conf import settings
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    TrigramWordSimilarity,
)
from django.core.paginator import InvalidPage, Paginator
from django.db import connection
from django.db.models import Case, F, Q, TextField, Value, When
from django.db.models.functions import MD5, Concat
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from articles import cache_tags
from articles.fragments import drawn_once, render_fragments, sections_by_id, story_from_row
from articles.furniture import site_furniture
from articles.models import Article, Author, Category
from articles.querysets import StripTags, search_config
from pagecache.generations import (
    cached,
    cached_within_stale_bound,
    current_generation,
    pages_cache,
)
from pagecache.pages import FREE_TEXT, reader_page

MAX_QUERY_LENGTH = 200
# A snippet nobody asked for in a day is dropped (kept with the page copies, like fragments).
SNIPPET_SECONDS = 24 * 60 * 60
# With fewer exact matches than this, PostgreSQL looks for a better spelling.
FEW_RESULTS = 3
# Control characters never occur in stories: PostgreSQL marks the matches with them, and
# they become <mark> only after the rest of the snippet is escaped.
START_MARK, STOP_MARK = "\x02", "\x03"
MARKED = re.compile(f"{START_MARK}(.*?){STOP_MARK}", re.DOTALL)
WORD = re.compile(r"\w+")
SPACES = re.compile(r"\s+")
# SQLite: a "quoted phrase" (the closing quote may be missing) or a word, each maybe negated.
TERM = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')
MAX_TERMS = 20
# Stripped from the ends of a word on SQLite, as full-text search ignores them (not % or _).
PUNCTUATION = ".,;:!?()[]{}<>'\"“”‘’«»*&|\\"


# English month names, whatever the server's locale: the site is written in English.
MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
MONTHS = {
    **{name.lower(): number for number, name in enumerate(MONTH_NAMES, 1)},
    **{name[:3].lower(): number for number, name in enumerate(MONTH_NAMES, 1)},
    "sept": 9,
}
# "6 December 2026", "6 Dec 2026", "December 6, 2026": how the site and its readers write dates.
DAY_MONTH_YEAR = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})")
MONTH_DAY_YEAR = re.compile(r"([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")
ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
DATE_EXAMPLE = "6 December 2026"


def parse_reader_date(text):
    """A date as a reader types it, "6 December 2026" (the site's own form) or "Dec 6, 2026",
    or as ISO "2026-12-06" (what older links hold); None if it is neither or no such day."""
    text = SPACES.sub(" ", text.strip().lower())
    if match := ISO_DATE.fullmatch(text):
        year, month, day = match.groups()
    elif match := DAY_MONTH_YEAR.fullmatch(text):
        day, month, year = match.groups()
    elif match := MONTH_DAY_YEAR.fullmatch(text):
        month, day, year = match.groups()
    else:
        return None
    month = int(month) if month.isdigit() else MONTHS.get(month)
    try:
        return datetime.date(int(year), month, int(day)) if month else None
    except ValueError:  # 30 February
        return None


class ReaderDateField(forms.DateField):
    """A date written as the site writes them, with an example beside the field: a browser's
    <input type=date> shows its own locale's mm/dd/yyyy, never "6 December 2026"."""

    default_error_messages = {"invalid": f"Enter a valid date. Write it like {DATE_EXAMPLE}."}

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", f"e.g. {DATE_EXAMPLE}")
        super().__init__(widget=ReaderDateInput, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.date):
            return value
        date = parse_reader_date(str(value))
        if date is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return date


class ReaderDateInput(forms.TextInput):
    """Shows a date the site's way; what a reader typed that is no date, as typed, to correct."""

    def __init__(self, attrs=None):
        super().__init__({"autocomplete": "off", "spellcheck": "false", **(attrs or {})})

    def format_value(self, value):
        date = parse_reader_date(value) if isinstance(value, str) else value
        if isinstance(date, datetime.date):
            return f"{date.day} {MONTH_NAMES[date.month - 1]} {date.year}"
        return super().format_value(value)


def _attributes(attrs):
    """Django's django/forms/widgets/attrs.html, in Python."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False
        ),
    )


def _escape(value):
    """conditional_escape(value) as text, without making a SafeString of every option's value
    and label (340 of each on the search page: 1.7 ms, against 0.3 ms)."""
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


class Select(forms.Select):
    """Django's <select>, the same HTML (tests/test_search.py compares them) drawn without a
    template or a dictionary per <option>: the author filter's 300 options took a third of the
    search page's time through templates, and still a quarter through Django's option dicts
    and format_html."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            attrs["multiple"] = True
        values = self.format_value(value)
        has_selected = False

        def option(option_value, label):
            nonlocal has_selected
            option_value = "" if option_value is None else option_value
            selected = (not has_selected or self.allow_multiple_selected) and str(
                option_value
            ) in values
            has_selected |= selected
            return (
                f'\n  <option value="{_escape(option_value)}"'
                f"{' selected' if selected else ''}>{_escape(label)}</option>\n"
            )

        parts = [format_html('<select name="{}"{}>', name, _attributes(attrs))]
        for option_value, label in self.choices:
            if isinstance(label, (list, tuple)):  # a group: (its name, its choices)
                parts.append(format_html('\n  <optgroup label="{}">', option_value))
                parts.extend(option(*choice) for choice in label)
                parts.append("\n  </optgroup>")
            else:
                parts.append(option(option_value, label))
        parts.append("\n</select>")
        return mark_safe("".join(parts))


# This process's copy of the filters' options for the current generation: {generation: …}.
_kept_choices = {}


def kept_choices():
    """{"category": [(slug, name)], "author": [(slug, name)]}: the filters' options, in their
    order, kept per generation (a new or renamed section or author raises it) and in each
    process, rather than 340 rows read and made into models on every search. The sections
    come from the furniture every page has."""
    generation = current_generation()
    kept = _kept_choices.get(generation)
    if kept is None or generation is None:  # None: the cache is away, nothing is kept
        sections = site_furniture()["nav_categories"]
        kept = {
            "category": [(section.slug, section.name) for section in sections],
            "author": cached(
                "search-authors", lambda: list(Author.objects.values_list("slug", "name"))
            ),
        }
        _kept_choices.clear()
        _kept_choices[generation] = kept
    return kept


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search for",
        required=False,
        max_length=MAX_QUERY_LENGTH,
        error_messages={
            "max_length": "Searches are limited to %(limit_value)d characters: use fewer words."
        },
        widget=forms.SearchInput,
    )
    category = forms.ModelChoiceField(
        Category.objects.all(),
        label="Section",
        required=False,
        to_field_name="slug",
        empty_label="All sections",
        widget=Select,
    )
    author = forms.ModelChoiceField(
        Author.objects.all(),
        label="Author",
        required=False,
        to_field_name="slug",
        empty_label="Any author",
        widget=Select,
    )
    date_from = ReaderDateField(label="From", required=False)
    date_to = ReaderDateField(label="To", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The options drawn from what is kept; the chosen one is still looked up (and checked)
        # in the database, by the field's queryset.
        for name, options in kept_choices().items():
            field = self.fields[name]
            field.widget.choices = [("", field.empty_label), *options]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date is before the start date.")
        return data

    def filter(self, stories):
        """The stories that pass the valid filters; a filter with an error is left out."""
        data = self.cleaned_data
        if data.get("category"):
            stories = stories.filter(category=data["category"])
        if data.get("author"):
            stories = stories.filter(bylines__author=data["author"])
        if data.get("date_from"):
            stories = stories.filter(published_at__date__gte=data["date_from"])
        if data.get("date_to"):
            stories = stories.filter(published_at__date__lte=data["date_to"])
        return stories


SEARCH_PARAMS = (*SearchForm.base_fields, "page")


# Every field is free text (what readers search for has no end): such pages are cached only
# within pagecache.middleware.OPEN_ENDED_PAGES, and never labelled public; /search/ alone is the form.
@reader_page(params=dict.fromkeys(SEARCH_PARAMS, FREE_TEXT))
def search(request):
    # PostgreSQL refuses NUL characters, and no reader means to type one.
    data = request.GET.copy()
    for key, values in data.lists():
        data.setlist(key, [value.replace("\x00", "") for value in values])
    form = SearchForm(data)
    form.is_valid()  # Errors are shown beside their fields; the rest of the search still runs.
    query = form.cleaned_data.get("q", "")
    # The page's canonical address keeps what chooses the results (seo_tags.page_url).
    canonical_query = {name: data.get(name, "") for name in form.fields}
    context = {
        "form": form,
        "form_html": search_form_html(form),
        "query": query,
        "canonical_query": canonical_query,
    }
    cache_tags.carries(request, cache_tags.ANY_STORY)
    if query:
        stories = form.filter(Article.objects.published().for_listing())
        postgres = connection.vendor == "postgresql"
        results = postgres_search(stories, query) if postgres else simple_search(stories, query)
        paginator = Paginator(results, settings.ARTICLES_PER_PAGE)
        # Counting every match of a common word costs more than ranking a page of them.
        criteria = sorted((key, value) for key, value in data.items() if key != "page")
        paginator.count = followed(f"search:{criteria}", results.count)
        try:
            page = paginator.page(data.get("page") or 1)
        except InvalidPage:
            raise Http404("No such page of results.") from None
        found = page_of_results(results, page, criteria)
        cache_tags.shows_stories(request, found)
        marked = snippets(found, query) if postgres else {}
        shown = {row.pk: highlight(marked[row.pk]) if postgres else row.standfirst for row in found}
        context.update(page_obj=page, paginator=paginator, results=result_cards(found, shown))
        if postgres and paginator.count < FEW_RESULTS:
            context["suggestion"], context["similar"] = suggest(stories, query)
    return render(request, "search/search.html", context)


def search_form_html(form):
    """The form, drawn once per generation (its options: kept_choices) and what was asked of
    it: Django's form templates were a fifth of a search page (bench/RESULTS.md, issue 14).
    What it shows (values, errors) follows from those two."""
    generation = current_generation()
    if generation is None:  # The cache is away: nothing is kept.
        return render_to_string("search/form.html", {"form": form})
    asked = tuple((name, tuple(form.data.getlist(name))) for name in form.fields)
    return drawn_once(
        "search/form.html", {"options": generation, "asked": asked}, lambda: {"form": form}
    )


def followed(name, compute):
    """compute() (the number of matches, a page of their ids), kept under the generation (a
    story published or taken down raises it: followed at once) and made again after an edit
    in place (ANY_STORY: an edited story may match now, or no longer) at most once every
    PAGE_CACHE_STALE_SECONDS, the bound within which the site shows edits.

    Ranking every match of a common word costs PostgreSQL ~80 ms (each match's vector read
    from TOAST); ranking again after every save, every 3 s in a busy newsroom, was most of what
    an edit cost the site (bench/RESULTS.md, issue 14). The stories themselves, and their
    snippets, are always read fresh: an edited headline shows at once."""
    return cached_within_stale_bound(f"search:{name}", compute, tags=[cache_tags.ANY_STORY])


def page_of_results(results, page, criteria):
    """The stories of `page` of `results`, in their order (snippets: snippets()).

    Ranking every match of a common word is what a search costs: PostgreSQL reads each match's
    search vector (stored apart from its row, in TOAST) to rank it, 75 ms for the 12,000
    stories that say "pipeline" on the bench, where fetching twenty stories by id takes 1 ms.
    Which stories make a page changes only when a story changes, so their ids are kept like
    the count (followed()), and the stories themselves, with their snippets, are read fresh by
    id: an edited headline shows at once."""
    per_page = page.paginator.per_page
    start = (page.number - 1) * per_page

    def choose():
        return list(results.values_list("pk", flat=True)[start : start + per_page])

    ids = followed(f"search-page:{criteria}:{page.number}", choose)
    found = {}
    if ids:
        # What the snippet is drawn from, as a digest (snippets()).
        text = Concat("standfirst", Value(" "), "body", output_field=TextField())
        # Public stories by id, as rows: the search, filters and rank chose the ids already.
        rows = (
            Article.objects.published()
            .filter(pk__in=ids)
            .annotate(text_md5=MD5(text))
            .values_list(*Result._fields)
        )
        found = {row.id: row for row in map(Result._make, rows)}
    return [found[pk] for pk in ids if pk in found]


class Result(NamedTuple):
    """What a search result shows of a story (search/result.html), and the digest of the text
    its snippet is drawn from; in the order of Article's fields, as Model.from_db wants them."""

    id: int
    title: str
    slug: str
    standfirst: str
    category_id: int
    published_at: datetime.datetime
    updated_at: datetime.datetime
    live_since: datetime.datetime | None
    live_until: datetime.datetime | None
    text_md5: str

    @property
    def pk(self):
        return self.id


def result_cards(rows, shown):
    """The results drawn, each once per revision of the story and its snippet (`shown`:
    {pk: snippet}); a model made only for a result drawn anew. Twenty results drawn by the
    template were a third of a search page."""
    sections = sections_by_id()
    fields = Result._fields[:-1]

    def as_model(context):
        story = story_from_row(fields, context["story"][:-1], sections)
        story.snippet = context["snippet"]
        return {"story": story}

    return render_fragments(
        [
            (
                "search/result.html",
                {
                    "story": row,
                    "snippet": shown[row.pk],
                    "section": sections.get(row.category_id),
                },
            )
            for row in rows
        ],
        prepare=as_model,
    )


def websearch(query):
    return SearchQuery(query, search_type="websearch", config=search_config())


def postgres_search(stories, query):
    """Matches of the stored search vector, best first; recent stories win ties."""
    search_query = websearch(query)
    return (
        stories.filter(search_vector=search_query)
        .annotate(rank=SearchRank(F("search_vector"), search_query))
        .order_by("-rank", "-published_at", "-id")
    )


def snippets(stories, query):
    """{story pk: its snippet for `query`, the matches between START_MARK and STOP_MARK}.

    PostgreSQL's ts_headline over a story's text is 0.5 ms a story, 11 ms of every page of
    results on the bench, and the same for the same words and text: snippets are kept by a
    digest of those (`text_md5`, page_of_results()), so an edited story gets a new one, and
    only those not kept are drawn, in one query."""

    def key(story):
        digest = hashlib.sha256(repr((search_config(), query, story.text_md5)).encode())
        return f"snippet:{digest.hexdigest()}"

    keys = {story.pk: key(story) for story in stories}
    store = pages_cache()
    found = store.get_many(list(keys.values())) if keys else {}
    missing = [pk for pk, name in keys.items() if name not in found]
    if missing:
        search_query = websearch(query)
        text = Concat("standfirst", Value(" "), StripTags("body"), output_field=TextField())
        headline = SearchHeadline(
            text,
            search_query,
            config=search_config(),
            start_sel=START_MARK,
            stop_sel=STOP_MARK,
            max_words=30,
            min_words=15,
            max_fragments=2,
            fragment_delimiter=" … ",
        )
        drawn = dict(
            Article.objects.filter(pk__in=missing)
            .annotate(headline=headline)
            .values_list("pk", "headline")
        )
        new = {keys[pk]: snippet for pk, snippet in drawn.items()}
        store.set_many(new, SNIPPET_SECONDS)
        found.update(new)
    return {pk: found.get(name, "") for pk, name in keys.items()}


def highlight(headline):
    """A snippet as safe HTML: escaped text, with <mark> only where PostgreSQL marked a match."""

    def text(part):
        # The snippet comes from HTML with its tags stripped: entities (&amp;) are still there.
        plain = html.unescape(part).replace(START_MARK, "").replace(STOP_MARK, "")
        return escape(SPACES.sub(" ", plain))

    parts = MARKED.split(headline)  # text, match, text, match, … text
    snippet = "".join(
        format_html("<mark>{}</mark>", mark_safe(text(part))) if n % 2 else text(part)
        for n, part in enumerate(parts)
    )
    return mark_safe(snippet.strip())


def suggest(stories, query):
    """A respelled query that finds stories, from words of similar headlines; and those stories.

    pg_trgm (through the trigram index on the title) finds headlines with words like the
    query's; each query word that none of them holds is replaced by the closest one.
    """
    words = {word.lower() for word in WORD.findall(query) if len(word) > 3 and word.isalpha()}
    if not words:
        return None, []
    like_a_word = Q()
    for word in words:
        like_a_word |= Q(title__trigram_word_similar=word)
    similar = list(
        stories.filter(like_a_word)
        .annotate(similarity=TrigramWordSimilarity(query, "title"))
        .order_by("-similarity", "-published_at")[:5]
    )
    vocabulary = {word.lower() for story in similar for word in WORD.findall(story.title)}

    def respell(match):
        word = match.group().lower()
        if word not in words or word in vocabulary:
            return match.group()
        closest = difflib.get_close_matches(word, vocabulary, n=1, cutoff=0.75)
        return closest[0] if closest else match.group()

    suggestion = WORD.sub(respell, query)
    if suggestion == query or not stories.filter(search_vector=websearch(suggestion)).exists():
        suggestion = None
    return suggestion, similar


# Phones type a curly apostrophe (world’s), keyboards a straight one; stories hold either.
APOSTROPHES = ("'", "’", "‘")


def spellings(term):
    """`term` with each kind of apostrophe, so that world’s finds world's and the other way."""
    if not any(mark in term for mark in APOSTROPHES):
        return [term]
    plain = term.replace("’", "'").replace("‘", "'")
    return [plain, plain.replace("'", "’")]


def simple_search(stories, query):
    """Every word or "phrase" somewhere in the story, its tags or its authors' names (-word:
    nowhere), `or` between groups. Stories with more of the words in the headline come first,
    then the newest: a headline about it beats a newer story that only mentions it."""
    groups, terms, in_title = [], [], []
    for minus, phrase, word_minus, word in TERM.findall(query)[:MAX_TERMS]:
        if not phrase and word.lower() == "or":
            groups.append(terms)
            terms = []
            continue
        term = phrase.strip() or word.strip(PUNCTUATION)
        if not term:
            continue
        found, title = Q(), Q()
        for spelling in spellings(term):
            title |= Q(title__icontains=spelling)
            found |= (
                Q(title__icontains=spelling)
                | Q(standfirst__icontains=spelling)
                | Q(body__icontains=spelling)
                | Q(byline__icontains=spelling)
                | Q(pk__in=Article.objects.filter(tags__name__icontains=spelling).values("pk"))
                | Q(
                    pk__in=Article.objects.filter(bylines__author__name__icontains=spelling).values(
                        "pk"
                    )
                )
            )
        if minus or word_minus:
            terms.append(~found)
        else:
            terms.append(found)
            in_title.append(title)
    groups.append(terms)
    groups = [terms for terms in groups if terms]
    if not groups:
        return stories.none()
    any_group = Q()
    for terms in groups:
        any_group |= Q(*terms)
    title_hits = sum((Case(When(title, then=1), default=0) for title in in_title), start=Value(0))
    return (
        stories.filter(any_group)
        .annotate(title_hits=title_hits)
        .order_by("-title_hits", "-published_at", "-id")
    )

"""Search: full text on PostgreSQL, a plain word match on other databases (SQLite).

On PostgreSQL stories are found through the stored, GIN-indexed `Article.search_vector`
(title weighted A, standfirst and tags B, body C; kept current by `Article.save()`, a tag
signal and the `update_search_index` command), with `websearch` syntax ("quoted phrases",
-word, or), ranked, with highlighted snippets and, when little is found, a spelling
suggestion from headlines (pg_trgm). Elsewhere every word or phrase must occur somewhere in
the story, newest first: enough to develop with.
"""

import difflib
import html
import re

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
from django.db.models import F, Q, TextField, Value
from django.db.models.functions import Concat
from django.http import Http404
from django.shortcuts import render
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from .models import Article, Author, Category, StripTags, search_config
from .page_cache import cached_count, reader_page

MAX_QUERY_LENGTH = 200
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
    )
    author = forms.ModelChoiceField(
        Author.objects.all(),
        label="Author",
        required=False,
        to_field_name="slug",
        empty_label="Any author",
    )
    date_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput({"type": "date"}, "%Y-%m-%d")
    )
    date_to = forms.DateField(
        label="To", required=False, widget=forms.DateInput({"type": "date"}, "%Y-%m-%d")
    )

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


@reader_page
def search(request):
    # PostgreSQL refuses NUL characters, and no reader means to type one.
    data = request.GET.copy()
    for key, values in data.lists():
        data.setlist(key, [value.replace("\x00", "") for value in values])
    form = SearchForm(data)
    form.is_valid()  # Errors are shown beside their fields; the rest of the search still runs.
    query = form.cleaned_data.get("q", "")
    context = {"form": form, "query": query}
    if query:
        stories = form.filter(Article.objects.published().for_listing())
        postgres = connection.vendor == "postgresql"
        results = postgres_search(stories, query) if postgres else simple_search(stories, query)
        paginator = Paginator(results, settings.ARTICLES_PER_PAGE)
        # Counting every match of a common word costs more than ranking a page of them.
        criteria = sorted((key, value) for key, value in data.items() if key != "page")
        paginator.count = cached_count(f"search:{criteria}", results)
        try:
            page = paginator.page(data.get("page") or 1)
        except InvalidPage:
            raise Http404("No such page of results.") from None
        found = list(page.object_list)
        for story in found:
            story.snippet = highlight(story.headline) if postgres else story.standfirst
        context.update(page_obj=page, paginator=paginator, results=found)
        if postgres and paginator.count < FEW_RESULTS:
            context["suggestion"], context["similar"] = suggest(stories, query)
    return render(request, "articles/search.html", context)


def websearch(query):
    return SearchQuery(query, search_type="websearch", config=search_config())


def postgres_search(stories, query):
    """Matches of the stored search vector, best first; recent stories win ties."""
    search_query = websearch(query)
    text = Concat("standfirst", Value(" "), StripTags("body"), output_field=TextField())
    return (
        stories.filter(search_vector=search_query)
        .annotate(
            rank=SearchRank(F("search_vector"), search_query),
            headline=SearchHeadline(
                text,
                search_query,
                config=search_config(),
                start_sel=START_MARK,
                stop_sel=STOP_MARK,
                max_words=30,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )
        .order_by("-rank", "-published_at", "-id")
    )


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


def simple_search(stories, query):
    """Every word or "phrase" somewhere in the story (-word: nowhere), `or` between groups."""
    groups, terms = [], []
    for minus, phrase, word_minus, word in TERM.findall(query)[:MAX_TERMS]:
        if not phrase and word.lower() == "or":
            groups.append(terms)
            terms = []
            continue
        term = phrase.strip() or word.strip(PUNCTUATION)
        if not term:
            continue
        found = (
            Q(title__icontains=term)
            | Q(standfirst__icontains=term)
            | Q(body__icontains=term)
            | Q(pk__in=Article.objects.filter(tags__name__icontains=term).values("pk"))
        )
        terms.append(~found if minus or word_minus else found)
    groups.append(terms)
    groups = [terms for terms in groups if terms]
    if not groups:
        return stories.none()
    any_group = Q()
    for terms in groups:
        any_group |= Q(*terms)
    return stories.filter(any_group).order_by("-published_at", "-id")

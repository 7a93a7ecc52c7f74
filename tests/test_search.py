"""The search page: full text on PostgreSQL, the simple fallback on SQLite.

Run on both databases (CI does):
    .venv/bin/python -m pytest tests/test_search.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python -m pytest tests/test_search.py
Tests of what only PostgreSQL does (ranking, stemming, highlighting, spelling suggestions)
skip on SQLite, and the few SQLite-only ones skip on PostgreSQL, each saying so.
"""

import time
from datetime import datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Author, Byline
from search.views import SearchForm, highlight

from .factories import make_article, make_category
from .factories import search_results as results

pytestmark = pytest.mark.django_db

URL = reverse("search:search")
UTC = ZoneInfo("UTC")


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        pytest.skip(f"PostgreSQL full-text search; this run uses {connection.vendor}")


@pytest.fixture
def sqlite():
    if connection.vendor != "sqlite":
        pytest.skip(f"the SQLite fallback; this run uses {connection.vendor}")


def make_author(name, **fields):
    slug = name.lower().replace(" ", "-")
    return Author.objects.create(name=name, slug=slug, **fields)


def search(client, q="", **params):
    response = client.get(URL, {"q": q, **params})
    assert response.status_code == 200
    return response


def titles(response):
    return [found.title for found in results(response)]


# --- What both databases do ---------------------------------------------------------------


def test_search_page_shows_results_with_count_and_snippet(client):
    section = make_category(name="Business")
    make_article(
        title="Tungsten mine reopens",
        standfirst="Work resumes after two years.",
        category=section,
        published_at=datetime(2026, 11, 27, 9, tzinfo=UTC),
    )
    make_article(title="Tungsten prices climb", body="<p>Traders are pleased.</p>")
    make_article(title="Nothing to see")

    response = search(client, "tungsten")

    page = response.text
    assert sorted(titles(response)) == ["Tungsten mine reopens", "Tungsten prices climb"]
    assert "<title>Search: tungsten — " in page
    assert '<meta name="robots" content="noindex">' in page
    assert "<h1>Search</h1>" in page
    assert "2 results for “tungsten”" in page
    assert '<p class="kicker"><a href="/category/' in page and ">Business</a>" in page
    assert "Work resumes after two years." in page
    assert '<time datetime="2026-11-27T09:00:00+00:00">27 November 2026</time>' in page


def test_search_form_has_labelled_fields_and_keeps_the_query(client):
    section = make_category(name="Business")
    make_author("Asel Nurlanova")

    page = search(client, "tungsten mine").text

    for name, label in [
        ("q", "Search for"),
        ("category", "Section"),
        ("author", "Author"),
        ("date_from", "From"),
        ("date_to", "To"),
    ]:
        assert f'<label for="id_{name}">{label}:</label>' in page
    assert 'type="search" name="q" value="tungsten mine"' in page
    assert f'<option value="{section.slug}">Business</option>' in page
    assert '<option value="asel-nurlanova">Asel Nurlanova</option>' in page
    # Text with an example, not type=date (Chromium shows that as mm/dd/yyyy): test_reader_pages.
    assert 'type="text" name="date_from"' in page
    assert '<button type="submit">Search</button>' in page


def test_a_search_without_matches_says_so(client):
    make_article(title="Something else")

    page = search(client, "zyzzyva").text

    assert "0 results for “zyzzyva”" in page
    assert "No stories match “zyzzyva”" in page


def test_tags_are_searchable(client):
    tagged = make_article(title="A quiet story", tags=["Metallurgy"])
    make_article(title="Another story")

    assert titles(search(client, "metallurgy")) == [tagged.title]


def test_drafts_and_scheduled_stories_never_appear(client):
    make_article(title="Tungsten draft", status=Article.Status.DRAFT)
    make_article(title="Tungsten in review", status=Article.Status.REVIEW)
    make_article(title="Tungsten tomorrow", published_at=timezone.now() + timedelta(days=1))
    make_article(title="Tungsten today")

    response = search(client, "tungsten")

    assert titles(response) == ["Tungsten today"]
    for hidden in ("draft", "review", "tomorrow"):
        assert f"Tungsten {hidden}" not in response.text


def test_filter_by_category(client):
    business, sport = make_category(name="Business"), make_category(name="Sport")
    make_article(title="Tungsten in business", category=business)
    make_article(title="Tungsten in sport", category=sport)

    response = search(client, "tungsten", category=business.slug)

    assert titles(response) == ["Tungsten in business"]
    assert f'<option value="{business.slug}" selected>Business</option>' in response.text


def test_filter_by_author(client):
    asel, omar = make_author("Asel Nurlanova"), make_author("Omar Haddad")
    hers = make_article(title="Tungsten by Asel")
    theirs = make_article(title="Tungsten by both")
    make_article(title="Tungsten by Omar")
    Byline.objects.create(article=hers, author=asel)
    Byline.objects.create(article=theirs, author=omar, position=0)
    Byline.objects.create(article=theirs, author=asel, position=1)

    response = search(client, "tungsten", author="asel-nurlanova")

    assert sorted(titles(response)) == ["Tungsten by Asel", "Tungsten by both"]


def test_filter_by_date_range(client):
    for day in (1, 10, 20, 30):
        make_article(
            title=f"Tungsten on the {day}th", published_at=datetime(2026, 11, day, 12, tzinfo=UTC)
        )

    response = search(client, "tungsten", date_from="2026-11-10", date_to="2026-11-20")

    assert sorted(titles(response)) == ["Tungsten on the 10th", "Tungsten on the 20th"]
    assert 'name="date_from" value="10 November 2026"' in response.text


@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({"category": "no-such-section"}, "Select a valid choice."),
        ({"author": "nobody"}, "Select a valid choice."),
        ({"date_from": "yesterday"}, "Enter a valid date."),
        ({"date_to": "2026-02-30"}, "Enter a valid date."),
        ({"date_from": "99999-01-01"}, "Enter a valid date."),
        ({"date_from": "2026-11-20", "date_to": "2026-11-10"}, "The end date is before the"),
        ({"category": "x\x00y"}, "Select a valid choice."),
        ({"category": "'; DROP TABLE articles_article; --"}, "Select a valid choice."),
    ],
)
def test_invalid_filters_are_reported_and_left_out(client, params, error):
    make_article(title="Tungsten mine", published_at=datetime(2026, 11, 25, tzinfo=UTC))

    response = search(client, "tungsten", **params)

    assert error in response.text
    assert titles(response) == ["Tungsten mine"]


def test_pagination_keeps_the_query_and_filters(client, settings):
    section = make_category()
    for n in range(25):
        make_article(
            title=f"Tungsten report {n}",
            category=section,
            published_at=timezone.now() - timedelta(days=n),
        )

    first = search(client, "tungsten", category=section.slug)
    second = search(client, "tungsten", category=section.slug, page=2)

    assert len(results(first)) == settings.ARTICLES_PER_PAGE == 20
    assert len(results(second)) == 5
    assert "25 results for “tungsten”" in first.text
    query = f"?q=tungsten&amp;category={section.slug}"
    assert f'rel="next" href="{query}&amp;page=2"' in first.text
    assert f'rel="prev" href="{query}&amp;page=1"' in second.text
    assert f'href="{query}&amp;page=2" aria-label="Page 2"' in first.text
    assert "— page 2 — " in second.text  # in the <title>


@pytest.mark.parametrize("number", ["abc", "0", "3", "-1", "99999999999999999999", "1.5"])
def test_bad_page_numbers_are_404(client, number):
    for _ in range(21):
        make_article(title="Tungsten again")

    assert client.get(URL, {"q": "tungsten", "page": number}).status_code == 404


def test_empty_search_shows_the_form_and_a_hint(client):
    make_article(title="Tungsten mine")

    for params in ({}, {"q": ""}, {"q": "   "}, {"category": "whatever"}):
        response = client.get(URL, params)
        assert response.status_code == 200
        assert "<h1>Search</h1>" in response.text
        assert 'class="search-hint"' in response.text
        assert "results for" not in response.text
        assert "results" not in response.context


def test_an_over_long_search_is_refused_kindly(client):
    make_article(title="Tungsten mine")

    response = search(client, "tungsten " * 30)

    assert "Searches are limited to 200 characters" in response.text
    assert "results for" not in response.text
    assert 'maxlength="200"' in response.text


NASTY_QUERIES = [
    "'\"&|!()<>*:",
    '"unbalanced',
    'unbalanced" quote',
    "'",
    "\\",
    "a\x00b",
    "\x00",
    "the",
    "the and of or",
    "or",
    "-",
    "- - -",
    "--tungsten",
    "!!tungsten",
    "tungsten & | !",
    "tungsten:*",
    "tungsten <-> mine",
    "(tungsten",
    "%",
    "_",
    "100%_",
    "🔥🔥",
    "مرحبا بالعالم",
    "שלום",
    "\u202etungsten",
    "Ünïcödé façade",
    "<script>alert(1)</script>",
    "&amp;",
    "{{ request }}",
    "{% now 'Y' %}",
    "x" * 200,
    "SELECT * FROM articles_article; --",
    "\u2028\t\r\n",
]


@pytest.mark.parametrize("q", NASTY_QUERIES)
def test_garbage_searches_give_a_normal_page(client, q):
    make_article(title="Tungsten mine", standfirst="<b>Bold</b> claims & more.")

    response = client.get(URL, {"q": q})

    assert response.status_code == 200
    assert "<h1>Search</h1>" in response.text
    assert "<script>alert(1)</script>" not in response.text


def test_the_number_of_queries_does_not_grow_with_the_results(client):
    section = make_category()
    asel = make_author("Asel Nurlanova")

    def queries_for_a_search():
        with CaptureQueriesContext(connection) as queries:
            search(client, "tungsten", category=section.slug, author=asel.slug)
        return len(queries)

    queries_for_a_search()  # The first page view of a site also stores its About row.
    for _ in range(3):
        Byline.objects.create(article=make_article(title="Tungsten", category=section), author=asel)
    three = queries_for_a_search()
    for _ in range(22):
        Byline.objects.create(article=make_article(title="Tungsten", category=section), author=asel)
    twenty_five = queries_for_a_search()

    assert three == twenty_five


def test_search_syntax_quoted_phrase(client):
    make_article(title="A tungsten mine opens")
    make_article(title="Mine workers ask for tungsten")

    assert titles(search(client, '"tungsten mine"')) == ["A tungsten mine opens"]


def test_search_syntax_minus_leaves_a_word_out(client):
    make_article(title="A tungsten mine opens")
    make_article(title="Tungsten miners strike")

    assert titles(search(client, "tungsten -strike")) == ["A tungsten mine opens"]


def test_search_syntax_or(client):
    make_article(title="Copper output grows")
    make_article(title="Tungsten miners strike")
    make_article(title="Gold glitters")

    found = titles(search(client, "copper or strike"))

    assert sorted(found) == ["Copper output grows", "Tungsten miners strike"]


def test_snippets_never_carry_html_from_the_story(client):
    make_article(
        title="Tungsten mine",
        standfirst="<script>alert('standfirst')</script> tungsten & co",
        body="<p>Tungsten <a title='x>y' href='/'>link</a> &amp; <em>more</em></p>",
    )

    main = search(client, "tungsten").text.split("<main")[1].split("</main>")[0]

    assert "<script" not in main
    assert "<a title" not in main and "<em>" not in main


def test_highlight_escapes_everything_but_the_marks():
    snippet = highlight("a \x02<b>x</b>\x03 &lt;i&gt; \x03stray\x02 \x02 & ")

    assert snippet == "a <mark>&lt;b&gt;x&lt;/b&gt;</mark> &lt;i&gt; stray &amp;"


# --- PostgreSQL: ranking, language, highlighting, spelling, the stored index ------------


def test_a_title_match_outranks_a_body_match(client, postgres):
    make_article(
        title="Prices of metals", body="<p>Tungsten is dear.</p>", published_at=timezone.now()
    )
    make_article(title="Tungsten is dear", published_at=timezone.now() - timedelta(days=30))
    make_article(
        title="Markets",
        standfirst="Tungsten rallies.",
        published_at=timezone.now() - timedelta(days=10),
    )

    assert titles(search(client, "tungsten")) == [
        "Tungsten is dear",
        "Markets",
        "Prices of metals",
    ]


def test_the_newer_story_wins_a_tie(client, postgres):
    make_article(title="Tungsten news", published_at=timezone.now() - timedelta(days=2))
    make_article(title="Tungsten news ", published_at=timezone.now() - timedelta(days=1))

    stories = results(search(client, "tungsten"))

    assert stories[0].published_at > stories[1].published_at


def test_stemming_finds_other_forms_of_a_word(client, postgres):
    make_article(title="Border deal", body="<p>The agreement was signed.</p>")

    assert titles(search(client, "agreements")) == ["Border deal"]
    assert titles(search(client, "signing")) == ["Border deal"]


def test_stop_words_alone_find_nothing(client, postgres):
    make_article(title="The state of the union")

    assert "0 results for “the”" in search(client, "the").text


def test_snippet_highlights_the_matches(client, postgres):
    make_article(
        title="Mining",
        standfirst="Mines reopen.",
        body="<p>The <strong>tungsten</strong> mine near Almaty reopens &amp; hires.</p>",
    )

    story = results(search(client, "tungsten"))[0]

    assert "<mark>tungsten</mark> mine near Almaty reopens &amp; hires" in story.snippet
    assert "<strong>" not in story.snippet


def test_snippets_escape_html_from_the_story(client, postgres):
    make_article(
        title="Mining",
        standfirst="<img src=x onerror=alert(1)> tungsten <b>bold</b>",
        body="<p>Write &lt;script&gt;tungsten&lt;/script&gt; in the code.</p>",
    )

    response = search(client, "tungsten")

    snippet = results(response)[0].snippet
    assert "<img" not in snippet and "<b>" not in snippet and "<script>" not in snippet
    assert "&lt;script&gt;<mark>tungsten</mark>&lt;/script&gt;" in snippet
    assert snippet.replace("<mark>", "").replace("</mark>", "").count("<") == 0


def test_did_you_mean_for_a_typo(client, postgres):
    make_article(title="Tungsten mine reopens in Kazakhstan")

    response = search(client, "tungstn mine")

    assert response.context["suggestion"] == "tungsten mine"
    assert 'Did you mean <a href="?q=tungsten+mine">tungsten mine</a>?' in response.text
    assert "Stories with similar headlines" in response.text
    assert "Tungsten mine reopens in Kazakhstan</a>" in response.text


def test_did_you_mean_keeps_filters_and_search_syntax(client, postgres):
    section = make_category()
    make_article(title="Kazakhstan signs a treaty", category=section)

    response = search(client, '"kazakstan" -football', category=section.slug)

    assert response.context["suggestion"] == '"kazakhstan" -football'
    assert f"?q=%22kazakhstan%22+-football&amp;category={section.slug}" in response.text


def test_no_suggestion_when_the_search_finds_enough(client, postgres):
    for _ in range(3):
        make_article(title="Tungsten mine")

    response = search(client, "tungsten")

    assert "suggestion" not in response.context
    assert "Did you mean" not in response.text


def test_no_suggestion_that_would_find_nothing(client, postgres):
    make_article(title="Tungsten mine", status=Article.Status.DRAFT)

    response = search(client, "tungstn")

    assert response.context["suggestion"] is None
    assert "Did you mean" not in response.text


def stored_vector(article):
    return Article.objects.values_list("search_vector", flat=True).get(pk=article.pk)


def test_search_vector_follows_title_and_tags(client, postgres):
    story = make_article(title="Old headline", standfirst="", body="")
    assert "headlin" in stored_vector(story)

    story.title = "Tungsten headline"
    story.save()
    assert titles(search(client, "tungsten")) == ["Tungsten headline"]

    story.tags.add("Metallurgy")
    assert titles(search(client, "metallurgy")) == ["Tungsten headline"]
    story.tags.remove("Metallurgy")
    assert titles(search(client, "metallurgy")) == []
    story.tags.set(["Geology"])
    assert titles(search(client, "geology")) == ["Tungsten headline"]
    story.tags.clear()
    assert titles(search(client, "geology")) == []


def test_search_vector_weights_and_strips_html(postgres):
    story = make_article(
        title="Title words",
        standfirst="Standfirst words",
        body='<p class="ignored">Body <a href="/hrefword">words</a></p>',
        tags=["Tagword"],
    )

    vector = stored_vector(story)

    assert "'titl':1A" in vector
    assert "'standfirst':3B" in vector
    assert "'bodi':5C" in vector
    assert "'tagword':" in vector and vector.split("'tagword':")[1].startswith(("7B", "8B"))
    assert "hrefword" not in vector and "ignor" not in vector


def test_update_search_index_fills_every_story(postgres):
    stories = [make_article(title=f"Tungsten {n}", tags=["Geology"]) for n in range(5)]
    Article.objects.update(search_vector=None)

    call_command("update_search_index", batch_size=2, verbosity=0)

    for story in stories:
        assert "'tungsten':1A" in stored_vector(story)
        assert "'geolog'" in stored_vector(story)


def test_update_search_index_dry_run_changes_nothing(postgres, capsys):
    story = make_article(title="Tungsten")
    Article.objects.update(search_vector=None)

    call_command("update_search_index", dry_run=True)

    assert stored_vector(story) is None
    assert "Would index 1 story" in capsys.readouterr().out


# --- SQLite: the simple fallback -----------------------------------------------------------


def test_sqlite_search_is_newest_first_with_the_standfirst_as_snippet(client, sqlite):
    make_article(
        title="Old tungsten story",
        standfirst="From the archive.",
        published_at=timezone.now() - timedelta(days=9),
    )
    make_article(title="New tungsten story", standfirst="Just in.", published_at=timezone.now())

    response = search(client, "TUNGSTEN")

    assert titles(response) == ["New tungsten story", "Old tungsten story"]
    assert [story.snippet for story in results(response)] == [
        "Just in.",
        "From the archive.",
    ]
    assert "Did you mean" not in response.text


def test_sqlite_search_treats_percent_and_underscore_literally(client, sqlite):
    make_article(title="Growth of 5% a year")
    make_article(title="Growth of 50 a year")

    assert titles(search(client, "5%")) == ["Growth of 5% a year"]


def test_update_search_index_does_nothing_on_sqlite(sqlite, capsys):
    make_article()

    call_command("update_search_index")

    assert "only on PostgreSQL" in capsys.readouterr().out


@pytest.mark.parametrize(
    "data", [{}, {"category": "world", "author": "ada-o-neil"}, {"author": '"><b>'}]
)
def test_the_filters_select_boxes_are_django_own_html(data):
    """The search form's <select>s are drawn without a template per option, as the same HTML."""

    make_category(name="World & Co", slug="world")
    Author.objects.create(name="Ada O'Neil", slug="ada-o-neil")
    form = SearchForm(data)
    form.is_valid()
    for name in ("category", "author"):
        field = form[name]
        attrs = {"id": field.auto_id}
        django_own = forms.Select.render(field.field.widget, name, field.value(), attrs)
        assert str(field.field.widget.render(name, field.value(), attrs)) == django_own


def test_a_page_of_results_follows_new_and_edited_stories_at_once(client, settings):
    settings.PAGE_CACHE_SECONDS = 0  # what is kept per generation, not the page cache
    story = make_article(title="Harbour pipeline approved")
    assert titles(search(client, q="pipeline")) == ["Harbour pipeline approved"]
    make_article(title="Second pipeline planned", published_at=timezone.now())
    story.title = "Harbour pipeline opened"
    story.save()
    assert set(titles(search(client, q="pipeline"))) == {
        "Second pipeline planned",
        "Harbour pipeline opened",
    }


@pytest.mark.parametrize("value", [None, "b", ["b", "c"], "&"])
@pytest.mark.parametrize("multiple", [False, True])
def test_the_fast_select_draws_groups_and_odd_values_as_django_does(value, multiple):
    from search.views import Select

    widget = Select(
        choices=[
            (None, "Any"),
            ("b", "B & co"),
            ("Group <1>", [("c", "C"), ("b", "B again"), (3, "Three")]),
            ("&", '"quoted"'),
        ]
    )
    widget.allow_multiple_selected = multiple
    attrs = {"id": "id_x", "aria-describedby": "x_helptext"}

    assert str(widget.render("x", value, attrs)) == forms.Select.render(widget, "x", value, attrs)


def test_a_repeated_search_reads_only_its_page_of_stories(client, settings):
    settings.PAGE_CACHE_SECONDS = 0  # what is kept per generation, not the page cache
    for n in range(3):
        make_article(title=f"Pipeline story {n}")
    search(client, q="pipeline")  # ranks the matches, counts them, reads the filters' options

    with CaptureQueriesContext(connection) as queries:
        again = search(client, q="pipeline")

    assert sorted(titles(again)) == ["Pipeline story 0", "Pipeline story 1", "Pipeline story 2"]
    assert len(queries) == 1  # the page's stories, by id: no ranking, count or options again


def test_a_story_edited_to_match_joins_the_results_within_the_stale_bound(client, settings):
    """Ranking every match again after each save is what an edit cost a busy site: the
    ranking follows edits in place within PAGE_CACHE_STALE_SECONDS, as pages do."""
    settings.PAGE_CACHE_SECONDS = 0
    make_article(title="Pipeline approved")
    story = make_article(title="Harbour news")
    assert titles(search(client, q="pipeline")) == ["Pipeline approved"]
    story.title = "Harbour pipeline opened"
    story.save()
    assert titles(search(client, q="pipeline")) == ["Pipeline approved"]  # not yet
    later = time.time() + settings.PAGE_CACHE_STALE_SECONDS + 1
    with mock.patch("pagecache.generations.time.time", return_value=later):
        found = titles(search(client, q="pipeline"))
    assert set(found) == {"Pipeline approved", "Harbour pipeline opened"}
    assert "2 results for" in search(client, q="pipeline").text


def test_with_no_stale_bound_an_edit_shows_in_the_results_at_once(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    settings.PAGE_CACHE_STALE_SECONDS = 0
    make_article(title="Pipeline approved")
    story = make_article(title="Harbour news")
    search(client, q="pipeline")
    story.title = "Harbour pipeline opened"
    story.save()
    assert "Harbour pipeline opened" in titles(search(client, q="pipeline"))


def test_the_filters_follow_a_new_author_and_section_at_once(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    make_article(title="Pipeline")
    search(client, q="pipeline")
    make_author("Zoe Newcomer")
    make_category(name="Brand New Desk", slug="brand-new-desk")

    page = search(client, q="pipeline").text

    assert '<option value="zoe-newcomer">Zoe Newcomer</option>' in page
    assert '<option value="brand-new-desk">Brand New Desk</option>' in page


def test_a_kept_snippet_follows_an_edited_story(client, settings, postgres):
    settings.PAGE_CACHE_SECONDS = 0
    story = make_article(title="Harbour", standfirst="", body="<p>The tungsten mine opens.</p>")
    assert "mine opens" in results(search(client, "tungsten"))[0].snippet

    story.body = "<p>The tungsten mine closes for winter.</p>"
    story.save()

    snippet = results(search(client, "tungsten"))[0].snippet
    assert "closes for winter" in snippet and "opens" not in snippet

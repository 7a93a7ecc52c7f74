"""Hostile and broken input: generated addresses, query strings and comment posts never get a
server error, and a comment form that refuses input says why in words a reader understands."""

import re
from datetime import timedelta
from urllib.parse import quote, urlencode

import pytest
from django.core.cache import cache
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.models import Author, Byline
from comments.models import Comment
from comments.moderation import moderator
from newsletters import links
from newsletters.models import Subscriber

from .factories import make_article, make_category, make_comment

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=50,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

SLUG = "steppe-railway-opens"


def route_patterns(patterns=None, prefix=""):
    """Every route of the site outside the admin, as a full route string such as
    "category/<slug:slug>/feed/rss/", with its converters."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if not route.startswith("admin/"):
                yield from route_patterns(pattern.url_patterns, route)
        elif not route.startswith("admin/"):  # The admin's own routes, and ours beside them.
            yield route, getattr(pattern.pattern, "converters", {})


ROUTES = dict(route_patterns())

# Text a hostile or broken client might put anywhere in an address.
unicode_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
hostile = st.one_of(
    unicode_text,
    st.sampled_from(
        [
            "..",
            "../../etc/passwd",
            "%00",
            "a%00b",
            "%2e%2e%2f",
            "%ff%fe",
            "%c0%af",
            "%",
            "%zz",
            "%252e",
            "مرحبا-بالعالم",
            "\u202eevil\u202c",
            "🦄🔥",
            "a" * 5000,
            "9" * 40,
            "-1",
            "0",
            "0000",
            "00",
            "13",
            "31",
            "99",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "\t \n",
        ]
    ),
)


def converter_values(name, converter, known):
    """Values for one part of a route: often the one naming a real object, else one the
    converter accepts, or hostile text it should refuse."""
    accepted = st.from_regex(f"(?:{converter.regex})", fullmatch=True).filter(lambda s: s)
    real = st.just(known[name])
    return st.one_of(real, real, real, accepted.map(lambda s: s[:300]), hostile)


query_keys = st.one_of(
    st.sampled_from(
        ["page", "q", "replyto", "category", "author", "date_from", "date_to", "utm_source"]
    ),
    unicode_text,
)
query_values = st.one_of(
    hostile,
    st.sampled_from(["1", "2", "last", "999999999999999999999", "-5", "1.5", "2026-11-27"]),
    st.just("x" * 20_000),
)
raw_queries = st.sampled_from(
    ["", "q=%00", "page=%00", "q=%zz&&=&", "=", "&&&", "q", "q=%", "page=1&page=2&page=%00"]
)


@st.composite
def query_strings(draw):
    kind = draw(st.sampled_from(["none", "raw", "generated", "generated"]))
    if kind == "none":
        return ""
    if kind == "raw":
        return draw(raw_queries)
    pairs = draw(st.lists(st.tuples(query_keys, query_values), max_size=5))
    # Repeated keys on purpose: a reader's browser may send them, a bot certainly will.
    if pairs and draw(st.booleans()):
        pairs.append((pairs[0][0], draw(query_values)))
    return urlencode(pairs, quote_via=quote)


@pytest.fixture
def site(settings):
    """One of everything an address can name, so generated addresses sometimes find it."""
    cache.clear()
    section = make_category(name="World", slug="world")
    published = timezone.now() - timedelta(days=1)
    story = make_article(
        title="Steppe railway opens",
        slug=SLUG,
        category=section,
        published_at=published,
        tags=["Kazakhstan"],
    )
    author = Author.objects.create(name="Asel Nurlanova", slug="asel-nurlanova")
    Byline.objects.create(article=story, author=author)
    thread = make_comment(story, status=Comment.Status.APPROVED)
    make_comment(story, parent=thread, status=Comment.Status.APPROVED)
    day = timezone.localdate(published)
    subscriber = Subscriber.objects.create(email="reader@example.com", confirmed_at=published)
    return {
        "story": story,
        "thread": thread,
        "known": {
            "section": f"articles-{day:%Y-%m}",
            "year": f"{day:%Y}",
            "month": f"{day:%m}",
            "day": f"{day:%d}",
            "pk": str(story.pk),
            "article_id": str(story.pk),
            "comment_id": str(thread.pk),
            # A newsletter link's signed key (a real one opens the manage page).
            "key": links.make_key(links.MANAGE, subscriber),
        },
        "slugs": {"category": "world", "tag": "kazakhstan", "author": "asel-nurlanova"},
    }


def build_path(draw, route, converters, site):
    # The slug of a real object of the kind the route names: a story's for its address.
    slug = site["slugs"].get(route.split("/")[0], SLUG)
    known = {**site["known"], "slug": slug}
    path = "/" + route
    # Half the time every part names the real object, so the query string reaches the view.
    real = draw(st.booleans())
    for name, converter in converters.items():
        value = known[name] if real else draw(converter_values(name, converter, known))
        path = re.sub(rf"<(?:\w+:)?{name}>", lambda _, value=value: value, path)
    return path


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_generated_addresses_and_query_strings_never_get_a_server_error(client, site, route):
    converters = ROUTES[route]

    @FUZZ
    @given(data=st.data(), query=query_strings())
    def check(data, query):
        path = build_path(data.draw, route, converters, site)
        address = f"{path}?{query}" if query else path

        response = client.get(address)

        assert response.status_code < 500, address

    check()


def test_the_routes_under_test_cover_the_site():
    # If the resolver walk silently found nothing, every test above would pass vacuously.
    for route in ["", "search/", "category/<slug:slug>/", "<yyyy:year>/<dd:month>/<dd:day>/"]:
        assert any(r.startswith(route) for r in ROUTES), route
    assert "comments/post/<int:article_id>/" in ROUTES
    assert not any(r.startswith("admin/") for r in ROUTES)


@FUZZ
@given(path=hostile)
def test_anonymous_visitors_to_generated_admin_addresses_get_no_server_error(client, path):
    response = client.get("/admin/" + path)

    assert response.status_code < 500


# The comment form -------------------------------------------------------------------------

rtl_and_emoji = st.sampled_from(
    [
        "שלום עולם",
        "مرحبا بالعالم",
        "\u202eenil siht daer\u202c",
        "👍🏽 great 🇰🇿",
        "Zalgo: z̷̢̛a̸l̵g̶o̴",
        "line one\r\nline two\n\n\nthree",
        "\x00",
        "nul\x00inside",
        "\x00" * 50,
        "<script>alert(1)</script>",
        "http://a.example http://b.example http://c.example",
    ]
)
field_text = st.one_of(unicode_text, rtl_and_emoji, st.just(""), st.just("   "))
bodies = st.one_of(
    field_text,
    st.just("x" * 100_000),
    st.just("طويل " * 20_000),
    st.text(min_size=2990, max_size=3010),
)
emails = st.one_of(
    st.emails().map(lambda e: e[:300]),
    field_text,
    st.sampled_from(["reader@example.com", "a@b", "reader\x00@example.com", "x" * 300 + "@e.com"]),
)


@st.composite
def comment_posts(draw, parents, article_ids):
    """A comment form as a broken or hostile client sends it: each field missing, given once
    or repeated, with any text."""
    fields = {
        "name": st.one_of(st.just("Daniyar"), field_text),
        "email": st.one_of(st.just("daniyar@example.com"), emails),
        "body": st.one_of(st.just("A fair summary."), bodies, bodies),
        "website": st.one_of(st.just(""), field_text),
        "parent": st.one_of(st.sampled_from(parents), hostile),
        "shown_at": st.one_of(
            st.just(moderator.shown_at_token(timezone.now() - timedelta(minutes=1))),
            st.just(moderator.shown_at_token(timezone.now() + timedelta(days=3))),
            hostile,
        ),
    }
    data = {}
    for name, values in fields.items():
        count = draw(st.sampled_from([1, 1, 1, 1, 0, 2, 3]))
        if count:
            data[name] = [draw(values) for _ in range(count)]
    return draw(st.sampled_from(article_ids)), data


def assert_readable(message):
    """A sentence for a person: no code, no NUL, no exception names."""
    assert message and message[0].isupper() and message.rstrip().endswith((".", ")")), message
    assert "\x00" not in message and "Error" not in message and "%(" not in message, message


@pytest.fixture
def open_story(settings, site):
    settings.COMMENTS_RATE_LIMIT = None  # The fuzz posts far faster than a reader may.
    settings.COMMENTS_NOTIFY_MODERATORS = False
    return site


def test_generated_comment_posts_never_get_a_server_error_and_errors_are_explained(
    client, open_story
):
    story, thread = open_story["story"], open_story["thread"]
    closed = make_article(comment_mode="closed")
    parents = ["", str(thread.pk), str(thread.replies.get().pk), "999999", "99999999999999999999"]
    article_ids = [story.pk, story.pk, story.pk, closed.pk, 999_999]

    @FUZZ
    @given(post=comment_posts(parents, article_ids))
    def check(post):
        article_id, data = post
        before = Comment.objects.count()

        response = client.post(reverse("comments:post", args=[article_id]), data)

        assert response.status_code < 500
        if response.status_code == 200:
            form = response.context["comment_form"]
            assert form.errors
            assert "Please correct the" in response.text
            for messages in form.errors.values():
                for message in messages:
                    assert_readable(message)
                    assert escape(message) in response.text
            assert Comment.objects.count() == before
        elif response.status_code == 302 and Comment.objects.count() > before:
            comment = Comment.objects.latest("id")
            assert "\x00" not in comment.name + comment.email + comment.body
            assert comment.name.strip() and len(comment.body) <= 3000
            assert comment.body == data["body"][-1].strip()
        elif response.status_code == 413:
            # Far longer than any comment may be: refused unread (newsroom/limits.py).
            assert "too much to send" in response.text
            assert Comment.objects.count() == before
        else:
            assert response.status_code in (302, 404)

    check()


# NUL bytes, which PostgreSQL refuses to store -----------------------------------------------

NUL_REFUSED = "Null characters are not allowed."


def comment_data(**fields):
    return {
        "name": "Daniyar",
        "email": "daniyar@example.com",
        "body": "A fair summary.",
        "website": "",
        "shown_at": moderator.shown_at_token(timezone.now() - timedelta(minutes=1)),
        **fields,
    }


@pytest.mark.parametrize(
    ("field", "value"),
    [("name", "Dani\x00yar"), ("email", "dani\x00yar@example.com"), ("body", "A fair\x00summary.")],
)
def test_a_nul_byte_in_any_comment_field_is_a_form_error_not_a_database_error(
    client, open_story, field, value
):
    story = open_story["story"]
    before = Comment.objects.count()

    response = client.post(
        reverse("comments:post", args=[story.pk]), comment_data(**{field: value})
    )

    assert response.status_code == 200
    assert NUL_REFUSED in response.context["comment_form"].errors[field]
    assert NUL_REFUSED in response.text
    assert Comment.objects.count() == before


def test_a_nul_byte_in_the_hidden_honeypot_is_filed_as_spam(client, open_story):
    story = open_story["story"]

    response = client.post(
        reverse("comments:post", args=[story.pk]), comment_data(website="http://spam\x00")
    )

    assert response.status_code == 302
    assert Comment.objects.get(email="daniyar@example.com").status == Comment.Status.SPAM


@pytest.mark.parametrize(
    "query",
    ["q=%00", "q=rail%00way", "q=%00&page=%00", "page=%00", "q=rail&category=%00&author=%00"],
)
def test_a_nul_byte_in_a_search_is_not_a_server_error(client, site, query):
    response = client.get(f"{reverse('search:search')}?{query}")

    assert response.status_code in (200, 404)


@pytest.mark.parametrize("name", ["category", "tag", "author"])
def test_a_nul_byte_in_a_listing_page_number_is_a_404(client, site, name):
    response = client.get(reverse(f"articles:{name}", args=[site["slugs"][name]]) + "?page=%00")

    assert response.status_code == 404

"""Abuse of the comment form: dodging the rate limit, posing as a trusted commenter, planting
links in the moderators' email, and names that hide characters or pass for our staff's."""

from types import SimpleNamespace

import pytest
from django.core import signing
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils.html import escape

from articles.models import Article, Author
from client_address import client_ip
from comments.forms import INVISIBLE_NAME, STAFF_NAME
from comments.models import Comment
from comments.moderation import TRUST_COOKIE, moderator

from .factories import make_comment, make_user
from .test_comments import VALID, a_minute_ago, make_story, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def rate_clock(monkeypatch):
    """The rate limit's clock, held still: no window boundary passes mid-test."""
    clock = SimpleNamespace(now=1_800_000_123.0)
    monkeypatch.setattr("client_address.limits.time", SimpleNamespace(time=lambda: clock.now))
    return clock


@pytest.fixture
def behind_proxy(settings, rate_clock):
    """Production's set-up: nginx passes the reader's address in X-Forwarded-For; one post per
    address per ten minutes."""
    settings.COMMENTS_CLIENT_IP_HEADER = "X-Forwarded-For"
    settings.COMMENTS_RATE_LIMIT = (1, 600)
    story = make_story()

    def post_from(forwarded, body="A fair summary."):
        return Client().post(
            reverse("comments:post", args=[story.pk]),
            {**VALID, "body": body, "shown_at": a_minute_ago()},
            headers={"X-Forwarded-For": forwarded},
        )

    return post_from


# The rate limit


def test_addresses_that_are_not_addresses_share_one_rate_limit(behind_proxy):
    assert behind_proxy("not-an-ip", body="First.").status_code == 302
    # Any other garbage is the same bucket: inventing new values gains nothing.
    assert behind_proxy("also garbage").status_code == 429
    assert behind_proxy("999.1.1.1").status_code == 429
    # Real readers are not held back by it.
    assert behind_proxy("203.0.113.5").status_code == 302
    # Nothing unreadable is stored as an address.
    assert Comment.objects.get(body="First.").ip_address is None


def test_an_ipv4_address_with_a_port_counts_as_the_address(behind_proxy):
    assert behind_proxy("1.2.3.4:1234", body="With a port.").status_code == 302
    assert behind_proxy("1.2.3.4").status_code == 429
    assert behind_proxy("1.2.3.4:5678").status_code == 429
    assert Comment.objects.get(body="With a port.").ip_address == "1.2.3.4"


def test_ipv6_is_limited_per_64_network(behind_proxy):
    assert behind_proxy("2001:db8:1:2::1", body="From a /64.").status_code == 302
    # Another address of the same subscriber's /64: the same reader.
    assert behind_proxy("2001:db8:1:2:ffff:ffff:ffff:9").status_code == 429
    # The next /64 is someone else; a bracketed address with a port is read too.
    assert behind_proxy("[2001:db8:1:3::1]:443", body="Next /64.").status_code == 302
    assert behind_proxy("2001:db8:1:3::2").status_code == 429
    # The comment keeps the reader's own address, not the network.
    stored = dict(Comment.objects.values_list("body", "ip_address"))
    assert stored["From a /64."] == "2001:db8:1:2::1"
    assert stored["Next /64."] == "2001:db8:1:3::1"


def test_sign_in_lockouts_read_the_same_address(settings):
    """django-axes calls client_ip (AXES_CLIENT_IP_CALLABLE) with the request alone."""
    settings.COMMENTS_CLIENT_IP_HEADER = "X-Forwarded-For"
    expected = {
        "198.51.100.7": "198.51.100.7",
        "198.51.100.7:8080": "198.51.100.7",
        "[2001:db8::7]:8080": "2001:db8::7",
        "::ffff:198.51.100.7": "198.51.100.7",
        "fe80::1%eth0": None,  # A zone cannot be stored (PostgreSQL's inet refuses it).
        "1.2.3.4:port": None,
        "not-an-ip": None,
    }

    found = {
        forwarded: client_ip(RequestFactory().get("/", headers={"X-Forwarded-For": forwarded}))
        for forwarded in expected
    }

    assert found == expected


# Returning commenters must prove it


def approved_comment_by(email="daniyar@example.com", name="Daniyar"):
    return make_comment(make_story(), email=email, name=name, status="approved")


def test_knowing_a_regular_commenters_email_does_not_skip_moderation(client):
    approved_comment_by("daniyar@example.com")

    response = post(client, make_story(), name="Anyone", email="DANIYAR@example.com")

    assert Comment.objects.get(name="Anyone").status == Comment.Status.PENDING
    assert "will appear once a moderator has approved it" in response.text


def test_a_browser_that_posted_an_approved_comment_is_trusted_with_the_same_email(client):
    post(client, make_story(), body="My first.")
    Comment.objects.filter(body="My first.").update(status="approved")

    post(client, make_story(), body="Me again.", email="Daniyar@Example.com")
    post(client, make_story(), body="Another address.", email="someone@example.com")
    post(Client(), make_story(), body="Another browser.", email="daniyar@example.com")

    assert Comment.objects.get(body="Me again.").status == Comment.Status.APPROVED
    # The proof is for the address that comment was posted with, not for every address...
    assert Comment.objects.get(body="Another address.").status == Comment.Status.PENDING
    # ...and it is this browser's: the same address from elsewhere proves nothing.
    assert Comment.objects.get(body="Another browser.").status == Comment.Status.PENDING


def test_the_proof_is_a_long_lived_private_cookie(client):
    response = client.post(
        reverse("comments:post", args=[make_story().pk]),
        {**VALID, "shown_at": a_minute_ago()},
        secure=True,
    )

    cookie = response.cookies[TRUST_COOKIE]
    assert cookie["max-age"] == 365 * 24 * 60 * 60
    assert cookie["httponly"] and cookie["secure"]
    assert cookie["samesite"] == "Lax"
    assert VALID["email"] not in cookie.value  # Readable by anyone holding it: no address.


@pytest.mark.parametrize("forgery", ["unsigned", "wrong salt", "edited", "other comments"])
def test_a_forged_or_borrowed_cookie_proves_nothing(client, forgery):
    victim = approved_comment_by("victim@example.com")
    # The attacker's own genuine cookie, for their own approved comment.
    post(client, make_story(), body="Mine.", email="attacker@example.com")
    Comment.objects.filter(body="Mine.").update(status="approved")
    signature = client.cookies[TRUST_COOKIE].value.rpartition(":")[2]
    # What a genuine cookie of the victim's would say (the signature is what the attacker lacks).
    claim = f"{victim.pk}.{moderator.email_digest('victim@example.com')}"
    if forgery == "unsigned":
        client.cookies[TRUST_COOKIE] = claim
    elif forgery == "wrong salt":
        client.cookies[TRUST_COOKIE] = signing.get_cookie_signer(salt="other").sign(claim)
    elif forgery == "edited":
        client.cookies[TRUST_COOKIE] = f"{claim}:{signature}"
    # "other comments": the genuine cookie names only the attacker's own comment.

    post(client, make_story(), body="As the victim.", email="victim@example.com")

    assert Comment.objects.get(body="As the victim.").status == Comment.Status.PENDING


def test_article_pages_are_not_personalised_by_the_cookie(client):
    story = make_story(title="Floods reach the capital")
    post(client, story)
    # Once the "comment received" message is shown, the browser carries the cookie alone.
    commenter = Client()
    commenter.cookies[TRUST_COOKIE] = client.cookies[TRUST_COOKIE].value

    for_everyone = Client().get(story.get_absolute_url())
    # Changed without telling the page cache: only a page from the cache still shows the old.
    Article.objects.filter(pk=story.pk).update(title="A title no cached page has")
    for_this_reader = commenter.get(story.get_absolute_url())

    assert for_this_reader.content == for_everyone.content
    assert "public" in for_this_reader["Cache-Control"]
    assert TRUST_COOKIE not in for_this_reader.cookies


# The email to the moderators


def test_the_moderators_email_quotes_the_reader_and_disables_their_links(
    client, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.COMMENTS_MAX_LINKS = 10  # Links are what this reader came to plant.
    make_user(groups=["Moderators"], is_staff=True, email="moira@example.com")
    story = make_story(title="Floods reach the capital")
    body = (
        "Moderators: approve here https://evil.example/approve\r\n"
        "\r\n"
        "Our own links (the only ones to use):\r\n"
        "evil.example/queue\u2028www.evil.example \u202eevil"
    )

    with django_capture_on_commit_callbacks(execute=True):
        post(client, story, name="Site team http://evil.example", body=body)

    message = mailoutbox[0]
    assert message.subject == "New comment to moderate: Floods reach the capital"
    quote_starts = message.body.index("What the reader wrote (not links from us):\n")
    ours_start = message.body.index("\nOur own links")
    quote = message.body[quote_starts:ours_start].splitlines()[1:]
    assert "> Name: Site team hxxp://evil[.]example" in quote
    assert "> Moderators: approve here hxxps://evil[.]example/approve" in quote
    assert "> evil[.]example/queue" in quote
    assert "> www[.]evil[.]example [U+202E]evil" in quote
    # Every line the reader wrote is quoted, so none can pass for one of ours.
    assert all(line == "" or line.startswith(">") for line in quote)
    assert "evil.example" not in message.body
    # Our links come after the quote, in their own section.
    ours = message.body[ours_start:]
    comment = Comment.objects.get()
    assert f"http://testserver{reverse('admin:comments_comment_change', args=[comment.pk])}" in ours
    assert f"http://testserver{story.get_absolute_url()}" in ours


# Names


@pytest.mark.parametrize(
    "name",
    [
        "\u202eDaniyar",  # right-to-left override: shows reversed
        "Dani\u2066yar",  # direction isolate
        "Dani\u200fyar",  # right-to-left mark
        "Dani\u200byar",  # zero-width space
        "Dani\u2060yar",  # word joiner
        "Dani\ufeffyar",  # zero-width no-break space
        "Dani\u00adyar",  # soft hyphen
        "Dani\x07yar",  # a control character
        "\u3164",  # Hangul filler: a "letter" that shows as nothing
    ],
)
def test_names_with_hidden_or_reordering_characters_are_refused(client, name):
    response = post(client, make_story(), name=name)

    assert response.status_code == 200
    assert escape(INVISIBLE_NAME) in response.text
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    "name",
    [
        "John Smith",
        "\u0408\u043ehn Smith",  # Cyrillic Ј and о
        "j\u043ehn sm\u0456th",  # Cyrillic о and і
        "J0hn Smith",
        "JOHN  SMITH",
        "\uff2a\uff4f\uff48\uff4e \uff33\uff4d\uff49\uff54\uff48",  # full-width letters
        "J\u00f3hn Smith",  # an accent
        "Moira Kelly",  # a staff account's full name
        "m\u043eira.k",  # a staff account's username
    ],
)
def test_names_that_pass_for_our_staff_are_refused(client, name):
    Author.objects.create(name="John Smith", slug="john-smith")
    make_user(username="moira.k", first_name="Moira", last_name="Kelly", is_staff=True)

    response = post(client, make_story(), name=name)

    assert response.status_code == 200
    assert escape(STAFF_NAME) in response.text
    assert not Comment.objects.exists()


def test_names_merely_like_our_staffs_are_accepted(client):
    Author.objects.create(name="John Smith", slug="john-smith")
    make_user(username="moira.k", first_name="Moira", last_name="Kelly", is_staff=True)
    story = make_story()

    refused = post(client, story, name="\u0408\u043ehn Smith")
    for name in ["John Smithson", "Jon Smith", "Moira"]:
        post(client, story, name=name)

    assert escape(STAFF_NAME) in refused.text
    assert sorted(Comment.objects.values_list("name", flat=True)) == [
        "John Smithson",
        "Jon Smith",
        "Moira",
    ]


def test_names_are_stored_in_one_normal_form(client):
    post(client, make_story(), name="  \uff24\uff41\uff4e\uff49\uff59\uff41\uff52   \u2163  ")

    assert Comment.objects.get().name == "Daniyar IV"


def test_a_name_too_long_once_normalised_is_a_form_error(client):
    response = post(client, make_story(), name="\ufdfa" * 5)  # Each becomes 18 letters.

    assert response.status_code == 200
    assert "Ensure this value has at most 80 characters" in response.text
    assert not Comment.objects.exists()

"""Commenters' privacy: addresses never shown, IP addresses forgotten, comments exported and
erased on request."""

import hashlib
import io
import json
import re
import sys
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from articles.models import Author, Byline
from comments.commenters import Commenter, Note, Sanction
from comments.models import Comment

from .factories import make_article, make_category, make_comment

pytestmark = pytest.mark.django_db

SECRET_LOCAL_PART = "hidden.commenter.q7x"
SECRET_EMAIL = f"{SECRET_LOCAL_PART}@private-mail.example"


def run(command, *args, **options):
    out, err = io.StringIO(), io.StringIO()
    call_command(command, *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


# Emails never appear ---------------------------------------------------------------------


def internal_links(html):
    for href in re.findall(r'(?:href|src)="([^"]+)"', html):
        parts = urlsplit(href.replace("&amp;", "&"))
        if parts.netloc in ("", "testserver") and parts.path.startswith("/"):
            yield parts.path + (f"?{parts.query}" if parts.query else "")


def sitemap_locations(xml):
    for loc in re.findall(r"<loc>([^<]+)</loc>", xml):
        parts = urlsplit(loc)
        yield parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.fixture
def commented_story():
    """A public story with every kind of thing a page can show, and comments by the secret
    address: approved top-level comments, approved replies, and ones still in the queue."""
    cache.clear()  # Cached pages from another test must not hide what this one shows.
    section = make_category(name="World", slug="world")
    story = make_article(
        title="Steppe railway opens",
        category=section,
        published_at=timezone.now() - timedelta(hours=2),
        tags=["Kazakhstan", "Rail"],
    )
    author = Author.objects.create(name="Asel Nurlanova", slug="asel-nurlanova")
    Byline.objects.create(article=story, author=author)
    someone = make_comment(story, status=Comment.Status.APPROVED, name="Omar")
    thread = make_comment(
        story,
        status=Comment.Status.APPROVED,
        name="Private Reader",
        email=SECRET_EMAIL,
        body="The trains are quieter than I expected.",
        ip_address="203.0.113.9",
    )
    make_comment(
        story,
        parent=someone,
        status=Comment.Status.APPROVED,
        name="Private Reader",
        email=SECRET_EMAIL.upper(),
        body="I agree with Omar on the timetable.",
    )
    make_comment(story, parent=thread, status=Comment.Status.APPROVED, name="Omar")
    make_comment(story, status=Comment.Status.PENDING, email=SECRET_EMAIL, name="Private Reader")
    return story, thread


def test_commenters_emails_appear_in_no_page_feed_sitemap_or_machine_address(
    client, commented_story
):
    story, thread = commented_story
    forbidden = [
        SECRET_EMAIL,
        SECRET_LOCAL_PART,
        # What an avatar service (Gravatar and the like) would be given.
        hashlib.md5(SECRET_EMAIL.encode()).hexdigest(),
        hashlib.sha256(SECRET_EMAIL.encode()).hexdigest(),
    ]
    to_visit = [
        "/",
        story.get_absolute_url(),
        story.get_absolute_url() + f"?replyto={thread.pk}",
        reverse("search:search") + "?q=trains",
        reverse("search:search") + "?q=railway",
        reverse("syndication:feed-rss"),
        reverse("syndication:feed-atom"),
        reverse("syndication:category-feed-rss", args=["world"]),
        reverse("syndication:category-feed-atom", args=["world"]),
        reverse("syndication:tag-feed-rss", args=["kazakhstan"]),
        reverse("syndication:tag-feed-atom", args=["kazakhstan"]),
        reverse("syndication:author-feed-rss", args=["asel-nurlanova"]),
        reverse("syndication:author-feed-atom", args=["asel-nurlanova"]),
        reverse("syndication:sitemap"),
        reverse("syndication:sitemap-news"),
        reverse("syndication:robots"),
    ]
    seen = set()
    while to_visit:
        address = to_visit.pop()
        if address in seen or address.startswith(("/admin/", "/media/", "/static/")):
            continue
        seen.add(address)
        response = client.get(address)
        assert response.status_code in (200, 301, 302, 404), address
        if response.status_code != 200:
            continue
        text = response.content.decode()
        for secret in forbidden:
            assert secret.lower() not in text.lower(), f"{secret} appears on {address}"
        # Follow every link: the crawl reaches the section, tag, author and archive pages.
        to_visit += internal_links(text)
        if address.startswith("/sitemap"):
            to_visit += sitemap_locations(text)
    # The crawl really saw the comments and the kinds of page it claims to cover.
    page = client.get(story.get_absolute_url()).text
    assert "The trains are quieter than I expected." in page
    assert "I agree with Omar on the timetable." in page
    for kind in ("/category/world/", "/tag/kazakhstan/", "/author/asel-nurlanova/", "/archive/"):
        assert kind in seen
    assert any(address.startswith("/sitemap-") for address in seen)
    assert reverse("mostread:hit", args=[story.pk]) not in seen  # POST only.
    hit = client.post(reverse("mostread:hit", args=[story.pk]))
    assert SECRET_LOCAL_PART not in hit.content.decode()


# anonymise_comment_ips -------------------------------------------------------------------


def comment_aged(days, **fields):
    traces = {"ip_address": "198.51.100.7", "user_agent": "Mozilla/5.0 (X11; Linux x86_64)"}
    return make_comment(created_at=timezone.now() - timedelta(days=days), **traces | fields)


def traces(comment):
    comment.refresh_from_db()
    return comment.ip_address, comment.user_agent


def test_anonymise_clears_ip_and_user_agent_of_old_comments_only():
    old, recent = comment_aged(120), comment_aged(10)
    ipv6 = comment_aged(91, ip_address="2001:db8::1")

    out, _ = run("anonymise_comment_ips")

    assert out.strip() == (
        "Cleared the IP address and user agent of 2 comments older than 90 days."
    )
    assert traces(old) == (None, "")
    assert traces(ipv6) == (None, "")
    assert traces(recent) == ("198.51.100.7", "Mozilla/5.0 (X11; Linux x86_64)")
    # The comments themselves are untouched.
    assert Comment.objects.count() == 3
    assert Comment.objects.get(pk=old.pk).body == old.body


def test_anonymise_takes_the_age_from_the_option_or_the_setting(settings):
    old, recent = comment_aged(40), comment_aged(10)

    settings.COMMENTS_IP_RETENTION_DAYS = 30
    out, _ = run("anonymise_comment_ips")
    assert "of 1 comment older than 30 days" in out
    assert traces(old) == (None, "") and traces(recent)[0] == "198.51.100.7"

    out, _ = run("anonymise_comment_ips", "--older-than-days", "5")
    assert "of 1 comment older than 5 days" in out
    assert traces(recent) == (None, "")


def test_anonymise_dry_run_changes_nothing_and_a_rerun_finds_nothing():
    old = comment_aged(100)

    out, _ = run("anonymise_comment_ips", "--dry-run")
    assert "Would clear the IP address and user agent of 1 comment" in out
    assert traces(old)[0] == "198.51.100.7"

    run("anonymise_comment_ips")
    out, _ = run("anonymise_comment_ips")
    assert "of 0 comments" in out


def test_anonymise_refuses_a_negative_age():
    with pytest.raises(CommandError, match="cannot be negative"):
        run("anonymise_comment_ips", "--older-than-days", "-1")


# export_comments -------------------------------------------------------------------------


@pytest.fixture
def asels_comments():
    story = make_article(title="Grain exports rise", slug="grain-exports-rise")
    approved = make_comment(
        story,
        name="Asel",
        email="Asel@Example.com",
        body="Good news for farmers — خبر جيد 🌾",
        status=Comment.Status.APPROVED,
        ip_address="192.0.2.10",
        user_agent="Firefox",
    )
    reply = make_comment(
        story,
        parent=approved,
        name="Asel N.",
        email="asel@example.com",
        body="Adding a source.",
        status=Comment.Status.PENDING,
    )
    spam = make_comment(
        make_article(), email="ASEL@EXAMPLE.COM", body="Buy now", status=Comment.Status.SPAM
    )
    other = make_comment(story, email="omar@example.com", body="Omar's view.")
    return story, [approved, reply, spam], other


def test_export_lists_every_comment_by_the_address_in_any_capitalisation(asels_comments):
    story, (approved, reply, spam), other = asels_comments

    out, _ = run("export_comments", "aSeL@example.COM")

    export = json.loads(out)
    assert export["email"] == "aSeL@example.COM"
    assert [c["id"] for c in export["comments"]] == [approved.pk, reply.pk, spam.pk]
    first = export["comments"][0]
    assert first == {
        "id": approved.pk,
        "article": {"title": "Grain exports rise", "url": story.get_absolute_url()},
        "in_reply_to": None,
        "name": "Asel",
        "email": "Asel@Example.com",
        "comment": "Good news for farmers — خبر جيد 🌾",
        "status": "approved",
        "rejection_reason": "",
        "rejection_note": "",
        "created_at": approved.created_at.isoformat(),
        "moderated_at": None,
        "ip_address": "192.0.2.10",
        "user_agent": "Firefox",
    }
    assert export["comments"][1]["in_reply_to"] == approved.pk
    assert [c["status"] for c in export["comments"]] == ["approved", "pending", "spam"]
    assert "Omar's view." not in out and other.email not in out


def test_export_writes_a_utf8_file_with_full_story_addresses(asels_comments, tmp_path):
    story, _, _ = asels_comments
    target = tmp_path / "asel.json"

    out, err = run(
        "export_comments",
        "asel@example.com",
        "--output",
        str(target),
        "--site-url",
        "https://news.example.com/",
    )

    assert out == ""
    assert f"Exported 3 comments by asel@example.com to {target}." in err
    export = json.loads(target.read_text(encoding="utf-8"))
    assert len(export["comments"]) == 3
    assert export["comments"][0]["article"]["url"] == (
        "https://news.example.com" + story.get_absolute_url()
    )
    assert "خبر جيد 🌾" in target.read_text(encoding="utf-8")


def test_export_includes_what_moderators_recorded_about_the_commenter(asels_comments):
    _, (approved, *_), _ = asels_comments
    commenter = Commenter.of(approved)
    Note.objects.create(commenter=commenter, text="Asked for a correction politely.")
    Sanction.objects.create(
        commenter=commenter,
        kind="suspension",
        until=timezone.now() + timedelta(days=1),
        reason="Posted a phone number.",
    )
    Note.objects.create(commenter=Commenter.of(make_comment()), text="About someone else.")

    export = json.loads(run("export_comments", "asel@example.com")[0])

    assert [note["note"] for note in export["notes"]] == ["Asked for a correction politely."]
    assert [(s["kind"], s["why"]) for s in export["sanctions"]] == [
        ("suspension", "Posted a phone number.")
    ]


def test_export_of_an_unknown_address_is_an_empty_list():
    make_comment(email="someone@example.com")

    out, _ = run("export_comments", "nobody@example.com")

    assert json.loads(out)["comments"] == []


# erase_comments --------------------------------------------------------------------------


def test_erase_without_yes_refuses_when_it_cannot_ask(asels_comments):
    with pytest.raises(CommandError, match=r"would delete 3 comments by .*--yes"):
        run("erase_comments", "asel@example.com")

    assert Comment.objects.count() == 4


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


@pytest.mark.parametrize(("answer", "remaining"), [("yes", 1), ("no", 4), ("", 4)])
def test_erase_asks_on_a_terminal_and_only_yes_deletes(
    asels_comments, monkeypatch, answer, remaining
):
    monkeypatch.setattr(sys, "stdin", FakeTerminal())
    prompts = []
    monkeypatch.setattr("builtins.input", lambda prompt: prompts.append(prompt) or answer)

    if answer == "yes":
        run("erase_comments", "asel@example.com")
    else:
        with pytest.raises(CommandError, match="Nothing deleted"):
            run("erase_comments", "asel@example.com")

    assert prompts == [
        "Delete 3 comments by asel@example.com? This cannot be undone. Type 'yes' to continue: "
    ]
    assert Comment.objects.count() == remaining


def test_erase_deletes_every_comment_by_the_address_and_keeps_everyone_elses(
    client, asels_comments
):
    story, (approved, *_), other = asels_comments
    other.parent = approved
    other.status = Comment.Status.APPROVED
    other.save()
    bystander = make_comment(story, email="daniyar@example.com", status=Comment.Status.APPROVED)

    out, _ = run("erase_comments", "ASEL@example.com", "--yes")

    assert out.strip() == (
        "Deleted 3 comments by ASEL@example.com; 1 reply by others kept as comments of their own."
    )
    assert not Comment.objects.by_email("asel@example.com").exists()
    assert set(Comment.objects.all()) == {other, bystander}
    # Omar's reply lost the comment it answered, not its place on the page.
    other.refresh_from_db()
    assert other.parent is None
    cache.clear()
    page = client.get(story.get_absolute_url()).text
    assert "Omar&#x27;s view." in page
    assert "Good news for farmers" not in page


def test_erase_deletes_the_moderators_notes_but_keeps_a_ban(asels_comments):
    _, (approved, *_), other = asels_comments
    commenter = Commenter.of(approved)
    Note.objects.create(commenter=commenter, text="Rude to Omar.")
    Sanction.objects.create(commenter=commenter, kind="ban", reason="Threats.")
    kept = Note.objects.create(commenter=Commenter.of(other), text="About Omar.")

    out, _ = run("erase_comments", "asel@example.com", "--yes")

    assert out.strip().endswith("Deleted 1 moderator note.")
    assert list(Note.objects.all()) == [kept]
    # Erasing one's comments does not lift a ban: the next comment is still rejected.
    assert Sanction.objects.in_force_for("asel@example.com").kind == "ban"


def test_erase_dry_run_deletes_nothing(asels_comments):
    out, _ = run("erase_comments", "asel@example.com", "--dry-run")

    assert "Would delete 3 comments by asel@example.com." in out
    assert Comment.objects.count() == 4


def test_erase_of_an_unknown_address_says_so():
    make_comment(email="someone@example.com")

    out, _ = run("erase_comments", "nobody@example.com", "--yes")

    assert out.strip() == "No comments by nobody@example.com."
    assert Comment.objects.count() == 1

"""The commenter behind the comments: their history from any comment, moderators' private
notes, bans and suspensions (recorded, lifted, ending by themselves), and their address shown
only to staff with the right to see it."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from comments.commenters import Commenter, Note, Sanction, commenter_key, normalise_email
from comments.models import Comment
from comments.moderation import moderator as policy

from .factories import make_comment, make_user
from .test_comments import VALID, make_story, post

pytestmark = pytest.mark.django_db

ADDRESS = VALID["email"]  # daniyar@example.com


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def moderator():
    client = Client()
    client.user = make_user(is_staff=True, groups=["Moderators"])
    client.force_login(client.user)
    return client


def history_url(comment_or_key):
    key = getattr(comment_or_key, "commenter_key", comment_or_key)
    return reverse("admin:comments_commenter_change", args=[key])


def commenter_form(**data):
    """What the commenter's page posts: its own fields and its two inlines' management forms."""
    form = {"lift_reason": ""}
    for prefix in ("sanctions", "notes"):
        form |= {
            f"{prefix}-TOTAL_FORMS": "0",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    return form | data


def new_row(prefix, **fields):
    return {f"{prefix}-TOTAL_FORMS": "1"} | {f"{prefix}-0-{k}": v for k, v in fields.items()}


def sanction(kind="ban", until=None, email=ADDRESS, **fields):
    commenter, _ = Commenter.objects.get_or_create(key=commenter_key(email))
    return Sanction.objects.create(
        commenter=commenter, kind=kind, until=until, reason="Insults.", **fields
    )


# The key ---------------------------------------------------------------------------------------


def test_one_mailbox_has_one_key_and_the_key_shows_no_address():
    variants = ["Daniyar@Example.com", " daniyar+news@example.com ", "daniyar@EXAMPLE.COM"]
    gmail = ["j.doe@gmail.com", "JDoe+x@googlemail.com", "jdoe@gmail.com"]

    assert {commenter_key(email) for email in variants} == {commenter_key(ADDRESS)}
    assert {normalise_email(email) for email in gmail} == {"jdoe@gmail.com"}
    assert commenter_key("j.doe@example.com") != commenter_key("jdoe@example.com")
    assert commenter_key("other@example.com") != commenter_key(ADDRESS)
    assert "daniyar" not in commenter_key(ADDRESS)


def test_every_comment_carries_its_commenters_key_even_after_an_address_change():
    comment = make_comment(email="Aliya@Example.com")
    assert comment.commenter_key == commenter_key("aliya@example.com")

    comment.email = "other@example.com"
    comment.save(update_fields=["email"])

    comment.refresh_from_db()
    assert comment.commenter_key == commenter_key("other@example.com")


# The history -----------------------------------------------------------------------------------


def test_any_comment_leads_to_its_commenters_whole_history(moderator):
    story = make_story(title="The budget")
    first = make_comment(story, email="Daniyar@example.com", body="First words.")
    second = make_comment(story, email="daniyar+alt@example.com", body="Second words.")
    make_comment(story, email="someone@example.com", body="Someone else.")
    Comment.objects.filter(pk=first.pk).moderate(Comment.Status.APPROVED, moderator.user)

    change = moderator.get(reverse("admin:comments_comment_change", args=[second.pk]))
    queue = moderator.get(reverse("admin:comments_comment_changelist"))
    page = moderator.get(history_url(second))

    assert history_url(second) in change.text and history_url(second) in queue.text
    assert page.status_code == 200
    assert "First words." in page.text and "Second words." in page.text
    assert "Someone else." not in page.text
    assert f"Approved by {moderator.user.username}" in page.text
    assert not Commenter.objects.exists()  # opening a history stores nothing


def test_an_unknown_commenter_key_is_not_found(moderator):
    response = moderator.get(history_url("0" * 32))
    assert response.status_code == 302  # the admin's "does not exist", back to its index
    assert not Commenter.objects.exists()


@pytest.mark.parametrize("can_see", [False, True])
def test_the_address_is_masked_for_staff_without_the_right(moderator, can_see):
    comment = make_comment(email="daniyar@example.com")
    if can_see:
        moderator.user.user_permissions.add(Permission.objects.get(codename="view_commenter_email"))

    history = moderator.get(history_url(comment)).text
    change = moderator.get(reverse("admin:comments_comment_change", args=[comment.pk])).text

    for page in (history, change):
        assert ("daniyar@example.com" in page) is can_see
        assert ("d•••••r@e•••••e.com" in page) is not can_see


def test_a_superuser_sees_the_address():
    comment = make_comment(email="daniyar@example.com")
    client = Client()
    client.force_login(make_user(is_staff=True, is_superuser=True))

    assert "daniyar@example.com" in client.get(history_url(comment)).text


# Notes -----------------------------------------------------------------------------------------


def test_a_moderator_adds_a_private_note_with_author_and_time(moderator):
    comment = make_comment(email=ADDRESS)
    form = commenter_form(**new_row("notes", text="Warned by email on Monday."))

    response = moderator.post(history_url(comment), form)

    assert response.status_code == 302
    note = Note.objects.get()
    assert (note.commenter.key, note.text, note.author) == (
        comment.commenter_key,
        "Warned by email on Monday.",
        moderator.user,
    )
    assert timezone.now() - note.created_at < timedelta(minutes=1)
    page = moderator.get(history_url(comment)).text
    assert "Warned by email on Monday." in page
    # Shown, never offered for editing: the only text box is the next note's.
    assert 'name="notes-0-text"' not in page
    assert 'name="notes-1-text"' in page


def test_notes_are_never_shown_to_readers(moderator):
    comment = make_comment(email=ADDRESS, status="approved", body="Visible words.")
    moderator.post(history_url(comment), commenter_form(**new_row("notes", text="Secret note.")))

    story_page = Client().get(comment.article.get_absolute_url()).text

    assert "Visible words." in story_page and "Secret note." not in story_page


# Bans and suspensions --------------------------------------------------------------------------


def test_a_moderator_bans_a_commenter_with_who_when_and_why(moderator):
    comment = make_comment(email=ADDRESS)
    form = commenter_form(**new_row("sanctions", kind="ban", until="", reason="Threats."))

    response = moderator.post(history_url(comment), form)

    assert response.status_code == 302
    ban = Sanction.objects.get()
    assert (ban.kind, ban.until, ban.reason, ban.created_by) == (
        "ban",
        None,
        "Threats.",
        moderator.user,
    )
    assert "Banned" in moderator.get(history_url(comment)).text


@pytest.mark.parametrize(
    ("kind", "until", "error"),
    [
        ("suspension", "", "A suspension needs an end."),
        ("suspension", "2001-01-01 10:00", "A suspension must end in the future."),
        ("ban", "2999-01-01 10:00", "A ban has no end"),
    ],
)
def test_a_sanction_must_say_when_it_ends_as_its_kind_does(moderator, kind, until, error):
    comment = make_comment(email=ADDRESS)
    date, _, time = until.partition(" ")
    row = {"kind": kind, "until_0": date, "until_1": time, "reason": "Spam."}

    response = moderator.post(history_url(comment), commenter_form(**new_row("sanctions", **row)))

    assert response.status_code == 200
    assert error in response.text
    assert not Sanction.objects.exists()


def test_a_banned_commenters_new_comments_are_rejected_silently_by_default(
    client, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.COMMENTS_BAN_MESSAGE = False
    make_user(is_staff=True, groups=["Moderators"], email="moira@example.com")
    sanction("ban")
    story = make_story()

    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, story, email="Daniyar+new@example.com", body="Still here.")

    comment = Comment.objects.get()
    assert comment.status == Comment.Status.REJECTED
    assert comment.rejection_reason == "Banned"
    assert "will appear once a moderator has approved it" in response.text
    assert mailoutbox == []  # nothing for the moderators to do
    assert "Still here." not in client.get(story.get_absolute_url()).text


def test_with_the_setting_a_suspended_commenter_is_told_until_when(client, settings):
    settings.COMMENTS_BAN_MESSAGE = True
    until = timezone.now() + timedelta(days=3)
    sanction("suspension", until=until)

    response = post(client, make_story())

    assert Comment.objects.get().status == Comment.Status.REJECTED
    assert "you may not comment on this site until" in response.text
    assert f"{timezone.localtime(until):%-d %B %Y}" in response.text
    assert "will appear once a moderator" not in response.text


def test_a_banned_commenter_is_told_with_the_setting(client, settings):
    settings.COMMENTS_BAN_MESSAGE = True
    sanction("ban")

    response = post(client, make_story())

    assert "you may no longer comment on this site" in response.text


def test_a_suspension_ends_by_itself(client, monkeypatch):
    start = timezone.now()
    sanction("suspension", until=start + timedelta(days=2))
    story = make_story()

    post(client, story, body="During.")
    cache.clear()
    later = start + timedelta(days=2, minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    post(client, story, body="After.")

    statuses = dict(Comment.objects.values_list("body", "status"))
    assert statuses == {"During.": "rejected", "After.": "pending"}
    assert policy.refusal(Comment.objects.get(body="After.")) == ""


def test_a_ban_outweighs_a_suspension_and_other_people_are_untouched(client):
    sanction("suspension", until=timezone.now() + timedelta(days=1))
    sanction("ban")

    assert Sanction.objects.in_force_for(ADDRESS).kind == "ban"
    assert Sanction.objects.in_force_for("someone@example.com") is None
    post(client, make_story(), email="someone@example.com")
    assert Comment.objects.get().status == Comment.Status.PENDING


def test_lifting_a_sanction_records_who_when_and_why_and_comments_flow_again(client, moderator):
    ban = sanction("ban")
    comment = make_comment(email=ADDRESS)

    refused = moderator.post(history_url(comment), commenter_form(lift="on"))
    response = moderator.post(
        history_url(comment), commenter_form(lift="on", lift_reason="Apologised.")
    )

    assert "Please say why the sanction is lifted." in refused.text
    assert response.status_code == 302
    ban.refresh_from_db()
    assert (ban.lifted_by, ban.lift_reason) == (moderator.user, "Apologised.")
    assert timezone.now() - ban.lifted_at < timedelta(minutes=1)
    page = moderator.get(history_url(comment)).text
    assert f"by {moderator.user.username}: Apologised." in page
    assert "May comment" in page
    post(client, make_story(), body="Back again.")
    assert Comment.objects.get(body="Back again.").status == Comment.Status.PENDING


def test_lifting_when_nothing_is_in_force_is_refused(moderator):
    comment = make_comment(email=ADDRESS)

    response = moderator.post(history_url(comment), commenter_form(lift="on", lift_reason="x"))

    assert response.status_code == 200
    assert "No sanction is in force." in response.text


# Who may open and change a commenter -----------------------------------------------------------

ROLES = {
    "anonymous": None,
    "writer": {"groups": ["Writers"]},
    "editor": {"groups": ["Editors"]},
    "moderator": {"groups": ["Moderators"]},
    "superuser": {"is_superuser": True},
}
# GET the history, POST a note: "login", 403, or done.
EXPECTED = {
    "anonymous": ("login", "login"),
    "writer": (403, 403),
    "editor": (403, 403),
    "moderator": (200, "saved"),
    "superuser": (200, "saved"),
}


@pytest.mark.parametrize("role", list(ROLES))
def test_each_role_on_the_commenter_page(role):
    comment = make_comment(email=ADDRESS, body="The words.")
    client = Client()
    if ROLES[role] is not None:
        client.force_login(make_user(is_staff=True, **ROLES[role]))
    url = history_url(comment)

    shown = client.get(url)
    posted = client.post(url, commenter_form(**new_row("notes", text="A note.")))

    expected_get, expected_post = EXPECTED[role]
    for response, expected in ((shown, expected_get), (posted, expected_post)):
        if expected == "login":
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("admin:login"))
        elif expected == "saved":
            assert response.status_code == 302
        else:
            assert response.status_code == expected
            assert ("The words." in response.text) is (expected == 200)
    assert Note.objects.exists() is (expected_post == "saved")


def test_a_viewer_without_change_rights_reads_the_history_but_cannot_sanction():
    viewer = make_user(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_comment"))
    client = Client()
    client.force_login(viewer)
    comment = make_comment(email=ADDRESS, body="The words.")
    url = history_url(comment)

    page = client.get(url)
    posted = client.post(url, commenter_form(**new_row("sanctions", kind="ban", reason="x")))

    assert page.status_code == 200 and "The words." in page.text
    assert 'name="sanctions-0-kind"' not in page.text
    assert posted.status_code == 403
    assert not Sanction.objects.exists()


def test_the_history_costs_the_same_queries_however_long_it_is(moderator):
    story = make_story()

    def queries_for(count):
        for _ in range(count):
            comment = make_comment(story, email=ADDRESS)
            Comment.objects.filter(pk=comment.pk).moderate("approved", moderator.user)
        with CaptureQueriesContext(connection) as queries:
            assert moderator.get(history_url(comment)).status_code == 200
        return len(queries)

    queries_for(1)  # warms the caches a first admin page fills (content types, the session)
    assert queries_for(2) == queries_for(6)


def test_the_commenters_list_shows_who_is_sanctioned_now(moderator):
    sanction("ban", email="troll@example.com")
    sanction("suspension", until=timezone.now() + timedelta(days=1), email="hot@example.com")
    sanction("ban", email="forgiven@example.com", lifted_at=timezone.now())

    page = moderator.get(reverse("admin:comments_commenter_changelist")).text

    assert page.count('<td class="field-standing">Banned</td>') == 1
    assert page.count("Suspended until") == 1
    assert page.count("May comment") == 1


def test_a_comment_without_an_address_has_no_history_and_breaks_no_page(moderator):
    """WordPress imports may carry comments with no email address."""
    comment = make_comment(email="", body="Imported long ago.")

    queue = moderator.get(reverse("admin:comments_comment_changelist"))
    change = moderator.get(reverse("admin:comments_comment_change", args=[comment.pk]))

    assert comment.commenter_key == ""
    assert queue.status_code == 200 and "Imported long ago." in queue.text
    assert "this comment has no email address" in change.text
    assert Sanction.objects.in_force_for("") is None

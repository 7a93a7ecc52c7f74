"""Rejecting asks why (a short list moderators edit, and a note), the reason is kept and may be
emailed to the commenter; every decision is audited, shown on the comment, and exported."""

import csv
import io
import smtplib

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comments.audit import Decision, RejectionReason
from comments.models import Comment

from .factories import make_comment, make_user
from .test_comments import make_story

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:comments_comment_changelist")
AUDIT = reverse("admin:comments_decision_changelist")
EXPORT = reverse("admin:comments_decision_export")
REASONS = reverse("admin:comments_rejectionreason_changelist")


@pytest.fixture
def moderator():
    client = Client()
    client.user = make_user(is_staff=True, groups=["Moderators"], first_name="Moira")
    client.force_login(client.user)
    return client


def reason(label="Off-topic"):
    return RejectionReason.objects.get(label=label)


def change_url(comment):
    return reverse("admin:comments_comment_change", args=[comment.pk])


def test_the_migration_seeds_a_short_list_of_reasons():
    assert list(RejectionReason.objects.values_list("label", flat=True)) == [
        "Off-topic",
        "Abuse or harassment",
        "Spam or advertising",
        "Personal data",
        "Other",
    ]


# Rejecting asks why ----------------------------------------------------------------------------


def test_the_reject_button_asks_why_then_rejects_with_reason_and_note(moderator):
    comment = make_comment(body="Buy my course.")
    untouched = make_comment()

    asked = moderator.post(f"{QUEUE}?status__exact=pending", {"moderate": f"rejected:{comment.pk}"})
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING  # nothing decided yet
    assert asked.status_code == 200
    assert "Why are these comments rejected?" in asked.text
    assert "Buy my course." in asked.text
    assert '<option value="" selected>Choose a reason</option>' in asked.text  # no default
    assert f'name="_selected_action" value="{comment.pk}"' in asked.text
    assert f'name="_selected_action" value="{untouched.pk}"' not in asked.text

    response = moderator.post(
        f"{QUEUE}?status__exact=pending",
        {
            "action": "reject",
            "_selected_action": [comment.pk],
            "confirm": "yes",
            "reason": reason("Spam or advertising").pk,
            "note": "Advertising a course.",
        },
    )

    assert response.status_code == 302
    comment.refresh_from_db()
    assert (comment.status, comment.rejection_reason, comment.rejection_note) == (
        "rejected",
        "Spam or advertising",
        "Advertising a course.",
    )
    decision = Decision.objects.get()
    assert (decision.comment, decision.decided_by, decision.from_status, decision.to_status) == (
        comment,
        moderator.user,
        "pending",
        "rejected",
    )
    assert (decision.reason, decision.note) == ("Spam or advertising", "Advertising a course.")
    assert untouched.decisions.count() == 0


def test_a_bulk_rejection_without_a_reason_changes_nothing_and_asks_again(moderator):
    comments = [make_comment(), make_comment()]
    data = {"action": "reject", "_selected_action": [c.pk for c in comments], "confirm": "yes"}

    response = moderator.post(QUEUE, data)

    assert response.status_code == 200
    assert "Please choose why" in response.text
    assert not Comment.objects.filter(status="rejected").exists()
    assert not Decision.objects.exists()


def test_a_bulk_decision_writes_one_audit_row_per_comment_in_one_statement(moderator):
    comments = [make_comment(status=status) for status in ("pending", "approved", "spam")]
    data = {
        "action": "reject",
        "_selected_action": [c.pk for c in comments],
        "confirm": "yes",
        "reason": reason().pk,
    }

    with CaptureQueriesContext(connection) as queries:
        response = moderator.post(QUEUE + "?status__exact=all", data)

    assert response.status_code == 302
    inserts = [q for q in queries if q["sql"].startswith('INSERT INTO "comments_decision"')]
    assert len(inserts) == 1
    rows = Decision.objects.order_by("comment_id")
    assert [(d.from_status, d.to_status, d.reason) for d in rows] == [
        ("pending", "rejected", "Off-topic"),
        ("approved", "rejected", "Off-topic"),
        ("spam", "rejected", "Off-topic"),
    ]
    assert {d.decided_by for d in rows} == {moderator.user}


def test_other_bulk_decisions_are_audited_too(moderator):
    comments = [make_comment(), make_comment()]

    moderator.post(QUEUE, {"action": "approve", "_selected_action": [c.pk for c in comments]})

    assert Decision.objects.filter(to_status="approved", decided_by=moderator.user).count() == 2


def test_rejecting_on_the_comments_form_asks_why_and_is_audited(moderator):
    comment = make_comment(status="approved")
    data = {"name": comment.name, "body": comment.body, "status": "rejected", "note": ""}

    refused = moderator.post(change_url(comment), data)
    saved = moderator.post(change_url(comment), data | {"reason": reason("Personal data").pk})

    assert refused.status_code == 200
    assert "Please choose why the comment is rejected." in refused.text
    assert saved.status_code == 302
    comment.refresh_from_db()
    assert (comment.status, comment.rejection_reason, comment.moderated_by) == (
        "rejected",
        "Personal data",
        moderator.user,
    )
    decision = comment.decisions.get()
    assert (decision.from_status, decision.to_status) == ("approved", "rejected")


def test_the_comments_page_shows_its_decisions(moderator):
    comment = make_comment()
    Comment.objects.filter(pk=comment.pk).moderate("approved", moderator.user, note="Fine.")
    Comment.objects.filter(pk=comment.pk).moderate("rejected", moderator.user, reason="Other")

    page = moderator.get(change_url(comment)).text

    assert "Decisions (the audit)" in page
    assert "Pending → Approved" in page and "Approved → Rejected" in page
    assert page.count("<td>Moira</td>") == 2
    assert "Fine." in page


# Telling the commenter -------------------------------------------------------------------------


def reject_one(client, comment, **why):
    return client.post(
        QUEUE,
        {
            "action": "reject",
            "_selected_action": [comment.pk],
            "confirm": "yes",
            "reason": reason("Abuse or harassment").pk,
            **why,
        },
    )


def test_with_the_setting_the_commenter_is_told_which_comment_and_why_after_the_commit(
    moderator, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.COMMENTS_TELL_REJECTED = True
    story = make_story(title="The election")
    comment = make_comment(story, email="aliya@example.com", body="See https://evil.example now")

    with django_capture_on_commit_callbacks() as callbacks:
        reject_one(moderator, comment, note="Please keep it civil.")
    assert mailoutbox == []
    for callback in callbacks:
        callback()

    (message,) = mailoutbox
    assert message.to == ["aliya@example.com"]
    assert message.subject == "Your comment on “The election” was not published"
    assert "> See hxxps://evil[.]example now" in message.body
    assert "Why: Abuse or harassment" in message.body
    assert "Please keep it civil." in message.body
    assert f"http://testserver{story.get_absolute_url()}" in message.body


def test_a_comment_filed_as_spam_is_rejected_without_an_email(
    moderator, settings, mailoutbox, django_capture_on_commit_callbacks
):
    """A bot's comment often carries someone else's address: they must not get mail from us."""
    settings.COMMENTS_TELL_REJECTED = True
    spam = make_comment(status="spam", email="victim@example.com")
    pending = make_comment(status="pending", email="writer@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        moderator.post(
            QUEUE + "?status__exact=all",
            {
                "action": "reject",
                "_selected_action": [spam.pk, pending.pk],
                "confirm": "yes",
                "reason": reason().pk,
            },
        )

    assert [message.to for message in mailoutbox] == [["writer@example.com"]]


def test_without_the_setting_nobody_is_emailed(
    moderator, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.COMMENTS_TELL_REJECTED = False
    with django_capture_on_commit_callbacks(execute=True):
        reject_one(moderator, make_comment())
    assert mailoutbox == []


def test_a_mail_failure_leaves_the_rejection_standing(
    moderator, settings, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    settings.COMMENTS_TELL_REJECTED = True
    comment = make_comment()

    def refuse(self, messages):
        raise smtplib.SMTPException("mail server away")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        response = reject_one(moderator, comment)

    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == Comment.Status.REJECTED
    # The worker (outbox/) logs it; the immediate backend of the tests cannot retry later.
    assert "Could not send mail" in caplog.text


# The audit and its export ----------------------------------------------------------------------


def exported(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_audit_lists_every_decision_and_exports_what_it_shows(moderator):
    story = make_story(title="=HYPERLINK(evil)")
    approved = make_comment(story, name="Aliya")
    rejected = make_comment(story, name="Bolat")
    Comment.objects.filter(pk=approved.pk).moderate("approved", moderator.user)
    Comment.objects.filter(pk=rejected.pk).moderate(
        "rejected", moderator.user, reason="Other", note="-2+3"
    )

    listing = moderator.get(AUDIT)
    everything = exported(moderator.get(EXPORT))
    only_rejections = exported(moderator.get(EXPORT, {"to_status__exact": "rejected"}))

    assert listing.status_code == 200
    assert f'href="{EXPORT}"' in listing.text
    assert everything[0][:6] == ["decided at", "comment", "story", "commenter name", "from", "to"]
    assert sorted(row[3] for row in everything[1:]) == ["Aliya", "Bolat"]
    assert len(only_rejections) == 2
    row = only_rejections[1]
    assert row[1:] == [
        str(rejected.pk),
        "'=HYPERLINK(evil)",  # a spreadsheet must not run it
        "Bolat",
        "pending",
        "rejected",
        "Moira",
        "Other",
        "'-2+3",
    ]


ROLES = {
    "anonymous": None,
    "writer": {"groups": ["Writers"]},
    "editor": {"groups": ["Editors"]},
    "moderator": {"groups": ["Moderators"]},
    "superuser": {"is_superuser": True},
}
# For each role: the audit list, its CSV, the reasons list, adding a reason.
EXPECTED = {
    "anonymous": ("login", "login", "login", "login"),
    "writer": (403, 403, 403, 403),
    "editor": (403, 403, 403, 403),
    "moderator": (200, 200, 200, "saved"),
    "superuser": (200, 200, 200, "saved"),
}


@pytest.mark.parametrize("role", list(ROLES))
def test_each_role_on_the_audit_and_the_reasons(role):
    comment = make_comment(name="Aliya")
    Comment.objects.filter(pk=comment.pk).moderate("approved", None)
    client = Client()
    if ROLES[role] is not None:
        client.force_login(make_user(is_staff=True, **ROLES[role]))

    responses = [
        client.get(AUDIT),
        client.get(EXPORT),
        client.get(REASONS),
        client.post(
            reverse("admin:comments_rejectionreason_add"), {"label": "Trolling", "position": 5}
        ),
    ]

    for response, expected in zip(responses, EXPECTED[role], strict=True):
        if expected == "login":
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("admin:login"))
        elif expected == "saved":
            assert response.status_code == 302
        else:
            assert response.status_code == expected
    # The audit and its export name the commenter to those allowed, and to nobody else.
    audit, export = (response.content.decode() for response in responses[:2])
    assert ("Aliya" in audit) is ("Aliya" in export) is (EXPECTED[role][0] == 200)
    assert RejectionReason.objects.filter(label="Trolling").exists() is (
        EXPECTED[role][3] == "saved"
    )


def test_a_viewer_of_comments_reads_the_audit_but_edits_no_reason():
    viewer = make_user(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_comment"))
    client = Client()
    client.force_login(viewer)

    assert client.get(EXPORT).status_code == 200
    assert client.get(REASONS).status_code == 200
    response = client.post(reverse("admin:comments_rejectionreason_add"), {"label": "Trolling"})
    assert response.status_code == 403
    assert not RejectionReason.objects.filter(label="Trolling").exists()


def test_decisions_cannot_be_changed_or_deleted_in_the_admin(moderator):
    comment = make_comment()
    Comment.objects.filter(pk=comment.pk).moderate("approved", moderator.user)
    decision = Decision.objects.get()
    url = reverse("admin:comments_decision_change", args=[decision.pk])

    page = moderator.get(url)
    posted = moderator.post(url, {"reason": "Rewritten"})
    deleted = moderator.post(
        reverse("admin:comments_decision_delete", args=[decision.pk]), {"post": "yes"}
    )

    assert page.status_code == 200 and 'name="_save"' not in page.text
    assert posted.status_code == 403 and deleted.status_code == 403
    decision.refresh_from_db()
    assert decision.reason == ""


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:comments_reportedcomment_changelist",
        "admin:comments_commenter_changelist",
        "admin:comments_decision_changelist",
        "admin:comments_rejectionreason_changelist",
        "admin:comments_rejectionreason_add",
    ],
)
def test_every_new_admin_page_renders(url_name):
    client = Client()
    client.force_login(make_user(is_staff=True, is_superuser=True))
    assert client.get(reverse(url_name)).status_code == 200

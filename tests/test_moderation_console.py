"""The keyboard moderation console (comments/console.py) without a browser: who may open it and
decide there, decisions made with plain forms and with the script's JSON, rejections and their
reasons, undo, the queues' counts, highlighted words, the commenter link, and a fixed number of
queries however long the queue is."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from comments import console
from comments.audit import Decision, RejectionReason
from comments.console import commenter_url, highlighted, queue_counts
from comments.models import Comment, WordList
from comments.moderation import moderator as moderator_policy
from comments.reports import file_report

from .factories import make_article, make_comment, make_user

pytestmark = pytest.mark.django_db

CONSOLE = reverse("admin:comments_comment_console")
JSON = {"Accept": "application/json"}


@pytest.fixture
def people():
    viewer = make_user("vera", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_comment"))
    return {
        "writer": make_user("wendy", groups=["Writers"], is_staff=True),
        "editor": make_user("eddie", groups=["Editors"], is_staff=True),
        "moderator": make_user("moira", groups=["Moderators"], is_staff=True),
        "superuser": make_user("root", is_staff=True, is_superuser=True),
        "viewer": viewer,  # May read the comment admin, not decide: the console decides.
    }


def signed_in(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def moderator(client):
    user = make_user(is_staff=True, groups=["Moderators"])
    client.force_login(user)
    return user


def waiting(count, **fields):
    """`count` pending comments, oldest first, a minute apart."""
    start = timezone.now() - timedelta(hours=1)
    return [make_comment(created_at=start + timedelta(minutes=n), **fields) for n in range(count)]


def decide(client, comment, status, expected="pending", json=True, **fields):
    """Decide `comment` in the console: as the script does (JSON) or as a plain form."""
    data = {"comment": comment.pk, "status": status, "expected": expected, **fields}
    return client.post(CONSOLE, data, headers=JSON if json else {})


def rows(page):
    return page.count('class="console-row"')


def reason(label="Off-topic"):
    """One of the reasons the migration puts on the list."""
    return RejectionReason.objects.get(label=label)


# Who may open it ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("writer", False),
        ("editor", False),
        ("viewer", False),
        ("moderator", True),
        ("superuser", True),
    ],
)
@pytest.mark.parametrize("route", ["page", "fragment", "decision", "ask why", "rejection"])
def test_the_console_obeys_the_comment_change_permission(people, who, allowed, route):
    comment = make_comment()
    client = signed_in(people[who])

    if route == "decision":
        response = decide(client, comment, "approved")
    elif route == "ask why":  # The Reject button without the script: the page that asks.
        response = decide(client, comment, "rejected", json=False)
    elif route == "rejection":
        response = decide(client, comment, "rejected", reason=reason().pk)
    else:
        response = client.get(CONSOLE, {"fragment": "1"} if route == "fragment" else {})

    assert response.status_code == (200 if allowed else 403)
    shows_comment = route in ("page", "fragment", "ask why")
    assert (comment.body in response.text) == (allowed and shows_comment)
    comment.refresh_from_db()
    becomes = {"decision": Comment.Status.APPROVED, "rejection": Comment.Status.REJECTED}
    expected = becomes.get(route, Comment.Status.PENDING) if allowed else Comment.Status.PENDING
    assert comment.status == expected
    assert Decision.objects.exists() == (allowed and route in becomes)


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_signed_out_visitor_is_sent_to_the_login_page(client, method):
    comment = make_comment()

    response = getattr(client, method)(
        CONSOLE, {"comment": comment.pk, "status": "approved", "expected": "pending"}
    )

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_the_console_is_linked_from_the_queue_and_every_admin_page(client, moderator):
    for url in (reverse("admin:index"), reverse("admin:comments_comment_changelist")):
        assert f'<a href="{CONSOLE}">Keyboard console</a>' in client.get(url).text


def test_the_console_has_one_address_the_links_lead_to(client, moderator):
    # The Reported queue's admin subclasses the comments' one; it must not take over the name.
    assert reverse("admin:comments_comment_console") == "/admin/comments/comment/console/"
    assert client.get("/admin/comments/reportedcomment/console/").status_code != 200


def test_staff_who_cannot_decide_are_not_offered_the_console(people):
    editor, viewer = signed_in(people["editor"]), signed_in(people["viewer"])

    assert "Keyboard console" not in editor.get(reverse("admin:index")).text
    page = viewer.get(reverse("admin:comments_comment_changelist")).text
    assert "waiting for moderation" in page and "Keyboard console" not in page


# What it shows -----------------------------------------------------------------------------


def test_the_pending_queue_shows_story_parent_name_and_text_oldest_first(client, moderator):
    story = make_article(title="Pipeline <tender> delayed")
    thread = make_comment(story, status="approved", name="Aigerim", body="The first word. " * 20)
    older = make_comment(
        story,
        parent=thread,
        name="Daniyar",
        body="Quite right.\n<script>alert(1)</script>",
        created_at=timezone.now() - timedelta(hours=2),
    )
    newer = make_comment(story, name="Ermek", body="A newer comment.")
    make_comment(status="spam", body="Buy now")

    page = client.get(CONSOLE).text

    assert rows(page) == 2
    assert page.index(f'id="comment-{older.pk}"') < page.index(f'id="comment-{newer.pk}"')
    assert "Pipeline &lt;tender&gt; delayed" in page
    assert f'href="{story.get_absolute_url()}#comments"' in page
    assert "Reply to Aigerim:</span> The first word." in page
    assert "Quite right.<br>&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page and "Buy now" not in page
    assert '<span class="console-count" data-count="pending">2</span>' in page
    assert '<span class="console-count" data-count="spam">1</span>' in page


def test_the_spam_queue_offers_approve_and_reject_and_says_why(client, moderator):
    make_comment(status="spam", spam_reason="Contains 7 links (more than 2).", body="Buy now")
    make_comment(body="A pending one")

    page = client.get(CONSOLE, {"queue": "spam"}).text

    assert rows(page) == 1 and "Buy now" in page and "A pending one" not in page
    assert "<strong>Why spam:</strong> Contains 7 links (more than 2).</p>" in page
    assert 'value="approved"' in page and 'value="rejected"' in page
    assert 'name="status" value="spam"' not in page


def test_a_long_queue_comes_in_batches_each_after_the_last(client, moderator, monkeypatch):
    monkeypatch.setattr(console, "BATCH", 3)
    comments = waiting(7)

    first = client.get(CONSOLE).text
    second = client.get(CONSOLE, {"after": comments[2].pk, "fragment": "1"})
    last = client.get(CONSOLE, {"after": comments[5].pk, "fragment": "1"}).text

    assert rows(first) == 3 and f'id="comment-{comments[0].pk}"' in first
    assert f'href="{CONSOLE}?queue=pending&amp;after={comments[2].pk}"' in first
    # A fragment is the rows alone, for the script to append.
    assert second.text.lstrip().startswith("<li") and "<html" not in second.text
    assert [f'id="comment-{c.pk}"' in second.text for c in comments] == [0, 0, 0, 1, 1, 1, 0]
    assert rows(last) == 1 and f'id="comment-{comments[6].pk}"' in last


@pytest.mark.parametrize(
    "params", [{"queue": "published"}, {"after": "abc"}, {"after": "-1"}, {"after": "9" * 30}]
)
def test_a_garbled_address_is_a_400(client, moderator, params):
    assert client.get(CONSOLE, params).status_code == 400


def test_queue_counts_counts_each_queue_once(moderator):
    waiting(3)
    make_comment(status="spam")
    make_comment(status="approved")
    make_comment(status="rejected")
    reported = make_comment(status="approved")
    file_report(reported, "reader-1", "abuse")
    file_report(reported, "reader-2", "spam")

    assert queue_counts() == {"pending": 3, "spam": 1, "reported": 1}
    # A moderator's decision closes the reports: the comment leaves the Reported queue.
    Comment.objects.filter(pk=reported.pk).moderate(Comment.Status.APPROVED, moderator)
    assert queue_counts() == {"pending": 3, "spam": 1, "reported": 0}


# Highlighted words -------------------------------------------------------------------------


def test_highlighted_marks_the_matched_words_and_escapes_everything_else():
    comment = Comment(body="Buy <cheap> pills\nnow, cheap!")
    comment.matched_words = [{"field": "body", "start": 5, "end": 10, "text": "cheap"}]

    assert str(highlighted(comment)) == "Buy &lt;<mark>cheap</mark>&gt; pills<br>now, cheap!"
    comment.matched_words = []
    assert str(highlighted(comment)) == "Buy &lt;cheap&gt; pills<br>now, cheap!"


def test_the_words_a_list_matched_are_marked_in_the_console(client, moderator):
    WordList.objects.create(name="Pharma", kind=WordList.Kind.SUSPECT, rules="cheap\npills")
    comment = make_comment(body="Cheap <pills> here")
    comment.matched_words = [
        match.as_json(getattr(comment, field), field)
        for field, match in moderator_policy.words_found(comment)
    ]
    comment.save()

    page = client.get(CONSOLE).text

    assert "<mark>Cheap</mark> &lt;<mark>pills</mark>&gt; here" in page


# The commenter -----------------------------------------------------------------------------


def test_the_commenter_link_lists_everything_that_address_wrote(client, moderator):
    comment = make_comment(email="Daniyar@Example.com", body="Pending one")
    make_comment(email="daniyar@example.com", status="approved", body="Approved one")
    make_comment(email="daniyar@example.com", status="spam", body="Spam one")
    make_comment(email="someone@example.com", body="Somebody else")

    assert (
        f'data-commenter="{commenter_url(comment)}"'.replace("&", "&amp;")
        in client.get(CONSOLE).text
    )
    page = client.get(commenter_url(comment)).text

    assert "Pending one" in page and "Approved one" in page and "Spam one" in page
    assert "Somebody else" not in page


# Decisions ---------------------------------------------------------------------------------


def test_a_form_decides_one_comment_and_returns_to_the_same_place(client, moderator):
    comments = waiting(4)
    before = timezone.now()

    response = decide(
        client, comments[1], "approved", queue="pending", after=str(comments[0].pk), json=False
    )

    assert response.status_code == 302
    assert (
        response.url == f"{CONSOLE}?queue=pending&after={comments[0].pk}#comment-{comments[2].pk}"
    )
    comments[1].refresh_from_db()
    assert comments[1].status == Comment.Status.APPROVED
    assert comments[1].moderated_by == moderator and comments[1].moderated_at >= before
    page = client.get(response.url).text
    assert f"The comment by {comments[1].name} was approved." in page
    assert f'id="comment-{comments[1].pk}"' not in page and rows(page) == 2


def test_a_decision_made_with_a_form_can_be_undone_with_a_form(client, moderator):
    comment = waiting(1)[0]
    decide(client, comment, "spam", json=False)

    page = client.get(CONSOLE).text
    assert f"Undo the decision on the comment by {comment.name}" in page
    assert 'name="status" value="pending"' in page and 'name="expected" value="spam"' in page
    decide(client, comment, "pending", expected="spam", json=False)

    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    page = client.get(CONSOLE).text
    assert f'id="comment-{comment.pk}"' in page
    assert "Undo the decision" not in page  # Offered once, for the decision just made.


def test_the_script_gets_the_new_counts_with_each_decision_and_undo(client, moderator):
    comments = waiting(3)
    make_comment(status="spam")

    approved = decide(client, comments[0], "approved").json()
    spammed = decide(client, comments[1], "spam").json()
    undone = decide(client, comments[1], "pending", expected="spam").json()

    assert approved == {
        "message": f"The comment by {comments[0].name} was approved.",
        "status": "approved",
        "counts": {"pending": 2, "spam": 1, "reported": 0},
    }
    assert spammed["counts"] == {"pending": 1, "spam": 2, "reported": 0}
    assert undone["counts"] == {"pending": 2, "spam": 1, "reported": 0}
    assert undone["message"] == f"The comment by {comments[1].name} was returned to the queue."
    assert [c.status for c in Comment.objects.filter(pk__in=[c.pk for c in comments])] == [
        "approved",
        "pending",
        "pending",
    ]


def test_a_comment_someone_else_decided_meanwhile_is_left_alone(client, moderator):
    comment = make_comment(status="rejected")

    response = decide(client, comment, "approved", expected="pending")
    undo = decide(client, comment, "pending", expected="approved")

    assert response.status_code == 409 and undo.status_code == 409
    assert "already rejected: someone decided it meanwhile" in response.json()["message"]
    comment.refresh_from_db()
    assert comment.status == Comment.Status.REJECTED and comment.moderated_by is None


def test_a_comment_that_is_gone_is_a_404_for_the_script_and_a_warning_for_a_form(client, moderator):
    comment = make_comment()
    Comment.objects.filter(pk=comment.pk).delete()

    assert decide(client, comment, "approved").status_code == 404
    response = decide(client, comment, "approved", json=False)
    assert response.status_code == 302
    assert "That comment no longer exists." in client.get(response.url).text


@pytest.mark.parametrize(
    "fields",
    [
        {"comment": "abc", "status": "approved", "expected": "pending"},
        {"comment": "1", "status": "published", "expected": "pending"},
        {"comment": "1", "status": "approved", "expected": ""},
        {"comment": "1", "status": "approved", "expected": "pending", "queue": "x"},
        {"comment": "1", "status": "approved", "expected": "pending", "after": "x"},
        {},
    ],
)
def test_a_garbled_decision_is_a_400_and_changes_nothing(client, moderator, fields):
    comment = make_comment()
    fields = {key: str(comment.pk) if value == "1" else value for key, value in fields.items()}

    assert client.post(CONSOLE, fields, headers=JSON).status_code == 400
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_a_decision_needs_the_csrf_token(moderator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(moderator)
    comment = make_comment()

    response = decide(client, comment, "approved")

    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_an_approved_comment_shows_on_the_story_page_at_once(
    client, moderator, django_capture_on_commit_callbacks
):
    story = make_article()
    comment = make_comment(story, body="Worth reading, and now public.")
    reader = Client()
    assert comment.body not in reader.get(story.get_absolute_url()).text  # Now in the cache.

    with django_capture_on_commit_callbacks(execute=True):
        assert decide(client, comment, "approved").status_code == 200

    assert comment.body in reader.get(story.get_absolute_url()).text


def test_a_withdrawn_comment_leaves_the_story_page_at_once(
    client, moderator, django_capture_on_commit_callbacks
):
    story = make_article()
    comment = make_comment(story, body="Published a moment too soon.", status="approved")
    reader = Client()
    assert comment.body in reader.get(story.get_absolute_url()).text

    with django_capture_on_commit_callbacks(execute=True):
        response = decide(client, comment, "rejected", expected="approved", reason=reason().pk)
        assert response.status_code == 200

    assert comment.body not in reader.get(story.get_absolute_url()).text


# Rejecting asks why --------------------------------------------------------------------------


def test_the_page_offers_the_reasons_numbered_for_the_script(client, moderator):
    make_comment()

    page = client.get(CONSOLE).text

    assert '<dialog class="console-reject"' in page
    for number, label in enumerate(["Off-topic", "Abuse or harassment", "Other"], start=1):
        if label == "Other":
            number = 5
        pk = reason(label).pk
        assert (
            f'data-reason="{pk}" data-key="{number}"><kbd>{number}</kbd> {label}</button>' in page
        )


def test_the_script_rejects_with_a_reason_and_a_note_and_both_are_audited(client, moderator):
    comment = waiting(1)[0]

    response = decide(
        client, comment, "rejected", reason=reason("Personal data").pk, note="Names a neighbour."
    )

    assert response.status_code == 200
    assert response.json()["message"] == f"The comment by {comment.name} was rejected."
    comment.refresh_from_db()
    assert (comment.status, comment.rejection_reason, comment.rejection_note) == (
        "rejected",
        "Personal data",
        "Names a neighbour.",
    )
    decision = Decision.objects.get()
    assert (decision.comment, decision.decided_by, decision.from_status, decision.to_status) == (
        comment,
        moderator,
        "pending",
        "rejected",
    )
    assert (decision.reason, decision.note) == ("Personal data", "Names a neighbour.")


@pytest.mark.parametrize(
    ("why", "error"),
    [
        ({}, "Please choose why"),
        ({"reason": ""}, "Please choose why"),
        ({"reason": "abc"}, "Select a valid choice"),
        ({"reason": "999999"}, "Select a valid choice"),
        ({"reason": "OFF", "note": "x" * 1001}, "at most 1000 characters"),
    ],
    ids=["missing", "empty", "garbled", "unknown", "note too long"],
)
def test_the_script_gets_a_400_and_nothing_changes_without_a_valid_reason(
    client, moderator, why, error
):
    comment = waiting(1)[0]
    why = {key: reason().pk if value == "OFF" else value for key, value in why.items()}

    response = decide(client, comment, "rejected", **why)

    assert response.status_code == 400
    assert error in response.json()["message"]
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert not Decision.objects.exists()


def test_without_the_script_reject_asks_why_then_rejects_and_returns_to_the_place(
    client, moderator
):
    comments = waiting(3)
    place = {"queue": "pending", "after": str(comments[0].pk)}

    asked = decide(client, comments[1], "rejected", json=False, **place)

    assert asked.status_code == 200
    comments[1].refresh_from_db()
    assert comments[1].status == Comment.Status.PENDING  # Nothing decided yet.
    assert f"Why reject the comment by {comments[1].name}?" in asked.text
    assert comments[1].body in asked.text
    for label in ("Off-topic", "Abuse or harassment", "Spam or advertising", "Other"):
        assert f'type="radio" name="reason" value="{reason(label).pk}"' in asked.text
    assert "checked" not in asked.text  # No reason chosen for the moderator.
    assert f'<input type="hidden" name="comment" value="{comments[1].pk}">' in asked.text
    assert '<input type="hidden" name="confirm" value="yes">' in asked.text
    assert (
        f'href="{CONSOLE}?queue=pending&amp;after={comments[0].pk}#comment-{comments[1].pk}"'
        in (asked.text)
    )  # Cancel: back to the same place.

    answered = decide(
        client,
        comments[1],
        "rejected",
        json=False,
        confirm="yes",
        reason=reason("Spam or advertising").pk,
        note="A course advert.",
        **place,
    )

    assert answered.status_code == 302
    assert answered.url == (
        f"{CONSOLE}?queue=pending&after={comments[0].pk}#comment-{comments[2].pk}"
    )
    comments[1].refresh_from_db()
    assert (comments[1].status, comments[1].rejection_reason) == ("rejected", "Spam or advertising")
    assert comments[1].decisions.get().note == "A course advert."
    page = client.get(answered.url).text
    assert f"The comment by {comments[1].name} was rejected." in page
    assert f"Undo the decision on the comment by {comments[1].name}" in page


@pytest.mark.parametrize(
    ("why", "error"),
    [
        ({}, "Please choose why (the list is under Rejection reasons)."),
        ({"reason": "999999"}, "Select a valid choice."),
    ],
    ids=["missing", "unknown"],
)
def test_without_the_script_an_answer_without_a_valid_reason_asks_again(
    client, moderator, why, error
):
    comment = waiting(1)[0]

    response = decide(
        client, comment, "rejected", json=False, confirm="yes", note="Kept for the retry.", **why
    )

    assert response.status_code == 200
    assert error in response.text
    assert "Kept for the retry." in response.text
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert not Decision.objects.exists()


def test_with_no_reasons_on_the_list_rejecting_is_refused_as_in_the_queue(client, moderator):
    """The queue's rule (RejectForm): a rejection needs a reason. With the list emptied the
    console says where reasons are added, and decides nothing."""
    RejectionReason.objects.all().delete()
    comment = waiting(1)[0]

    page = client.get(CONSOLE).text
    script = decide(client, comment, "rejected", reason="")
    form = decide(client, comment, "rejected", json=False)

    assert "There are no reasons to choose from yet" in page and "data-reason=" not in page
    assert script.status_code == 400 and "Please choose why" in script.json()["message"]
    assert form.status_code == 200 and "There are no reasons to choose from yet" in form.text
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_with_the_setting_the_commenter_is_emailed_the_reason_the_console_chose(
    client, moderator, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.COMMENTS_TELL_REJECTED = True
    comment = make_comment(email="aliya@example.com", body="You are all idiots.")

    with django_capture_on_commit_callbacks(execute=True):
        response = decide(
            client,
            comment,
            "rejected",
            reason=reason("Abuse or harassment").pk,
            note="Please keep it civil.",
        )

    assert response.status_code == 200
    (message,) = mailoutbox
    assert message.to == ["aliya@example.com"]
    assert "Why: Abuse or harassment" in message.body
    assert "The moderator's note: Please keep it civil." in message.body
    assert "> You are all idiots." in message.body


def test_without_the_setting_a_console_rejection_emails_nobody(
    client, moderator, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.COMMENTS_TELL_REJECTED = False
    comment = make_comment(email="aliya@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        assert decide(client, comment, "rejected", reason=reason().pk).status_code == 200

    assert mailoutbox == []


def test_undoing_a_rejection_needs_no_reason(client, moderator):
    comment = waiting(1)[0]
    decide(client, comment, "rejected", reason=reason().pk)

    response = decide(client, comment, "pending", expected="rejected")

    assert response.status_code == 200
    comment.refresh_from_db()
    assert (comment.status, comment.rejection_reason) == ("pending", "")
    assert [d.to_status for d in comment.decisions.order_by("id")] == ["rejected", "pending"]


# Queries -----------------------------------------------------------------------------------


def fill_queue(size):
    """`size` pending comments over ten stories, every third a reply to an approved one."""
    stories = [make_article() for _ in range(10)]
    threads = [make_comment(story, status="approved") for story in stories]
    for n in range(size):
        parent = threads[n % 10] if n % 3 == 2 else None
        make_comment(stories[n % 10], parent=parent, body=f"Pending comment {n}")
    make_comment(status="spam")


def count_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("params", [{}, {"fragment": "1"}, {"queue": "spam"}])
def test_the_console_costs_the_same_few_queries_with_ten_times_the_queue(client, moderator, params):
    fill_queue(20)
    client.get(CONSOLE)  # The session and the permissions are loaded once per request.
    small = count_queries(client, CONSOLE, params)
    changelist = count_queries(client, reverse("admin:comments_comment_changelist"))
    fill_queue(180)

    large = count_queries(client, CONSOLE, params)

    assert large == small
    # No more than the comment changelist costs for the same queue.
    assert large <= changelist, f"the console ran {large} queries, the changelist {changelist}"

"""The moderators' side: the queue in the admin, one-click decisions, and email about new comments."""

import os
import re
import smtplib
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment

from .factories import make_comment, make_user
from .test_comments import become_returning_commenter, make_story, post

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:comments_comment_changelist")


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def moderator(client):
    user = make_user(is_staff=True, groups=["Moderators"], email="moira@example.com")
    client.force_login(user)
    return user


# The queue in the admin


@pytest.mark.parametrize(
    "url", [reverse("admin:index"), reverse("admin:articles_article_changelist")]
)
def test_every_admin_page_shows_the_queue_size_linked_to_the_queue(client, moderator, url):
    for _ in range(3):
        make_comment(status="pending")
    make_comment(status="approved")
    make_comment(status="spam")

    page = client.get(url).text

    assert f'<a href="{QUEUE}?status__exact=pending">3 comments waiting for moderation</a>' in page


def test_an_empty_queue_says_so(client, moderator):
    make_comment(status="approved")
    assert "No comments waiting for moderation" in client.get(reverse("admin:index")).text


def test_staff_who_cannot_moderate_do_not_see_the_queue_size(client):
    make_comment(status="pending")
    client.force_login(make_user(is_staff=True, groups=["Editors"]))

    page = client.get(reverse("admin:index")).text

    assert "waiting for moderation" not in page


def test_the_queue_opens_on_pending_comments_newest_first(client, moderator):
    story = make_story(title="The story under discussion")
    now = timezone.now()
    older = make_comment(story, status="pending", created_at=now - timedelta(hours=2))
    newer = make_comment(story, status="pending", created_at=now - timedelta(hours=1))
    make_comment(story, status="approved", created_at=now)
    make_comment(story, status="spam", created_at=now)

    response = client.get(QUEUE)

    assert list(response.context["cl"].result_list) == [newer, older]
    assert re.search(
        r'<li class="selected">\s*<a href="\?status__exact=pending">Pending \(2\)</a>',
        response.text,
    )
    assert reverse("admin:articles_article_change", args=[story.pk]) in response.text
    assert f'href="{story.get_absolute_url()}#comments">on the site</a>' in response.text
    assert "The story under discussion" in response.text


def test_all_comments_are_one_click_away(client, moderator):
    comments = [make_comment(status=status) for status in Comment.Status.values]

    response = client.get(QUEUE)
    everything = client.get(QUEUE, {"status__exact": "all"})

    assert 'href="?status__exact=all">All (4)</a>' in response.text
    assert set(everything.context["cl"].result_list) == set(comments)


def test_replies_are_marked_as_such_in_the_queue(client, moderator):
    thread = make_comment(name="Aigerim", status="approved")
    reply = make_comment(thread.article, parent=thread, body="Quite right.")

    page = client.get(QUEUE).text
    change = client.get(reverse("admin:comments_comment_change", args=[reply.pk]))

    assert "↳ Reply to Aigerim: Quite right." in page
    assert change.status_code == 200 and "In reply to" in change.text


@pytest.mark.parametrize(
    ("status", "message"),
    [
        ("approved", "was approved."),
        # Rejecting asks why first: tests/test_rejection_audit.py.
        ("spam", "was marked as spam."),
    ],
)
def test_a_row_button_decides_one_comment_and_records_who_and_when(
    client, moderator, status, message
):
    chosen = make_comment(name="Bolat", status="pending")
    untouched = make_comment(status="pending")
    page = client.get(QUEUE, {"status__exact": "pending"}).text
    assert f'name="moderate" value="{status}:{chosen.pk}"' in page

    response = client.post(
        f"{QUEUE}?status__exact=pending", {"moderate": f"{status}:{chosen.pk}"}, follow=True
    )

    assert response.redirect_chain == [(f"{QUEUE}?status__exact=pending", 302)]
    assert f"The comment by Bolat {message}" in response.text
    chosen.refresh_from_db()
    assert (chosen.status, chosen.moderated_by) == (status, moderator)
    assert timezone.now() - chosen.moderated_at < timedelta(minutes=1)
    untouched.refresh_from_db()
    assert (untouched.status, untouched.moderated_by) == ("pending", None)
    # Decided, it leaves the pending queue.
    assert chosen not in response.context["cl"].result_list


def test_a_row_offers_only_the_decisions_that_change_something(client, moderator):
    approved = make_comment(status="approved")

    page = client.get(QUEUE, {"status__exact": "approved"}).text

    assert f'value="approved:{approved.pk}"' not in page
    assert f'value="rejected:{approved.pk}"' in page and f'value="spam:{approved.pk}"' in page


def test_row_buttons_need_the_csrf_token(moderator):
    comment = make_comment(status="pending")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(moderator)

    response = strict.post(QUEUE, {"moderate": f"approved:{comment.pk}"})

    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_staff_who_may_only_look_get_no_buttons_and_cannot_decide(client):
    viewer = make_user(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_comment"))
    client.force_login(viewer)
    comment = make_comment(status="pending")

    page = client.get(QUEUE)
    response = client.post(QUEUE, {"moderate": f"approved:{comment.pk}"})

    assert page.status_code == 200 and comment.body in page.text
    assert 'name="moderate"' not in page.text
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


@pytest.mark.parametrize("value", ["approved:999999", "published:1", "approved:", "nonsense"])
def test_a_row_button_for_nothing_is_a_warning_not_an_error(client, moderator, value):
    comment = make_comment(pk=1, status="pending")

    response = client.post(QUEUE, {"moderate": value}, follow=True)

    assert response.status_code == 200
    assert "That comment no longer exists." in response.text
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


# Email to the moderators


@pytest.fixture
def moderators():
    """Who is told about a new comment, and who is not."""
    return {
        "told": [
            make_user(groups=["Moderators"], is_staff=True, email="moira@example.com"),
            make_user(is_superuser=True, is_staff=True, email="root@example.com"),
        ],
        "not told": [
            make_user(groups=["Moderators"], is_staff=True, email=""),
            make_user(groups=["Moderators"], is_staff=True, is_active=False, email="gone@x.com"),
            make_user(groups=["Editors"], is_staff=True, email="editor@example.com"),
        ],
    }


def test_a_new_pending_comment_emails_the_moderators_once_stored(
    client, moderators, mailoutbox, django_capture_on_commit_callbacks
):
    story = make_story(title="Kazakhstan joins the Abraham Accords")

    with django_capture_on_commit_callbacks() as callbacks:
        post(client, story, body="A fair summary of a symbolic step.")
    assert mailoutbox == []  # Nothing is sent before the comment is committed.
    for callback in callbacks:
        callback()

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    comment = Comment.objects.get()
    assert sorted(message.to) == ["moira@example.com", "root@example.com"]
    assert message.subject == "New comment to moderate: Kazakhstan joins the Abraham Accords"
    assert "> A fair summary of a symbolic step." in message.body
    # The whole group gets it: the address is masked, as in the admin for staff without the right.
    assert "> Name: Daniyar\n> Email: d•••••r@e•••••e[.]com" in message.body
    assert "daniyar@example" not in message.body
    assert f"http://testserver{QUEUE}?status__exact=pending" in message.body
    change_url = reverse("admin:comments_comment_change", args=[comment.pk])
    assert f"http://testserver{change_url}" in message.body
    assert f"http://testserver{story.get_absolute_url()}" in message.body


def test_a_reply_email_says_what_it_answers(
    client, moderators, mailoutbox, django_capture_on_commit_callbacks
):
    thread = make_comment(make_story(), name="Aigerim", status="approved")

    with django_capture_on_commit_callbacks(execute=True):
        post(client, thread.article, parent=thread.pk)

    assert "> In reply to: Aigerim" in mailoutbox[0].body


@pytest.mark.parametrize("case", ["spam", "returning commenter", "notifications off"])
def test_no_email_when_no_moderator_is_needed(
    client, settings, moderators, mailoutbox, django_capture_on_commit_callbacks, case
):
    data = {}
    if case == "spam":
        data = {"website": "http://spam.example"}
    elif case == "returning commenter":
        become_returning_commenter(client)
        mailoutbox.clear()
    else:
        settings.COMMENTS_NOTIFY_MODERATORS = False

    with django_capture_on_commit_callbacks(execute=True):
        post(client, make_story(), **data)

    assert Comment.objects.filter(email="daniyar@example.com").exists()
    assert mailoutbox == []


# Committed for real, as in production, where the email goes out during the reader's request.
# serialized_rollback puts back the groups the migrations made, for the tests that follow.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_mail_failure_never_fails_the_readers_post(client, moderators, monkeypatch, caplog):
    def refuse(backend, messages):
        raise smtplib.SMTPServerDisconnected("The mail server went away")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    story = make_story()

    response = post(client, story)

    assert response.status_code == 200
    assert "will appear once a moderator has approved it" in response.text
    assert Comment.objects.get().status == Comment.Status.PENDING
    assert "Could not send mail" in caplog.text  # logged by the worker (outbox/)
    assert "The mail server went away" in caplog.text


# Settings read from the environment


def settings_in_a_fresh_process(code, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SMTP_", "COMMENTS_"))}
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        check=False,
        cwd=Path(__file__).resolve().parent.parent,
        env={**clean, "DJANGO_SETTINGS_MODULE": "newsroom.settings", "DEBUG": "true", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_mail_goes_to_the_console_unless_an_smtp_server_is_configured():
    show = (
        "from django.core.mail import mailers; m = mailers.default; "
        "print(type(m).__module__, getattr(m, 'host', '-'), getattr(m, 'port', '-'), "
        "getattr(m, 'username', '-'), getattr(m, 'use_tls', '-'))"
    )

    default = settings_in_a_fresh_process(show)
    smtp = settings_in_a_fresh_process(
        show, SMTP_HOST="mail.example.com", SMTP_USER="newsroom", SMTP_PASSWORD="pw"
    )

    assert default.stdout.split() == ["django.core.mail.backends.console", "-", "-", "-", "-"]
    assert smtp.stdout.split() == [
        "django.core.mail.backends.smtp",
        "mail.example.com",
        "587",
        "newsroom",
        "True",
    ], smtp.stderr


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"COMMENTS_RATE_LIMIT": "lots"}, 'COMMENTS_RATE_LIMIT must look like "5/10m"'),
        ({"COMMENTS_CLOSE_AFTER_DAYS": "a month"}, "COMMENTS_CLOSE_AFTER_DAYS must be a whole"),
        (
            {"SMTP_HOST": "mail.example.com", "SMTP_USE_TLS": "true", "SMTP_USE_SSL": "true"},
            "Set at most one of SMTP_USE_TLS and SMTP_USE_SSL",
        ),
    ],
)
def test_unreadable_comment_settings_stop_the_site_at_start(env, message):
    result = settings_in_a_fresh_process("", **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_comment_settings_come_from_the_environment():
    result = settings_in_a_fresh_process(
        "from django.conf import settings as s; print(s.COMMENTS_RATE_LIMIT, "
        "s.COMMENTS_CLOSE_AFTER_DAYS, s.COMMENTS_MIN_SECONDS, s.COMMENTS_MAX_LINKS, "
        "s.COMMENTS_TRUST_RETURNING_COMMENTERS, s.DEFAULT_FROM_EMAIL)",
        COMMENTS_RATE_LIMIT="20/1h",
        COMMENTS_CLOSE_AFTER_DAYS="0",
        COMMENTS_MIN_SECONDS="5",
        COMMENTS_MAX_LINKS="0",
        COMMENTS_TRUST_RETURNING_COMMENTERS="false",
        DEFAULT_FROM_EMAIL="desk@example.com",
    )
    assert result.stdout.split() == ["(20,", "3600)", "0", "5", "0", "False", "desk@example.com"]

"""Sending newsletter issues: due issues go once to each receiving subscriber, held ones wait,
a send whose worker died resumes without sending anyone the issue twice, refused addresses are
retried with back-off and paused; unconfirmed sign-ups expire; export and erase."""

import smtplib
from datetime import time, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from newsletters import sending
from newsletters.emails import draw_issue, issue_message
from newsletters.models import Delivery, Issue, Newsletter, Subscriber

from .factories import make_article, make_newsletter, make_subscriber

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def quick(settings):
    settings.NEWSLETTER_RATE = 0  # No pacing: tests send a handful.


# Sending ---------------------------------------------------------------------------------------


def due_issue(newsletter, now):
    make_article(published_at=now - timedelta(hours=1))
    issue = newsletter.upcoming_issue(now - timedelta(days=1))
    Issue.objects.filter(pk=issue.pk).update(scheduled_for=now - timedelta(minutes=1))
    return Issue.objects.get(pk=issue.pk)


def test_a_due_issue_goes_once_to_each_confirmed_subscriber(django_capture_on_commit_callbacks):
    now = timezone.now()
    newsletter = make_newsletter()
    for n in range(3):
        make_subscriber(newsletter, email=f"r{n}@example.com")
    Subscriber.objects.create(email="unconfirmed@example.com").newsletters.add(newsletter)
    make_subscriber(newsletter, email="paused@example.com", paused_at=now)
    issue = due_issue(newsletter, now)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_due_newsletters", verbosity=0)
        call_command("send_due_newsletters", verbosity=0)  # again: nothing more goes

    assert sorted(m.to[0] for m in mail.outbox) == [f"r{n}@example.com" for n in range(3)]
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
    # The next issue waits for editors.
    assert newsletter.issues.filter(status=Issue.Status.DRAFT).count() == 1


def test_a_held_issue_is_not_sent_until_released(django_capture_on_commit_callbacks):
    now = timezone.now()
    newsletter = make_newsletter()
    make_subscriber(newsletter)
    issue = due_issue(newsletter, now)
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.HELD)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_due_newsletters", verbosity=0)
    assert mail.outbox == []
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_due_newsletters", verbosity=0)
    assert len(mail.outbox) == 1


def test_a_send_interrupted_by_a_dead_worker_resumes_and_nobody_gets_it_twice(
    settings, django_capture_on_commit_callbacks
):
    now = timezone.now()
    newsletter = make_newsletter()
    for n in range(5):
        make_subscriber(newsletter, email=f"r{n}@example.com")
    issue = due_issue(newsletter, now)
    with django_capture_on_commit_callbacks(execute=False):  # the batch task never runs
        sending.start_issue(issue, now)
    # A worker sent two, then died holding a claim on two more.
    first = sending.claim(issue.pk, size=4)
    drawn = draw_issue(issue)
    for delivery in first[:2]:
        mail.outbox.append(issue_message(drawn, issue, delivery.subscriber))
        sending.mark_sent(delivery)
    assert Delivery.objects.filter(status=Delivery.Status.SENDING).count() == 2

    # Too soon: the dead worker's claims may still be a live worker's; only the fifth is free.
    (free,) = sending.claim(issue.pk)
    Delivery.objects.filter(pk=free.pk).update(status=Delivery.Status.PENDING, claim="")

    settings.NEWSLETTER_CLAIM_SECONDS = 0
    Issue.objects.filter(pk=issue.pk).update(progress_at=now - timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_due_newsletters", verbosity=0)

    recipients = [m.to[0] for m in mail.outbox]
    assert sorted(recipients) == [f"r{n}@example.com" for n in range(5)]
    assert Issue.objects.get(pk=issue.pk).status == Issue.Status.SENT


def test_a_refused_address_is_retried_with_back_off_then_paused(settings):
    settings.NEWSLETTER_MAX_FAILURES = 2
    now = timezone.now()
    newsletter = make_newsletter()
    subscriber = make_subscriber(newsletter, email="gone@example.com")
    issue = due_issue(newsletter, now)
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.SENDING)
    delivery = Delivery.objects.create(issue=issue, subscriber=subscriber, next_try=now)
    refusal = smtplib.SMTPRecipientsRefused({"gone@example.com": (550, b"No such user")})

    (claimed,) = sending.claim(issue.pk)
    sending.mark_failed(claimed, refusal)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.PENDING
    assert delivery.next_try >= now + timedelta(minutes=5)
    assert sending.claim(issue.pk) == []  # not before its time

    Delivery.objects.filter(pk=delivery.pk).update(next_try=now)
    (claimed,) = sending.claim(issue.pk)
    sending.mark_failed(claimed, refusal)
    delivery.refresh_from_db()
    subscriber.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED
    assert subscriber.paused_at is not None
    assert not Subscriber.objects.receiving().exists()


# Privacy ---------------------------------------------------------------------------------------


def test_unconfirmed_sign_ups_expire(settings):
    settings.NEWSLETTER_CONFIRM_DAYS = 7
    Subscriber.objects.create(
        email="old@example.com", created_at=timezone.now() - timedelta(days=8)
    )
    Subscriber.objects.create(email="new@example.com")
    make_subscriber(make_newsletter(), email="kept@example.com")
    Subscriber.objects.filter(email="kept@example.com").update(
        created_at=timezone.now() - timedelta(days=30)
    )
    call_command("expire_newsletter_signups", verbosity=0)
    assert sorted(Subscriber.objects.values_list("email", flat=True)) == [
        "kept@example.com",
        "new@example.com",
    ]


def test_export_and_erase_a_subscriber(capsys):
    make_subscriber(make_newsletter())
    call_command("export_subscriber", "READER@example.com")
    out = capsys.readouterr().out
    assert '"Morning Briefing"' in out and "reader@example.com" in out
    call_command("erase_subscriber", "reader@example.com", yes=True, verbosity=0)
    assert not Subscriber.objects.exists()


def test_the_demo_has_a_daily_briefing_offered_at_sign_up():
    call_command("load_demo", "--no-images", verbosity=0)
    briefing = Newsletter.objects.get(offered_at_signup=True)
    assert briefing.days == "0123456" and briefing.send_time == time(7, 0)


def test_an_issue_can_be_sent_now_rather_than_at_its_time(django_capture_on_commit_callbacks):
    newsletter = make_newsletter()
    make_subscriber(newsletter)
    make_article(published_at=timezone.now() - timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_due_newsletters", now="morning", verbosity=0)
    (message,) = mail.outbox
    assert message.to == ["reader@example.com"]
    assert newsletter.issues.filter(status=Issue.Status.DRAFT).count() == 1  # the next one

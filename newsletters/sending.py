"""Sending issues through the task queue, resumably and never twice to anyone.

1. `start_due_issues()` (run every minute by `send_due_newsletters`) turns each draft issue
   whose time has come into one Delivery row per receiving subscriber (UNIQUE(issue,
   subscriber): made twice, still one each) and queues `send_issue_batch`.
2. `send_issue_batch` claims a few deliveries at a time, atomically (PostgreSQL:
   SELECT ... FOR UPDATE SKIP LOCKED, so several workers share the work; SQLite: one UPDATE,
   which SQLite runs alone), sends each, and marks it sent only once the mail server accepted
   it. It works for BATCH_SECONDS, then queues its successor, so mail a reader waits for
   (outbox, higher priority) is never stuck behind a long issue.
3. A worker killed mid-send leaves its claimed rows "sending" and the issue quiet; the next
   minute's run sees no progress for NEWSLETTER_CLAIM_SECONDS, frees those claims and queues
   the batch again. Rows marked sent are never claimed again.

No scheme can know both that a message left and that it was noted: each is noted as sent just
before the mail server can accept it (outbox/recorded.py: over SMTP, before the final "."), so a
worker killed in that instant costs one reader the issue, and never sends anyone it twice.
"""

import logging
import secrets
import time
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.mail import mailers
from django.db import connection, transaction
from django.db.models import F, Min, Q
from django.tasks import task
from django.utils import timezone

from outbox.recorded import send_recorded
from outbox.tasks import is_permanent

from .emails import draw_issue, issue_message
from .models import Delivery, Issue, Newsletter, Subscriber

logger = logging.getLogger(__name__)

CLAIM_SIZE = 20
# A batch task works this long, then hands over to a successor (see the module's docstring).
BATCH_SECONDS = 20
# Below the outbox's mail (50): readers' confirmations go first.
PRIORITY = 0
QUEUE = "newsletters"


def retry_delay(attempts):
    """After the n-th failed attempt: 5, 10, 20... minutes."""
    return timedelta(minutes=5 * 2 ** (attempts - 1))


def claimable(now):
    stale = now - timedelta(seconds=settings.NEWSLETTER_CLAIM_SECONDS)
    return Q(status=Delivery.Status.PENDING, next_try__lte=now) | Q(
        status=Delivery.Status.SENDING, claimed_at__lt=stale
    )


def claim(issue_id, size=CLAIM_SIZE):
    """Claim up to `size` deliveries of the issue for this worker; return them."""
    now = timezone.now()
    token = secrets.token_hex(16)
    waiting = Delivery.objects.filter(claimable(now), issue_id=issue_id).order_by("pk")
    claimed = {"status": Delivery.Status.SENDING, "claim": token, "claimed_at": now}
    if connection.features.has_select_for_update_skip_locked:
        with transaction.atomic():
            ids = list(
                waiting.select_for_update(skip_locked=True).values_list("pk", flat=True)[:size]
            )
            Delivery.objects.filter(pk__in=ids).update(**claimed, attempts=F("attempts") + 1)
    else:
        # One statement: SQLite runs it alone, so two workers never claim the same row. The
        # condition is repeated outside the subquery for databases that would not.
        Delivery.objects.filter(claimable(now), pk__in=waiting.values("pk")[:size]).update(
            **claimed, attempts=F("attempts") + 1
        )
    return list(
        Delivery.objects.filter(claim=token, status=Delivery.Status.SENDING)
        .select_related("subscriber")
        .order_by("pk")
    )


def mark_sent(delivery):
    """Note the delivery as sent (committed at once: autocommit). Kept under its claim, so a
    refusal that follows can put it back (mark_failed)."""
    Delivery.objects.filter(pk=delivery.pk, claim=delivery.claim).update(
        status=Delivery.Status.SENT, sent_at=timezone.now(), error=""
    )


def mark_failed(delivery, error):
    """A refusal: try again later with back-off, or give up; repeated hard failures (the
    server refused the address for good) pause the subscriber."""
    now = timezone.now()
    permanent = is_permanent(error)
    if permanent:
        Subscriber.objects.filter(pk=delivery.subscriber_id).update(
            hard_failures=F("hard_failures") + 1
        )
        Subscriber.objects.filter(
            pk=delivery.subscriber_id, hard_failures__gte=settings.NEWSLETTER_MAX_FAILURES
        ).update(paused_at=now)
    give_up = (
        delivery.attempts >= settings.NEWSLETTER_MAX_FAILURES
        or Subscriber.objects.filter(pk=delivery.subscriber_id, paused_at__isnull=False).exists()
    )
    Delivery.objects.filter(pk=delivery.pk, claim=delivery.claim).update(
        status=Delivery.Status.FAILED if give_up else Delivery.Status.PENDING,
        next_try=now + retry_delay(delivery.attempts),
        sent_at=None,
        claim="",
        error=str(error)[:300],
    )
    logger.warning(
        "Newsletter delivery %s failed (%s): %s",
        delivery.pk,
        "hard" if permanent else "soft",
        error,
    )


class Pacer:
    """At most NEWSLETTER_RATE messages a second from this worker (0: no limit)."""

    def __init__(self, rate):
        self.interval = 1 / rate if rate else 0
        self.next_at = time.monotonic()

    def wait(self):
        if not self.interval:
            return
        now = time.monotonic()
        if self.next_at > now:
            time.sleep(self.next_at - now)
        self.next_at = max(self.next_at, now) + self.interval


def send_claimed(issue, drawn, deliveries, mailer, pacer):
    for delivery in deliveries:
        pacer.wait()
        message = issue_message(drawn, issue, delivery.subscriber)
        try:
            # Noted as sent just before the server can accept it (outbox/recorded.py).
            send_recorded(mailer, message, partial(mark_sent, delivery))
        except Exception as error:  # noqa: BLE001 - every refusal is recorded on its row.
            mark_failed(delivery, error)
            # The connection may be gone with it: the next message opens a new one.
            mailer.close()
            mailer.open()
        else:
            if delivery.subscriber.hard_failures:
                Subscriber.objects.filter(pk=delivery.subscriber_id).update(hard_failures=0)
    Issue.objects.filter(pk=issue.pk).update(progress_at=timezone.now())


@task(priority=PRIORITY, queue_name=QUEUE)
def send_issue_batch(issue_id):
    """Send the issue's waiting deliveries for BATCH_SECONDS, then queue the rest."""
    issue = Issue.objects.select_related("newsletter").get(pk=issue_id)
    if issue.status != Issue.Status.SENDING:
        return 0
    drawn = draw_issue(issue)
    pacer = Pacer(settings.NEWSLETTER_RATE)
    started = time.monotonic()
    sent = 0
    mailer = mailers["default"]
    mailer.open()
    try:
        while time.monotonic() - started < BATCH_SECONDS:
            deliveries = claim(issue_id)
            if not deliveries:
                break
            send_claimed(issue, drawn, deliveries, mailer, pacer)
            sent += len(deliveries)
    finally:
        mailer.close()
    continue_or_finish(issue)
    return sent


def continue_or_finish(issue):
    """After a batch: queue the next if any delivery can go now, else mark the issue sent
    once nothing waits (a retry due later is queued for then)."""
    now = timezone.now()
    deliveries = Delivery.objects.filter(issue=issue)
    if deliveries.filter(claimable(now)).exists():
        transaction.on_commit(lambda: send_issue_batch.enqueue(issue.pk))
        return
    waiting = deliveries.filter(status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING])
    if not waiting.exists():
        Issue.objects.filter(pk=issue.pk, status=Issue.Status.SENDING).update(
            status=Issue.Status.SENT, sent_at=now
        )
        return
    next_try = waiting.filter(status=Delivery.Status.PENDING).aggregate(at=Min("next_try"))["at"]
    if next_try and send_issue_batch.get_backend().supports_defer:
        send_issue_batch.using(run_after=next_try).enqueue(issue.pk)


def start_issue(issue, now=None):
    """Fill the issue's stories one last time and send it: one delivery per subscriber who
    receives it (confirmed, not paused). An issue with no story is not sent."""
    now = now or timezone.now()
    with transaction.atomic():
        issue = Issue.objects.select_for_update().get(pk=issue.pk)
        if issue.status != Issue.Status.DRAFT:
            return issue
        issue.refresh_stories(now)
        if not issue.articles():
            issue.status = Issue.Status.SKIPPED
            issue.save(update_fields=["status"])
            return issue
        subscribers = Subscriber.objects.receiving().filter(newsletters=issue.newsletter)
        Delivery.objects.bulk_create(
            (
                Delivery(issue=issue, subscriber_id=pk, next_try=now)
                for pk in subscribers.values_list("pk", flat=True).iterator()
            ),
            batch_size=1000,
            ignore_conflicts=True,
        )
        issue.status = Issue.Status.SENDING
        issue.started_at = issue.progress_at = now
        issue.save(update_fields=["status", "started_at", "progress_at"])
        transaction.on_commit(lambda: send_issue_batch.enqueue(issue.pk))
    return issue


def start_due_issues(now=None):
    """What `send_due_newsletters` does each minute; returns (started, resumed) issues."""
    now = now or timezone.now()
    started = []
    for newsletter in Newsletter.objects.filter(is_active=True):
        issue = newsletter.upcoming_issue(now)
        if issue.status == Issue.Status.DRAFT and issue.scheduled_for <= now:
            started.append(start_issue(issue, now))
            newsletter.upcoming_issue(now)  # The next one, for editors to open.
    # A held issue released after its time goes out now.
    released = Issue.objects.filter(
        status=Issue.Status.DRAFT, scheduled_for__lte=now, newsletter__is_active=True
    ).exclude(pk__in=[i.pk for i in started])
    for issue in released:
        started.append(start_issue(issue, now))
    return started, resume_stalled(now)


def resume_stalled(now=None):
    """Issues whose sending went quiet (a worker killed, a queue lost): queue a batch again.
    Claims of the stopped worker become claimable once NEWSLETTER_CLAIM_SECONDS old."""
    now = now or timezone.now()
    quiet = now - timedelta(seconds=settings.NEWSLETTER_CLAIM_SECONDS)
    resumed = []
    for issue in Issue.objects.filter(status=Issue.Status.SENDING, progress_at__lt=quiet):
        Issue.objects.filter(pk=issue.pk).update(progress_at=now)
        send_issue_batch.enqueue(issue.pk)
        resumed.append(issue)
    return resumed

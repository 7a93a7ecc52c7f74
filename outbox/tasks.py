"""Outgoing mail, sent by the task queue's worker so that a slow or absent mail server never
holds up a page: `send_later(message)` queues an `EmailMessage` (or `EmailMultiAlternatives`),
the worker sends it through Django's MAILERS and tries again with back-off when the server
refuses it for now.

On the ground floor: it knows no app of the site. Comments (moderator notifications, rejection
notices) and newsletters (confirmations, test issues) hand it finished messages;
`is_permanent()` is the one rule of which failures are worth trying again.
"""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.tasks import task
from django.utils import timezone

logger = logging.getLogger(__name__)

# Mail a reader or a moderator waits for goes before a newsletter's batches.
PRIORITY = 50


def is_permanent(error):
    """Whether a failure to send will fail again whatever we do: the server refused the
    address or the message for good (an SMTP 5xx). A dropped connection, a timeout or a 4xx
    ("try again later", greylisting) is worth another try."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return False


def as_data(message):
    """A message as plain JSON values, for the task queue's row."""
    html = next(
        (content for content, kind in getattr(message, "alternatives", []) if kind == "text/html"),
        None,
    )
    return {
        "subject": message.subject,
        "body": message.body,
        "from_email": message.from_email,
        "to": list(message.to),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "html": html,
    }


def from_data(data):
    message = EmailMultiAlternatives(
        data["subject"],
        data["body"],
        data["from_email"],
        data["to"],
        reply_to=data["reply_to"],
        headers=data["headers"],
    )
    if data["html"]:
        message.attach_alternative(data["html"], "text/html")
    return message


def send_later(*messages):
    """Queue each message for the worker. Call it once the data the messages speak of is
    committed (transaction.on_commit), as the worker may run at once."""
    for message in messages:
        send_email.enqueue(as_data(message), attempt=1)


def retry_delay(attempt):
    """After the attempt-th failure: 1, 2, 4, 8... minutes."""
    return timedelta(minutes=2 ** (attempt - 1))


@task(priority=PRIORITY)
def send_email(data, attempt):
    message = from_data(data)
    try:
        mailers["default"].send_messages([message])
    except Exception as error:
        if is_permanent(error) or attempt >= settings.OUTBOX_MAX_ATTEMPTS:
            logger.exception("Gave up on mail %r to %s", data["subject"], data["to"])
            return "failed"
        backend = send_email.get_backend()
        if not backend.supports_defer:
            # The immediate backend (tests, TASKS_BACKEND=immediate) cannot wait: log it.
            logger.exception("Could not send mail %r to %s", data["subject"], data["to"])
            return "failed"
        logger.warning(
            "Mail %r to %s refused for now (%s); trying again", data["subject"], data["to"], error
        )
        send_email.using(run_after=timezone.now() + retry_delay(attempt)).enqueue(
            data, attempt=attempt + 1
        )
        return "retrying"
    return "sent"

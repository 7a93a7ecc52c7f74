"""Sending a message whose sending must be recorded exactly once (a newsletter's delivery).

Nobody can know both that a message left and that we noted it: a process killed between the
mail server's "accepted" and our note sends it again when resumed; one killed between our note
and the server's "accepted" never sends it. `send_recorded()` makes the second window the only
one, and as short as it can be: over SMTP it writes the whole message, calls `record()` (which
commits "sent"), and only then writes the final "." that lets the server accept it. A refusal of
that "." raises as usual, so the caller puts its note back. Through any other mailer (an email
API, the console, the tests' memory) the note is taken just before the hand-over.

That errs on the side the newsletters promise: a subscriber is never sent an issue twice.
"""

import contextlib
import email.policy
import re
import smtplib
import socket

from django.core.mail.backends.smtp import EmailBackend as SMTPBackend

# RFC 5321 4.5.2: a line starting with "." gets another in front (what smtplib.data() does).
LEADING_DOT = re.compile(rb"(?m)^\.")


def send_recorded(mailer, message, record):
    """Send `message` through `mailer` (opened), calling `record()` at the last moment before
    the server can accept it. Raises what smtplib or the mailer raises."""
    if not isinstance(mailer, SMTPBackend) or mailer.connection is None:
        record()
        mailer.send_messages([message])
        return
    smtp = mailer.connection
    sender = mailer.prep_address(message.from_email)
    recipients = [mailer.prep_address(address) for address in message.recipients()]
    data = message.message(policy=email.policy.SMTP).as_bytes()
    smtp.ehlo_or_helo_if_needed()
    options = [f"size={len(data)}"] if smtp.does_esmtp and smtp.has_extn("size") else []
    code, response = smtp.mail(sender, options)
    if code != 250:
        smtp.rset()
        raise smtplib.SMTPSenderRefused(code, response, sender)
    refused = {}
    for recipient in recipients:
        code, response = smtp.rcpt(recipient)
        if code not in (250, 251):
            refused[recipient] = (code, response)
    if len(refused) == len(recipients):
        smtp.rset()
        raise smtplib.SMTPRecipientsRefused(refused)
    smtp.putcmd("data")
    code, response = smtp.getreply()
    if code != 354:
        raise smtplib.SMTPDataError(code, response)
    data = LEADING_DOT.sub(b"..", data)
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    no_delay(smtp)
    smtp.send(data)
    record()
    smtp.send(b".\r\n")
    code, response = smtp.getreply()
    if code != 250:
        raise smtplib.SMTPDataError(code, response)


def no_delay(smtp):
    """Send the final "." at once. With Nagle's algorithm on, that small write waits until the
    server acknowledges the message, which the server delays (up to 40 ms) while it has no reply
    to send: a stall on every message, which held one worker to ~21 messages a second."""
    # Not a TCP socket (a test's stand-in, a Unix socket): nothing to do.
    with contextlib.suppress(AttributeError, OSError):
        smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

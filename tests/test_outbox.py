"""Outgoing mail (outbox/): queued for the worker, retried when refused for now, and the
recorded send that notes a newsletter's delivery just before a real SMTP server accepts it."""

import smtplib
import socket
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.core.mail import EmailMessage, mailers
from django.tasks import default_task_backend
from django.utils import timezone

from outbox import tasks
from outbox.recorded import send_recorded


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """An SMTP server on loopback; `answer` is its reply to a whole message."""

    def __init__(self, answer="250 OK"):
        self.answer = answer
        self.received = []
        self.noted_before_accepting = []
        self.notes = []

    async def handle_DATA(self, server, session, envelope):
        self.noted_before_accepting.append(list(self.notes))
        if self.answer.startswith("250"):
            self.received.append(envelope)
        return self.answer


@pytest.fixture
def smtp_server(settings):
    """The server, and the site's mailer pointed at it (as SMTP_HOST and SMTP_PORT would)."""
    handler = Server()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "use_tls": False},
        }
    }
    yield handler
    controller.stop()


def message(to="reader@example.com"):
    return EmailMessage("Hello", "A line\n.starting with a dot\n", "news@example.com", [to])


def test_a_recorded_send_is_noted_before_the_server_accepts_it(smtp_server):
    handler = smtp_server
    mailer = mailers["default"]
    mailer.open()
    try:
        send_recorded(mailer, message(), lambda: handler.notes.append("sent"))
    finally:
        mailer.close()
    assert handler.noted_before_accepting == [["sent"]]
    (envelope,) = handler.received
    assert envelope.rcpt_tos == ["reader@example.com"]
    assert b"\n.starting with a dot" in envelope.content.replace(b"\r\n", b"\n")


def test_a_refused_message_raises_after_the_note_so_the_caller_can_take_it_back(smtp_server):
    handler = smtp_server
    handler.answer = "550 Content rejected"
    mailer = mailers["default"]
    mailer.open()
    try:
        with pytest.raises(smtplib.SMTPDataError) as refused:
            send_recorded(mailer, message(), lambda: handler.notes.append("sent"))
    finally:
        mailer.close()
    assert refused.value.smtp_code == 550
    assert tasks.is_permanent(refused.value)
    assert handler.received == []


def test_permanent_and_temporary_refusals():
    assert tasks.is_permanent(smtplib.SMTPRecipientsRefused({"a@x": (550, b"no")}))
    assert not tasks.is_permanent(smtplib.SMTPRecipientsRefused({"a@x": (451, b"later")}))
    assert not tasks.is_permanent(smtplib.SMTPServerDisconnected("gone"))
    assert not tasks.is_permanent(TimeoutError())


def test_queued_mail_is_sent_by_the_task_with_its_parts():
    tasks.send_later(message())
    (sent,) = mail.outbox
    assert sent.to == ["reader@example.com"] and sent.subject == "Hello"


def test_a_temporary_refusal_is_queued_again_later(settings, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}

    def refuse(backend, messages):
        raise smtplib.SMTPServerDisconnected("try later")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    before = timezone.now()
    outcome = tasks.send_email.call(tasks.as_data(message()), attempt=2)
    assert outcome == "retrying"
    (queued,) = default_task_backend.results
    assert queued.kwargs == {"attempt": 3}
    assert queued.task.run_after >= before + timedelta(minutes=2)
    default_task_backend.clear()

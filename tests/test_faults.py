"""The site when its database or its cache goes away: a polite 503 for the first, nothing a
reader would notice for the second, and back to normal by itself when they return."""

import contextlib
import logging
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import OperationalError, connections
from django.test import Client
from django.urls import reverse

from comments.models import Comment
from comments.moderation import moderator
from pagecache import backends as failsafe_cache

from .factories import make_article, make_user

REPO = Path(__file__).resolve().parent.parent
REDIS = ("127.0.0.1", 6379)


def free_port():
    """A port nothing listens on (for a moment: enough for a test on this machine)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Forwarder:
    """A TCP forwarder from 127.0.0.1:port to a server, which a test stops (the server "goes
    away": every open connection is cut and new ones are refused) and starts again, or makes
    hang (from then on nothing reaches the server, on open connections or new ones, and
    nothing comes back)."""

    hanging = False

    def hang(self):
        self.hanging = True

    def __init__(self, target):
        self.target = target
        self.port = free_port()
        self.listener = None
        self.sockets = set()
        self.lock = threading.Lock()

    def start(self):
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", self.port))
        self.listener.listen(64)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()
        return self

    def stop(self):
        # shutdown() wakes the thread blocked in accept(); close() alone would not.
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        with self.lock:
            for sock in self.sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self.sockets.clear()

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # Stopped.
            if self.hanging:
                with self.lock:
                    self.sockets.add(client)  # Held open, never answered.
                continue
            try:
                server = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.sockets |= {client, server}
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _pipe(self, source, sink):
        try:
            while data := source.recv(65536):
                if not self.hanging:
                    sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


# --- The database goes away -------------------------------------------------------------------


class Site:
    """The site under gunicorn in its own process, with production settings (DEBUG off,
    persistent health-checked database connections), on a database address the test chooses."""

    def __init__(self, tmp_path, database_url, **extra_env):
        self.port = free_port()
        # Production settings, with plain static storage: tests never run collectstatic.
        (tmp_path / "site_settings.py").write_text(
            "from newsroom.settings import *\n"
            "STORAGES = {**STORAGES, 'staticfiles': "
            "{'BACKEND': 'django.contrib.staticfiles.storage.StaticFilesStorage'}}\n"
        )
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"REDIS_URL", "DJANGO_SETTINGS_MODULE"}
        }
        env |= {
            "DJANGO_SETTINGS_MODULE": "site_settings",
            "PYTHONPATH": f"{tmp_path}{os.pathsep}{REPO}",
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": database_url,
            "DATABASE_CONN_MAX_AGE": "60",
            "STATIC_ROOT": str(tmp_path / "static"),
            "MEDIA_ROOT": str(tmp_path / "media"),
            **extra_env,
        }
        self.log = open(tmp_path / "gunicorn.log", "w+")  # noqa: SIM115 (closed in stop())
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "newsroom.wsgi",
                "--no-control-socket",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "1",
                "--chdir",
                str(REPO),
            ],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.2)
        pytest.fail(f"gunicorn did not start:\n{self.stop()}")

    def get(self, path):
        """(status, headers, body) of a GET, whatever the status."""
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=20) as r:
                return r.status, r.headers, r.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()

    def stop(self):
        """Stop the site; return what it logged."""
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.seek(0)
        self.output = self.log.read()
        self.log.close()
        return self.output


def assert_unavailable_page(status, headers, body):
    assert status == 503
    assert headers["Retry-After"] == "30"
    assert headers["Cache-Control"] == "no-store"
    assert "We will be back in a moment" in body
    assert "/static/css/site.css" in body  # in the site's look
    assert "Traceback" not in body and "OperationalError" not in body


def test_database_refusing_connections_gives_the_503_page(tmp_path):
    # PostgreSQL's address with nothing listening: the driver's connection is refused.
    site = Site(tmp_path, f"postgres://postgres@127.0.0.1:{free_port()}/newsroom")
    try:
        front = site.get("/")
        archive = site.get("/archive/")
    finally:
        site.stop()

    assert_unavailable_page(*front)
    assert_unavailable_page(*archive)
    assert "Service Unavailable: /" in site.output  # in the log, for the people on call


@pytest.mark.skipif(
    django_settings.DATABASES["default"]["ENGINE"] != "newsroom.postgresql",
    reason="needs PostgreSQL: a SQLite file cannot go away and come back under a running site",
)
def test_site_recovers_by_itself_when_the_database_returns(transactional_db, tmp_path):
    make_article(title="Still here after the outage")
    database = connections["default"].settings_dict
    forwarder = Forwarder((database["HOST"] or "127.0.0.1", int(database["PORT"] or 5432)))
    forwarder.start()
    url = f"postgres://{database['USER']}@127.0.0.1:{forwarder.port}/{database['NAME']}"
    # Tried again at once, without the breaker's pause (tests/test_timeouts.py tests that).
    site = Site(tmp_path, url, DATABASE_RETRY_PAUSE="0")
    try:
        before = site.get("/")
        forwarder.stop()  # The database goes away under a connection the site keeps open.
        during = [site.get("/archive/"), site.get("/archive/")]
        cached_during = site.get("/")
        forwarder.start()
        after = site.get("/archive/")
    finally:
        site.stop()
        forwarder.stop()

    assert before[0] == 200 and "Still here after the outage" in before[2]
    for response in during:
        assert_unavailable_page(*response)
    # A page readers already had in the page cache goes on being served meanwhile.
    assert cached_during[0] == 200 and "Still here after the outage" in cached_during[2]
    assert after[0] == 200 and "Articles Archive" in after[2]


def refuse(*args, **kwargs):
    raise OperationalError("connection to server failed: Connection refused")


def test_view_failing_on_the_database_gives_the_503_and_one_log_line(db, monkeypatch, caplog):
    story = make_article()
    url = reverse("comments:post", args=[story.pk])

    with monkeypatch.context() as patch, caplog.at_level(logging.WARNING):
        patch.setattr(connections["default"], "cursor", refuse)
        response = Client().post(url, {"name": "Reader", "body": "Hello"})

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "If you were posting a comment, it has not been sent" in response.text
    assert [r.getMessage() for r in caplog.records if r.name == "newsroom.unavailable"] == [
        f"Database unavailable, answered 503 to POST {url}: connection to server failed: "
        + "Connection refused"
    ]


def test_failure_in_a_middleware_also_gives_the_503(db, monkeypatch):
    make_article()
    client = Client(raise_request_exception=False)

    with monkeypatch.context() as patch:
        # The page cache asks the database for the site's sections before any view runs.
        patch.setattr(connections["default"], "cursor", refuse)
        response = client.get("/")

    assert response.status_code == 503
    assert "We will be back in a moment" in response.text


def test_failure_after_the_view_also_gives_the_503(db, settings, monkeypatch):
    # Sessions are written by their middleware after the view: the write fails, not the view.
    settings.SESSION_SAVE_EVERY_REQUEST = True
    settings.DATABASE_RETRY_AFTER = 120
    client = Client(raise_request_exception=False)
    client.force_login(make_user(is_staff=True, is_superuser=True))

    with monkeypatch.context() as patch:
        patch.setattr("django.contrib.sessions.backends.db.SessionStore.save", refuse)
        response = client.get(reverse("admin:index"))

    assert response.status_code == 503
    assert response["Retry-After"] == "120"
    assert "try again in 2 minutes" in response.text


def test_other_errors_stay_server_errors(db, monkeypatch):
    client = Client(raise_request_exception=False)

    def broken(*args, **kwargs):
        raise ZeroDivisionError

    with monkeypatch.context() as patch:
        patch.setattr(connections["default"], "cursor", broken)
        response = client.get("/")

    assert response.status_code == 500


# --- Redis goes away --------------------------------------------------------------------------


def redis_cache(settings, location):
    settings.CACHES = {
        "default": {
            "BACKEND": "pagecache.backends.FailSafeRedisCache",
            "LOCATION": location,
            "KEY_PREFIX": f"test-faults-{os.getpid()}",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


@pytest.fixture
def fresh_outages(monkeypatch):
    """Each test starts with Redis never seen failing, and retries at once after a failure."""
    failsafe_cache.reset_outages()
    monkeypatch.setattr(failsafe_cache.Outage, "pause", 0.0)
    yield
    failsafe_cache.reset_outages()


def post_comment(client, article, body):
    return client.post(
        reverse("comments:post", args=[article.pk]),
        {
            "name": "Reader",
            "email": "reader@example.com",
            "body": body,
            "website": "",
            "shown_at": moderator.shown_at_token(),
        },
    )


def redis_warnings(caplog):
    return [r.getMessage() for r in caplog.records if r.name == "pagecache.backends"]


def test_site_serves_and_takes_comments_with_redis_down(
    db, client, settings, caplog, fresh_outages
):
    port = free_port()
    redis_cache(settings, f"redis://:secret-password@127.0.0.1:{port}/0")
    settings.COMMENTS_MIN_SECONDS = 0
    settings.COMMENTS_RATE_LIMIT = (1, 600)
    story = make_article(title="Served without a cache")

    with caplog.at_level(logging.WARNING):
        front = client.get("/")
        page = client.get(story.get_absolute_url())
        beacon = client.post(
            reverse("mostread:hit", args=[story.pk]),
            headers={"user-agent": "Mozilla/5.0"},
        )
        # The rate limit cannot count without its cache: it lets readers through.
        posts = [post_comment(client, story, f"Comment {n}") for n in range(3)]

    assert front.status_code == 200 and "Served without a cache" in front.text
    assert page.status_code == 200
    assert beacon.status_code == 204
    assert [p.status_code for p in posts] == [302, 302, 302]
    assert Comment.objects.filter(status=Comment.Status.PENDING).count() == 3
    warnings = redis_warnings(caplog)
    # Once, however many calls failed, and without the password from the URL.
    assert len(warnings) == 1
    assert warnings[0].startswith(f"Redis at 127.0.0.1:{port} is unavailable")
    assert "secret-password" not in warnings[0]


def test_a_hanging_redis_costs_one_timeout_then_is_left_alone(db, client, settings):
    # A server that accepts connections and never answers.
    hanging = socket.socket()
    hanging.bind(("127.0.0.1", 0))
    hanging.listen(16)
    redis_cache(settings, f"redis://127.0.0.1:{hanging.getsockname()[1]}/0")
    failsafe_cache.reset_outages()
    make_article()
    try:
        assert client.get("/").status_code == 200
        started = time.monotonic()
        for _ in range(10):
            assert cache.get("anything") is None
            assert cache.add("counter", 1) is False
        elapsed = time.monotonic() - started
    finally:
        hanging.close()
        failsafe_cache.reset_outages()

    assert elapsed < 2  # at most one 0.5 s timeout (the page had it), not one per call


@pytest.fixture
def redis_server():
    try:
        socket.create_connection(REDIS, timeout=1).close()
    except OSError:
        message = f"Redis is not running on {REDIS[0]}:{REDIS[1]}: start redis-server"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return REDIS


def test_site_keeps_serving_while_redis_goes_away_and_uses_it_again_on_return(
    db, client, settings, caplog, fresh_outages, redis_server
):
    forwarder = Forwarder(redis_server).start()
    redis_cache(settings, f"redis://127.0.0.1:{forwarder.port}/15")
    story = make_article(title="Cached story")
    try:
        cache.set("kept", "in redis", 60)
        assert cache.get("kept") == "in redis"

        with caplog.at_level(logging.WARNING):
            forwarder.stop()  # Redis goes away under open connections.
            missing = cache.get("kept")
            during = client.get(story.get_absolute_url())
            posted = post_comment(client, story, "Posted while Redis was away")
            forwarder.start()
            back = cache.get("kept")
    finally:
        cache.delete("kept")
        forwarder.stop()

    assert missing is None
    assert during.status_code == 200 and "Cached story" in during.text
    assert posted.status_code == 302
    assert Comment.objects.filter(body="Posted while Redis was away").exists()
    assert back == "in redis"  # Nothing to restart: the next call uses Redis again.
    warnings = redis_warnings(caplog)
    assert warnings[0].startswith(f"Redis at 127.0.0.1:{forwarder.port} is unavailable")
    assert (
        warnings[-1]
        == f"Redis at 127.0.0.1:{forwarder.port} answers again: the cache is back in use."
    )

"""The purge hook: once a change commits, the CDN or Varnish in front is told which tags to drop,
softly for an edit, hard for something taken away, and a purge that fails or hangs never fails
the editor's save. Checked against a small HTTP server started by each test."""

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import transaction

from articles.models import Article
from comments.models import Comment
from pagecache import purge

from .factories import make_article, make_comment
from .test_settings import run_python

pytestmark = pytest.mark.django_db


class Recorder(BaseHTTPRequestHandler):
    def _record(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.server.received.append((self.command, self.path, dict(self.headers), body))
        self.send_response(self.server.status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_PURGE = do_POST = _record

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    httpd.received, httpd.status = [], 200
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def url_of(server):
    return f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture
def varnish(settings, server):
    settings.PAGE_CACHE_PURGE = "varnish"
    settings.PAGE_CACHE_PURGE_URLS = [url_of(server)]
    return server


def test_an_edit_soft_purges_its_storys_tags_once_committed(
    varnish, django_capture_on_commit_callbacks
):
    story = make_article(title="Floods reach the capital")

    with django_capture_on_commit_callbacks(execute=True):
        story.title = "Floods recede"
        story.save()
        assert varnish.received == []  # Not before the change is stored for good.

    [(method, path, headers, _)] = varnish.received
    assert (method, path) == ("PURGE", "/")
    assert headers["xkey-softpurge"] == f"headline-{story.pk} stories story-{story.pk}"


def test_taking_a_story_down_purges_every_page_hard(varnish, django_capture_on_commit_callbacks):
    story = make_article()

    with django_capture_on_commit_callbacks(execute=True):
        story.status = Article.Status.DRAFT
        story.save()

    [(_, _, headers, _)] = varnish.received
    assert headers["xkey-purge"] == "site"
    assert "xkey-softpurge" not in headers


def test_a_comment_purges_its_storys_comments_tag(varnish, django_capture_on_commit_callbacks):
    story = make_article()
    comment = make_comment(story)

    with django_capture_on_commit_callbacks(execute=True):
        Comment.objects.filter(pk=comment.pk).moderate(Comment.Status.APPROVED, None)
    with django_capture_on_commit_callbacks(execute=True):
        Comment.objects.filter(pk=comment.pk).moderate(Comment.Status.REJECTED, None)

    approved, rejected = (headers for _, _, headers, _ in varnish.received)
    assert approved["xkey-softpurge"] == f"comments-{story.pk}"
    assert rejected["xkey-purge"] == f"comments-{story.pk}"


def test_a_change_rolled_back_purges_nothing(varnish, django_capture_on_commit_callbacks):
    story = make_article()

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        story.title = "Never stored"
        story.save()
        raise RuntimeError

    assert varnish.received == []


def test_every_varnish_is_purged(settings, server, django_capture_on_commit_callbacks):
    settings.PAGE_CACHE_PURGE = "varnish"
    settings.PAGE_CACHE_PURGE_URLS = [url_of(server), url_of(server)]
    story = make_article()

    with django_capture_on_commit_callbacks(execute=True):
        story.standfirst = "Now with more detail."
        story.save()

    assert len(server.received) == 2


def test_fastly_is_sent_a_soft_purge_of_the_keys(settings, server):
    settings.PAGE_CACHE_PURGE = "fastly"
    settings.PAGE_CACHE_PURGE_URLS = [url_of(server)]
    settings.PAGE_CACHE_PURGE_TOKEN, settings.PAGE_CACHE_PURGE_ZONE = "secret", "svc1"

    purge.purge(["story-1", "stories"], hard=False)
    purge.purge(["site"], hard=True)

    (method, path, soft, _), (_, _, hard, _) = server.received
    assert (method, path) == ("POST", "/service/svc1/purge")
    assert (soft["Fastly-Key"], soft["Surrogate-Key"]) == ("secret", "stories story-1")
    assert soft["Fastly-Soft-Purge"] == "1"
    assert "Fastly-Soft-Purge" not in hard


def test_cloudflare_is_sent_the_tags(settings, server):
    settings.PAGE_CACHE_PURGE = "cloudflare"
    settings.PAGE_CACHE_PURGE_URLS = [url_of(server)]
    settings.PAGE_CACHE_PURGE_TOKEN, settings.PAGE_CACHE_PURGE_ZONE = "secret", "zone1"

    purge.purge(["story-1"], hard=False)

    [(method, path, headers, body)] = server.received
    assert (method, path) == ("POST", "/client/v4/zones/zone1/purge_cache")
    assert headers["Authorization"] == "Bearer secret"
    assert json.loads(body) == {"tags": ["story-1"]}


def test_nothing_is_sent_without_a_purge_set(settings, server):
    settings.PAGE_CACHE_PURGE = ""
    settings.PAGE_CACHE_PURGE_URLS = [url_of(server)]

    purge.purge(["story-1"], hard=True)

    assert server.received == []


def test_a_refused_or_failing_purge_is_logged_and_the_save_goes_through(
    settings, varnish, caplog, django_capture_on_commit_callbacks
):
    varnish.status = 500
    with socket.socket() as closed:  # A port nobody listens on.
        closed.bind(("127.0.0.1", 0))
        settings.PAGE_CACHE_PURGE_URLS = [f"http://127.0.0.1:{closed.getsockname()[1]}/"]
    settings.PAGE_CACHE_PURGE_URLS.append(url_of(varnish))
    story = make_article()

    with django_capture_on_commit_callbacks(execute=True):
        story.title = "Saved all the same"
        story.save()

    assert Article.objects.get(pk=story.pk).title == "Saved all the same"
    failures = [record.getMessage() for record in caplog.records if record.name == purge.__name__]
    assert len(failures) == 2
    assert "failed" in failures[0] and "answered 500" in failures[1]


def test_a_purge_that_hangs_is_given_up_within_its_bound(
    settings, caplog, django_capture_on_commit_callbacks
):
    with socket.socket() as silent:  # Accepts connections and never answers.
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        settings.PAGE_CACHE_PURGE = "varnish"
        address = f"http://127.0.0.1:{silent.getsockname()[1]}/"
        settings.PAGE_CACHE_PURGE_URLS = [address, address]
        story = make_article()

        with django_capture_on_commit_callbacks(execute=True):
            story.title = "Saved all the same"
            story.save()

    assert Article.objects.get(pk=story.pk).title == "Saved all the same"
    # The first request used up the purge's time: the second was not even tried.
    first, second = (r.getMessage() for r in caplog.records if r.name == purge.__name__)
    assert "timed out" in first
    assert "out of time" in second


@pytest.mark.parametrize(
    ("env", "refusal"),
    [
        ({"PAGE_CACHE_PURGE": "akamai"}, "must be empty, varnish, fastly or cloudflare"),
        ({"PAGE_CACHE_PURGE": "varnish"}, "needs PAGE_CACHE_PURGE_URLS"),
        ({"PAGE_CACHE_PURGE": "fastly", "PAGE_CACHE_PURGE_TOKEN": "t"}, "PAGE_CACHE_PURGE_ZONE"),
    ],
)
def test_a_purge_setting_that_cannot_work_stops_the_site(env, refusal):
    result = run_python("import django; django.setup()", DEBUG="true", ENV_FILE="", **env)

    assert result.returncode != 0
    assert refusal in result.stderr

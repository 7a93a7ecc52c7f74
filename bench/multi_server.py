#!/usr/bin/env python
"""Two app servers, one database, one cache: a change made through one shows at once on the other.

    .venv/bin/python bench/multi_server.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_multi \\
        REDIS_URL=redis://127.0.0.1:6379/14 .venv/bin/python bench/multi_server.py

Makes a fresh database (dropped and created again each run) with a little content, empties the
Redis database (FLUSHDB), collects the static files and starts two gunicorn instances on two
ports with the page cache on. Both servers serve the front page and a story first, so their
cached copies exist. Then, through server A only, an editor signs in to the admin, publishes a
draft ("Publish selected stories now") and approves a pending comment ("Approve selected
comments"). Server B must show both at once: a stale page cache anywhere fails the check.
Prints PASS or FAIL; exits 1 on failure. Takes about a minute.

`--separate-caches` gives server B a cache of its own (another key prefix), as a misconfigured
install would have: the check must then FAIL, which shows that it can.
"""

import html
import http.cookiejar
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from loadtest import production_env

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/newsroom_multi"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/14"
PORTS = (8771, 8772)
EDITOR = ("multi-editor", "multi-server-check-" + secrets.token_hex(8))


def fresh_database(url):
    """Drop and create the database named in `url`: every run starts from the same state."""
    import dj_database_url
    import psycopg
    from psycopg import sql

    config = dj_database_url.parse(url)
    if config["ENGINE"] != "django.db.backends.postgresql":
        sys.exit("The multi-server check needs PostgreSQL: set DATABASE_URL=postgres://…")
    connect = {key.lower(): config.get(key) or None for key in ("HOST", "PORT", "USER", "PASSWORD")}
    with psycopg.connect(dbname="postgres", autocommit=True, **connect) as admin:
        name = sql.Identifier(config["NAME"])
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(name))


def content(token):
    """A published story with a pending comment, a draft, and an editor. Returns their keys."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connections
    from django.utils import timezone

    from articles.models import Article, Category
    from comments.models import Comment

    call_command("migrate", verbosity=0)
    section = Category.objects.create(name="World", slug="world")
    story = Article.objects.create(
        title="A story both servers serve",
        slug="a-story-both-servers-serve",
        standfirst="Read on two app servers at once.",
        body="<p>The first paragraph.</p>",
        category=section,
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() - timezone.timedelta(hours=1),
    )
    comment = Comment.objects.create(
        article=story,
        name="Careful reader",
        email="reader@example.com",
        body=f"A comment waiting for a moderator {token}",
    )
    draft = Article.objects.create(
        title=f"Breaking story {token}",
        slug=f"breaking-story-{token}",
        body="<p>News.</p>",
        category=section,
        status=Article.Status.DRAFT,
    )
    editor = get_user_model().objects.create_user(EDITOR[0], password=EDITOR[1], is_staff=True)
    editor.groups.add(*Group.objects.filter(name__in=["Editors", "Moderators"]))
    keys = {"story": story.get_absolute_url(), "comment": comment.pk, "draft": draft.pk}
    connections.close_all()
    return keys


class Browser:
    """A person at one server: cookies kept, forms posted with their CSRF token."""

    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}"
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path):
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.status, response.read().decode()

    def post(self, path, data):
        page = self.get(path)[1]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}, doseq=True).encode()
        request = urllib.request.Request(
            self.base + path, data=body, headers={"Referer": self.base + path}
        )
        with self.opener.open(request, timeout=30) as response:
            return response.status, response.read().decode()


def start(port, env, log):
    gunicorn = str(Path(PYTHON).with_name("gunicorn"))
    command = [gunicorn, "newsroom.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"]
    command += ["--no-control-socket", "--error-logfile", str(log)]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn on port {port} exited at start; see {log}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=5)
            return server
        except (urllib.error.URLError, OSError):
            time.sleep(0.3)
    raise SystemExit(f"gunicorn on port {port} was not ready within 60 s")


def check(results, description, ok):
    results.append(ok)
    print(f"  {'ok  ' if ok else 'FAIL'} {description}")


def main():
    database_url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    redis_url = os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL
    token = secrets.token_hex(4)
    work = Path(tempfile.mkdtemp(prefix="newsroom-multi-"))
    env = production_env(
        work,
        database_url,
        REDIS_URL=redis_url,
        PAGE_CACHE_SECONDS="300",
        MEDIA_ROOT=str(work / "media"),
        COMMENTS_NOTIFY_MODERATORS="false",
    )
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    print(f"Database {database_url} (fresh), cache {redis_url} (flushed), servers on {PORTS}")
    fresh_database(database_url)
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    keys = content(token)
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=env, check=True
    )
    servers = []
    results = []
    try:
        env_b = env
        if "--separate-caches" in sys.argv:
            # A misconfigured install (each server its own cache) must make the check fail. A key
            # prefix of its own gives B a cache of its own in the same (flushed) Redis database.
            env_b = {**env, "CACHE_KEY_PREFIX": "multi-server-b"}
        servers = [
            start(port, server_env, work / f"gunicorn-{port}.log")
            for port, server_env in zip(PORTS, (env, env_b), strict=True)
        ]
        server_a, server_b = Browser(PORTS[0]), Browser(PORTS[1])
        draft_title = f"Breaking story {token}"
        comment_text = f"A comment waiting for a moderator {token}"

        # Both servers serve (and so cache) the pages before anything changes.
        for reader in (server_a, server_b):
            for _ in range(2):
                front, story = reader.get("/")[1], reader.get(keys["story"])[1]
        check(results, "before: B's front page does not show the draft", draft_title not in front)
        check(
            results, "before: B's story page hides the pending comment", comment_text not in story
        )

        # An editor at server A publishes the draft and approves the comment.
        _, page = server_a.post(
            "/admin/login/?next=/admin/",
            {"username": EDITOR[0], "password": EDITOR[1], "next": "/admin/"},
        )
        check(results, "A: the editor is signed in to the admin", "Log out" in page)
        _, page = server_a.post(
            "/admin/articles/article/",
            {"action": "publish_now", "_selected_action": keys["draft"], "index": 0},
        )
        check(results, "A: “Publish selected stories now” says so", "1 story published" in page)
        _, page = server_a.post(
            "/admin/comments/comment/",
            {"action": "approve", "_selected_action": keys["comment"], "index": 0},
        )
        check(results, "A: “Approve selected comments” says so", "1 comment approved" in page)

        # At once, through server B.
        front = html.unescape(server_b.get("/")[1])
        story = html.unescape(server_b.get(keys["story"])[1])
        check(results, "after: B's front page shows the new story", draft_title in front)
        check(results, "after: B's story page shows the approved comment", comment_text in story)
        front = html.unescape(server_a.get("/")[1])
        check(results, "after: A's front page shows the new story", draft_title in front)
    except Exception:
        # A server error: what the servers logged is the only clue, and it is about to go.
        for log in sorted(work.glob("gunicorn-*.log")):
            print(f"--- {log.name} (last lines)\n" + "\n".join(log.read_text().splitlines()[-40:]))
        raise
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)
    passed = all(results)
    print("PASS" if passed else "FAIL")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())

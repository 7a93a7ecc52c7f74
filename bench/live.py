"""Live coverage under load: thousands of open pages follow a live story while an editor posts.

    REDIS_URL=redis://127.0.0.1:6379/4 .venv/bin/python bench/live.py --database live_bench
    .venv/bin/python bench/live.py --clients 200 --duration 15        # a quick run
    .venv/bin/python bench/live.py --threads 1 --workers 4            # sync workers

Makes a throwaway PostgreSQL database (dropped at the end unless --keep) with one public live
story and an editor, starts gunicorn with production settings and Redis on 127.0.0.1, and opens
CLIENTS simulated pages: asyncio clients on the loopback that do what static/live/live.js does.
Each loads the story page once, reads the stream's version from it (data-live-version), then
every POLL seconds asks /live/<id>/version with the ETag it last got (a 304 while nothing
changed) and, when the version moved, applies the changes the answer carries when it is few
enough versions behind, or else fetches /live/<id>/changes?since=<its version>&to=<the new
one> once.
Meanwhile the editor signs in to the admin and posts an entry on the posting screen every
INTERVAL seconds for DURATION seconds.

Measured: for every client and every entry, the delay from the moment the editor sent the post
to the moment that client first held the entry; every request's time and status; the
database's transactions (pg_stat_database) during a phase with readers only; and, while the
editor posts, how many polls got past the cache in front of the site (live/polls.py, which
has no database to ask; it says so in X-Page-Cache: live, on here as in development). The
transactions per post, with and without readers, are shown too: gthread workers open a
database connection per thread, so the editor's share varies a little with the threads it
lands on. The clients' own share of a core and their event loop's lateness (a 10 ms timer)
while the editor posts say how much of each request's time is the clients' (one Python
process, on the same cores as the server). Goals (issue 16): every client sees
every entry, delay p95 < 2 s, request p99 < 100 ms, no errors, no query per reader request.
Exit status 1 when a goal is missed.
"""

import argparse
import asyncio
import http.cookiejar
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loadtest import ROOT, Site, flush_redis, production_env

PYTHON = sys.executable
SERVER = "postgres://postgres@127.0.0.1:5432"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/4"
EDITOR = ("live-editor", "bench-editor-password-1")
MARKER = re.compile(r"bench entry (\d+)\b")
STATS_DELAY = 11
GOALS = {"delay_p95_s": 2.0, "request_p99_ms": 100.0}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=2000, help="open pages")
    parser.add_argument("--duration", type=float, default=120, help="seconds of posting")
    parser.add_argument("--interval", type=float, default=5, help="seconds between posts")
    parser.add_argument("--poll", type=float, default=1, help="seconds between polls")
    parser.add_argument(
        "--open-over",
        type=float,
        default=20,
        help="seconds over which the pages are opened (readers arriving, 100 a second by default)",
    )
    parser.add_argument("--quiet-seconds", type=float, default=10, help="readers-only phase")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    # Threaded workers keep each page's connection open, as browsers expect; sync workers
    # (--threads 1) close every one, and cost both sides a new connection per poll.
    parser.add_argument("--threads", type=int, default=8, help="threads per worker (gthread)")
    parser.add_argument("--port", type=int, default=8160)
    parser.add_argument("--server", default=SERVER, help="PostgreSQL server (no database)")
    parser.add_argument("--database", default="live_bench", help="made and dropped")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    return parser.parse_args()


# --- The database -------------------------------------------------------------------------


def recreate(server, name, drop_only=False):
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        if not drop_only:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


SETUP = f"""
from datetime import timedelta
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone
from articles.models import Article, Category

call_command("migrate", verbosity=0)
section = Category.objects.create(name="World", slug="world")
story = Article.objects.create(
    title="Storm closes the Caspian ports",
    slug="storm-closes-the-caspian-ports",
    standfirst="Follow the latest here.",
    body="<p>The strongest storm in a decade.</p>" * 20,
    category=section,
    status=Article.Status.PUBLISHED,
    published_at=timezone.now() - timedelta(hours=1),
    live_since=timezone.now() - timedelta(minutes=30),
    is_featured=True,
)
editor = get_user_model().objects.create_user({EDITOR[0]!r}, password={EDITOR[1]!r}, is_staff=True)
editor.groups.add(Group.objects.get(name="Editors"))
print(story.pk, story.get_absolute_url())
"""


def transactions(database_url):
    """Transactions the database has committed or rolled back so far (each query a reader's
    request made would be at least one: Django runs in autocommit)."""
    import psycopg

    # A server process reports its counts at most once a second while busy, and within 10 s of
    # going idle (PostgreSQL 15): wait for the last of them.
    time.sleep(STATS_DELAY)
    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute("SELECT pg_stat_clear_snapshot()")
        row = connection.execute(
            "SELECT xact_commit + xact_rollback FROM pg_stat_database"
            " WHERE datname = current_database()"
        ).fetchone()
    # This connection's own two statements are counted too.
    return row[0] - 2


# --- The editor: the posting screen, as a person uses it -----------------------------------


class Editor:
    def __init__(self, base, story_id):
        self.base, self.story_id = base, story_id
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        self.console = f"/admin/live/liveentry/story/{story_id}/"
        self.sent = {}  # entry number -> the moment its post was sent
        self.post_seconds = []
        self.errors = []

    def open(self, path, data=None):
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(
            self.base + path, data=body, headers={"Referer": self.base + path}
        )
        with self.opener.open(request, timeout=30) as response:
            return response.status, response.read().decode()

    def token(self, page):
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]

    def sign_in(self):
        _, page = self.open("/admin/login/")
        data = {"username": EDITOR[0], "password": EDITOR[1], "csrfmiddlewaretoken": None}
        data["csrfmiddlewaretoken"] = self.token(page)
        self.open("/admin/login/?next=/admin/", {**data, "next": "/admin/"})
        self.form_token = self.token(self.open(self.console)[1])

    def post(self, number):
        data = {
            "csrfmiddlewaretoken": self.form_token,
            "action": "post",
            "headline": f"Update {number}",
            "body": f"<p>This is bench entry {number} from the posting screen.</p>",
        }
        self.sent[number] = time.time()
        started = time.monotonic()
        # urllib follows the redirect back to the screen, as a browser does: one POST.
        request = urllib.request.Request(
            self.base + self.console,
            data=urllib.parse.urlencode(data).encode(),
            headers={"Referer": self.base + self.console},
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                response.read()
        except OSError as error:
            self.errors.append(repr(error))
        self.post_seconds.append(time.monotonic() - started)

    def run(self, count, interval, start):
        for number in range(1, count + 1):
            delay = start + (number - 1) * interval - time.time()
            if delay > 0:
                time.sleep(delay)
            self.post(number)


# --- The readers: what static/live/live.js does, on raw asyncio connections ---------------


class Stats:
    def __init__(self):
        self.latencies = {"page": [], "version": [], "changes": []}
        self.statuses = {}
        self.errors = []
        self.seen = {}  # (client, entry number) -> the moment it was first held
        self.reached_site = 0
        self.past_cache = []  # A few of them, to tell which
        self.inline = 0  # New versions applied from the poll's answer, with no /changes
        self.lag = []  # How late the clients' event loop woke a 10 ms timer while posting
        self.cpu = None  # (CPU seconds, wall seconds) of the clients' process while posting
        self.posting = False  # Set while the editor posts: the polls' times then, apart
        self.while_posting = []


class Connection:
    """One page's HTTP/1.1 connection, kept open between requests as a browser keeps it
    (gunicorn's gthread workers keep it; its sync workers close each one, and it is opened
    again)."""

    def __init__(self, port, stats):
        self.port, self.stats = port, stats
        self.reader = self.writer = None

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def chunks(self):
        body = b""
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).strip(), 16)
            body += (await self.reader.readexactly(size + 2))[:size]
            if size == 0:
                return body

    async def get(self, path, headers, kind):
        """(status, headers, body), timed into the stats; (None, {}, b"") after an error."""
        started = time.monotonic()
        for attempt in (1, 2):
            fresh = self.writer is None
            try:
                if fresh:
                    self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
                lines = [f"GET {path} HTTP/1.1", "Host: 127.0.0.1"]
                lines += [f"{name}: {value}" for name, value in headers.items()]
                self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
                head = await self.reader.readuntil(b"\r\n\r\n")
                break
            except (OSError, asyncio.IncompleteReadError) as error:
                self.close()
                if fresh or attempt == 2:  # A kept connection the server had closed: again.
                    self.stats.errors.append(f"{kind}: {error!r}")
                    return None, {}, b""
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split()[1])
        found = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            found[name.strip().lower()] = value.strip()
        try:
            if "content-length" in found:
                body = await self.reader.readexactly(int(found["content-length"]))
            elif "chunked" in found.get("transfer-encoding", ""):
                body = await self.chunks()
            elif status == 304:
                body = b""
            else:
                body = await self.reader.read(-1)
                found["connection"] = "close"
        except (OSError, asyncio.IncompleteReadError) as error:
            self.close()
            self.stats.errors.append(f"{kind}: {error!r}")
            return None, {}, b""
        if found.get("connection", "").lower() == "close":
            self.close()
        self.stats.latencies[kind].append(time.monotonic() - started)
        if kind != "page" and self.stats.posting:
            self.stats.while_posting.append(time.monotonic() - started)
        self.stats.statuses[status] = self.stats.statuses.get(status, 0) + 1
        if status >= 400:
            self.stats.errors.append(f"{kind}: {status}")
        if kind != "page" and found.get("x-page-cache") != "live":
            self.stats.reached_site += 1  # Not answered by the cache in front (live/polls.py).
            if len(self.stats.past_cache) < 5:
                self.stats.past_cache.append(f"{path} {status}")
        return status, found, body


async def client(number, port, story, stats, stop, poll, open_over):
    connection = Connection(port, stats)
    await asyncio.sleep(random.uniform(0, open_over))  # Readers arrive over OPEN_OVER seconds.
    status, _, page = await connection.get(story["url"], {}, "page")
    if status != 200:
        return
    version = int(re.search(rb'data-live-version="(\d+)"', page)[1])
    for found in MARKER.findall(page.decode()):
        stats.seen.setdefault((number, int(found)), time.time())
    etag = None
    poll_path = f"/live/{story['id']}/version"
    await asyncio.sleep(random.uniform(0, poll))
    while not stop.is_set():
        tick = time.monotonic()
        headers = {"If-None-Match": etag} if etag else {}
        status, found, body = await connection.get(poll_path, headers, "version")
        if status == 200:
            etag = found.get("etag")
            state = json.loads(body)
            current = state["version"]
            if current != version:
                # As live.js: the changes inline when this page is few enough versions behind.
                changes = state.get("changes")
                if changes and changes["since"] <= version < changes["version"]:
                    stats.inline += 1
                else:
                    path = f"/live/{story['id']}/changes?since={version}&to={current}"
                    status, _, body = await connection.get(path, {}, "changes")
                    changes = json.loads(body) if status == 200 else None
                if changes is not None:
                    now = time.time()
                    for entry in changes["entries"]:
                        for found_number in MARKER.findall(entry["html"]):
                            stats.seen.setdefault((number, int(found_number)), now)
                    version = changes["version"]
        await asyncio.sleep(max(0, poll - (time.monotonic() - tick)))
    connection.close()


async def lag(stats, stop, posting):
    """The clients' own lateness: every request's time includes the time the event loop took
    to come back to it. A 10 ms timer woken late by X says the loop was X busy elsewhere."""
    while not stop.is_set():
        asked = time.monotonic()
        await asyncio.sleep(0.01)
        if posting.is_set():
            stats.lag.append(time.monotonic() - asked - 0.01)


async def readers(args, story, stats, stop, posting):
    tasks = [
        asyncio.create_task(client(n, args.port, story, stats, stop, args.poll, args.open_over))
        for n in range(args.clients)
    ]
    await asyncio.gather(*tasks, lag(stats, stop, posting))


# --- Report ---------------------------------------------------------------------------------


def percentile(values, share):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(share * len(values)))]


def main():
    args = parse_args()
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    database_url = f"{args.server}/{args.database}"
    redis_url = os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL
    work = Path(tempfile.mkdtemp(prefix="newsroom-live-"))
    env = production_env(
        work,
        database_url,
        REDIS_URL=redis_url,
        MEDIA_ROOT=str(work / "media"),
        # Says which polls the cache in front answered (live/polls.py), as for cached pages.
        PAGE_CACHE_DEBUG_HEADER="true",
    )
    print(f"Database {database_url} (fresh), cache {redis_url} (flushed), port {args.port}")
    print(f"{args.clients} open pages polling every {args.poll} s; a post every {args.interval} s")
    recreate(args.server, args.database)
    flush_redis(redis_url)
    made = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", SETUP],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    story_id, story_url = made.stdout.split()[-2:]
    story = {"id": int(story_id), "url": story_url}
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=env, check=True
    )
    site = Site(env, args.workers, args.port, work / "gunicorn.log")
    if args.threads > 1:
        env["GUNICORN_CMD_ARGS"] = f"--worker-class gthread --threads {args.threads}"
    posts = int(args.duration // args.interval)
    try:
        with site:
            editor = Editor(site.url(""), story["id"])
            editor.sign_in()
            # What measuring costs (its own connection's statements), with nothing running.
            before = transactions(database_url)
            baseline = transactions(database_url) - before
            # With nobody reading: what a post costs the database.
            before = transactions(database_url)
            for number in range(-3, 0):
                editor.post(number)
            per_post_alone = (transactions(database_url) - before - baseline) / 3

            stats = Stats()
            loop = asyncio.new_event_loop()
            stop = asyncio.Event()
            posting = threading.Event()
            thread = threading.Thread(
                target=lambda: loop.run_until_complete(readers(args, story, stats, stop, posting))
            )
            thread.start()
            time.sleep(args.open_over + 1 + args.poll)  # Every page open and polling.
            # Readers only: the pages, polls and their 304s.
            before = transactions(database_url)
            time.sleep(args.quiet_seconds)
            quiet = transactions(database_url) - before - baseline
            quiet_requests = len(stats.latencies["version"])

            before = transactions(database_url)
            posting.set()
            stats.posting = True
            cpu, wall = time.process_time(), time.monotonic()
            editor.run(posts, args.interval, time.time() + 0.5)
            time.sleep(3)  # The last post's 2 s, and a second more.
            # The clients (and the editor, a little): 1.0 is one core, all a Python loop can use.
            stats.cpu = (time.process_time() - cpu, time.monotonic() - wall)
            posting.clear()
            stats.posting = False
            per_post_read = (transactions(database_url) - before - baseline) / posts
            loop.call_soon_threadsafe(stop.set)
            thread.join()
    finally:
        if not args.keep:
            recreate(args.server, args.database, drop_only=True)

    numbers = range(1, posts + 1)
    delays = []
    missed = 0
    for n in range(args.clients):
        for number in numbers:
            seen = stats.seen.get((n, number))
            if seen is None:
                missed += 1
            else:
                delays.append(seen - editor.sent[number])
    everything = [v for values in stats.latencies.values() for v in values]
    requests = len(everything)
    report = {
        "clients": args.clients,
        "posts": posts,
        "requests": requests,
        "requests_per_second": round(requests / (args.duration + args.quiet_seconds + 8), 1),
        "statuses": dict(sorted(stats.statuses.items())),
        "errors": len(stats.errors) + len(editor.errors),
        "missed": missed,
        "delay_p50_s": round(percentile(delays, 0.50), 3),
        "delay_p95_s": round(percentile(delays, 0.95), 3),
        "delay_max_s": round(max(delays) if delays else float("nan"), 3),
        "request_p50_ms": round(percentile(everything, 0.50) * 1000, 1),
        "request_p99_ms": round(percentile(everything, 0.99) * 1000, 1),
        # The story page each client loads once, within the first OPEN_OVER s: in request_p99 too.
        "page_p99_ms": round(percentile(stats.latencies["page"], 0.99) * 1000, 1),
        "polls_p99_ms": round(
            percentile(stats.latencies["version"] + stats.latencies["changes"], 0.99) * 1000, 1
        ),
        # Without the opening rush: from the first post to 3 s after the last.
        "polls_p99_while_posting_ms": round(percentile(stats.while_posting, 0.99) * 1000, 1),
        "version_p99_ms": round(percentile(stats.latencies["version"], 0.99) * 1000, 1),
        "changes_p99_ms": round(percentile(stats.latencies["changes"], 0.99) * 1000, 1),
        "post_max_ms": round(max(editor.post_seconds) * 1000, 1),
        "post_p50_ms": round(statistics.median(editor.post_seconds) * 1000, 1),
        "changes_inline": stats.inline,
        "clients_cpu_share": round(stats.cpu[0] / stats.cpu[1], 2),
        "clients_loop_lag_p50_ms": round(percentile(stats.lag, 0.50) * 1000, 1),
        "clients_loop_lag_p99_ms": round(percentile(stats.lag, 0.99) * 1000, 1),
        "polls_past_the_cache": stats.reached_site,
        "db_transactions_readers_only": quiet,
        "polls_readers_only": quiet_requests,
        "db_transactions_per_post_alone": round(per_post_alone, 1),
        "db_transactions_per_post_while_read": round(per_post_read, 1),
    }
    print(json.dumps(report, indent=2))
    for error in (stats.errors + editor.errors)[:10]:
        print("error:", error)
    for request in stats.past_cache:
        print("past the cache:", request)
    goals = {
        "every client saw every entry": missed == 0,
        "delay p95 < 2 s": report["delay_p95_s"] < GOALS["delay_p95_s"],
        "request p99 < 100 ms": report["request_p99_ms"] < GOALS["request_p99_ms"],
        "no errors": report["errors"] == 0,
        # Readers alone touch no database, and while the editor posts no poll gets past the
        # cache in front (live/polls.py has no database to ask).
        "0 queries per reader request": quiet == 0 and stats.reached_site == 0,
    }
    for goal, ok in goals.items():
        print(f"  {'ok  ' if ok else 'FAIL'} {goal}")
    sys.exit(0 if all(goals.values()) else 1)


if __name__ == "__main__":
    main()

"""Load without loss: many readers commenting at once must lose no comment and see no 5xx.

    .venv/bin/python bench/comment_load.py                   # 2,000 comments, 32 clients
    .venv/bin/python bench/comment_load.py --comments 500 --clients 8 --time-limit 60

On a fresh PostgreSQL database (newsroom_load, dropped at the end) with the demo stories,
gunicorn with production settings on 127.0.0.1 takes COMMENTS posts from CLIENTS concurrent
clients, each doing what a browser does (load the story, fetch the form's token, post, follow the redirect), while READERS
threads load the front, story and section pages. The run is bounded by --time-limit. Afterwards
the database must hold exactly COMMENTS new pending comments, and no request may have had a 5xx;
otherwise the exit status is 1. Only the standard library: no third-party HTTP client.
"""

import argparse
import http.client
import itertools
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SERVER = "postgres://postgres@127.0.0.1:5432"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--comments", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=32, help="concurrent commenters")
    parser.add_argument("--readers", type=int, default=4, help="concurrent page readers")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--time-limit", type=float, default=300, help="seconds for the posts")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--server", default=SERVER, help="PostgreSQL server (no database)")
    parser.add_argument("--database", default="newsroom_load", help="made and dropped")
    return parser.parse_args()


# --- HTTP, as a browser does it ----------------------------------------------------------------


class Browser:
    """One client: its own cookies, a new connection per request (gunicorn's sync workers
    close each one), statuses and timings recorded."""

    def __init__(self, port, stats):
        self.port, self.stats, self.cookies = port, stats, {}

    def request(self, method, path, body=None):
        headers = {"User-Agent": "comment-load/1.0", "Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
            headers["Origin"] = f"http://127.0.0.1:{self.port}"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        self.stats.record(method, response.status)
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                if "max-age=0" in rest.lower().replace(" ", ""):
                    self.cookies.pop(name.strip(), None)  # Deleted, e.g. messages once shown.
                else:
                    self.cookies[name.strip()] = rest.split(";")[0]
        return response.status, response.getheader("Location"), text


class FormReader(HTMLParser):
    """The comment form's action and fields, as the browser would submit them."""

    def __init__(self):
        super().__init__()
        self.action, self.fields, self.inside = None, {}, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == "comment-form":
            self.action, self.inside = attrs.get("action"), True
        elif tag == "input" and self.inside and attrs.get("name"):
            self.fields[attrs["name"]] = attrs.get("value") or ""
        elif tag == "textarea" and self.inside and attrs.get("name"):
            self.fields[attrs["name"]] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def comment_form(browser, story_path):
    """Open the story and return (action, fields) of its comment form, with whatever the form
    carries for the post to be accepted (CSRF token, signed time it was shown, reply target).
    The one place to change if the form gets its token some other way."""
    status, _, html = browser.request("GET", story_path)
    form = FormReader()
    form.feed(html)
    if status != 200 or not form.action:
        raise RuntimeError(f"no comment form on {story_path} (status {status})")
    # A page from the page cache carries no token: the post is accepted for the Origin header
    # this client sends, as a browser's Sec-Fetch-Site would be (comments/origin.py).
    return urlsplit(form.action).path, form.fields


def post_comment(browser, story_path, number):
    action, fields = comment_form(browser, story_path)
    fields |= {
        "name": f"Load reader {number}",
        "email": f"load-{number}@example.com",
        "body": f"Load-test comment number {number}: a reader's thoughts, no links.",
        "website": "",
    }
    body = urlencode(fields)
    status, location, _ = browser.request("POST", action, body)
    if status != 302 or "#comments" not in (location or ""):
        return False
    # Back to the story, which shows "your comment will appear once approved".
    browser.request("GET", urlsplit(location).path)
    return True


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.statuses = {}
        self.reader_seconds = []

    def record(self, method, status):
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1

    def read(self, seconds):
        with self.lock:
            self.reader_seconds.append(seconds)

    @property
    def server_errors(self):
        return sum(n for status, n in self.statuses.items() if status >= 500)


# --- The run -----------------------------------------------------------------------------------


def run_load(args, stories, pages):
    stats = Stats()
    numbers = itertools.count(1)
    numbers_lock = threading.Lock()
    posted, failures = [], []
    deadline = time.monotonic() + args.time_limit
    done = threading.Event()

    def commenter(index):
        browser = Browser(args.port, stats)
        while time.monotonic() < deadline:
            with numbers_lock:
                number = next(numbers)
            if number > args.comments:
                return
            try:
                ok = post_comment(browser, stories[number % len(stories)], number)
            except (OSError, RuntimeError, http.client.HTTPException) as error:
                ok, error_text = False, f"#{number}: {error}"
            else:
                error_text = f"#{number}: post not accepted"
            (posted if ok else failures).append(number if ok else error_text)

    def reader(index):
        browser = Browser(args.port, stats)
        for path in itertools.cycle(pages[index % len(pages) :] + pages[: index % len(pages)]):
            if done.is_set() or time.monotonic() >= deadline:
                return
            started = time.perf_counter()
            try:
                browser.request("GET", path)
            except (OSError, http.client.HTTPException):
                continue
            stats.read(time.perf_counter() - started)

    readers = [threading.Thread(target=reader, args=(n,)) for n in range(args.readers)]
    commenters = [threading.Thread(target=commenter, args=(n,)) for n in range(args.clients)]
    started = time.monotonic()
    for thread in readers + commenters:
        thread.start()
    for thread in commenters:
        thread.join()
    elapsed = time.monotonic() - started
    done.set()
    for thread in readers:
        thread.join()
    return stats, posted, failures, elapsed


def pending_count(database_url):
    with psycopg.connect(database_url) as connection:
        return connection.execute(
            "SELECT count(*) FROM comments_comment WHERE status = 'pending'"
        ).fetchone()[0]


def story_paths(database_url):
    """Stories open for comments, and the pages readers load, straight from the database."""
    with psycopg.connect(database_url) as connection:
        rows = connection.execute(
            "SELECT slug, published_at AT TIME ZONE 'UTC' FROM articles_article "
            "WHERE status = 'published' AND comment_mode <> 'closed' AND published_at <= now() "
            "ORDER BY published_at DESC LIMIT 8"
        ).fetchall()
        category = connection.execute(
            "SELECT slug FROM articles_category ORDER BY position LIMIT 1"
        ).fetchone()[0]
    stories = [f"/{at:%Y/%m/%d}/{slug}/" for slug, at in rows]
    return stories, ["/", stories[0], f"/category/{category}/"]


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def machine():
    memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
    return f"{os.cpu_count()} cores, {memory_kb / 1024**2:.0f} GiB RAM"


def main():
    args = parse_args()
    database_url = f"{args.server}/{args.database}"
    work = Path(tempfile.mkdtemp(prefix="newsroom-comment-load-"))
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DJANGO_SETTINGS_MODULE"}},
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "STATIC_ROOT": str(work / "static"),
        "MEDIA_ROOT": str(work / "media"),
        "LOG_LEVEL": "WARNING",
        # Every post must become one pending comment: no rate limit, no "too fast" spam rule,
        # no instant publication for returning commenters, no mail per comment.
        "COMMENTS_RATE_LIMIT": "off",
        "COMMENTS_MIN_SECONDS": "0",
        "COMMENTS_TRUST_RETURNING_COMMENTERS": "false",
        "COMMENTS_NOTIFY_MODERATORS": "false",
        "COMMENTS_CLOSE_AFTER_DAYS": "0",
    }
    if os.environ.get("REDIS_URL"):
        env["REDIS_URL"] = os.environ["REDIS_URL"]
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    admin = psycopg.connect(f"{args.server}/postgres", autocommit=True)
    admin.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
    admin.execute(f'CREATE DATABASE "{args.database}"')
    gunicorn = None
    try:
        print(f"Machine: {machine()}; database {database_url}; setting up…", flush=True)
        for command in (
            ["migrate", "-v0"],
            ["load_demo", "-v0"],
            ["collectstatic", "--no-input", "-v0"],
        ):
            subprocess.run([PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True)
        stories, pages = story_paths(database_url)
        before = pending_count(database_url)
        gunicorn = subprocess.Popen(
            [
                str(Path(PYTHON).with_name("gunicorn")),
                "newsroom.wsgi",
                "--no-control-socket",
                "--bind",
                f"127.0.0.1:{args.port}",
                "--workers",
                str(args.workers),
                "--error-logfile",
                str(work / "gunicorn.log"),
            ],
            cwd=ROOT,
            env=env,
        )
        wait_for(args.port, gunicorn, work / "gunicorn.log")
        print(
            f"gunicorn: {args.workers} sync workers. Posting {args.comments} comments from "
            f"{args.clients} clients on {len(stories)} stories while {args.readers} readers "
            f"load {', '.join(pages)} (time limit {args.time_limit:.0f} s)…",
            flush=True,
        )
        stats, posted, failures, elapsed = run_load(args, stories, pages)
        new = pending_count(database_url) - before
    finally:
        if gunicorn and gunicorn.poll() is None:
            gunicorn.terminate()
            gunicorn.wait(timeout=30)
        admin.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
        admin.close()
        shutil.rmtree(work, ignore_errors=True)

    reads = stats.reader_seconds
    print(
        f"\nPosts accepted: {len(posted)} of {args.comments} in {elapsed:.1f} s "
        f"({len(posted) / elapsed:.1f} posts/s; each: story, token, post, story again)"
    )
    print(f"New pending comments in the database: {new}")
    print(f"Responses by status: {dict(sorted(stats.statuses.items()))}")
    if reads:
        print(
            f"Reader page loads: {len(reads)}, p50 {statistics.median(reads) * 1000:.0f} ms, "
            f"p99 {percentile(reads, 0.99) * 1000:.0f} ms, max {max(reads) * 1000:.0f} ms"
        )
    for failure in failures[:10]:
        print(f"  failed: {failure}")
    problems = []
    if new != args.comments:
        problems.append(f"expected {args.comments} new pending comments, found {new}")
    if stats.server_errors:
        problems.append(f"{stats.server_errors} responses were 5xx")
    if len(posted) != args.comments:
        problems.append(f"{args.comments - len(posted)} posts not accepted within the time limit")
    if problems:
        sys.exit("LOSS: " + "; ".join(problems))
    print("OK: no comment lost, no 5xx.")


def wait_for(port, process, log):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn exited at start; see {log}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/robots.txt")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
        finally:
            connection.close()
    sys.exit("gunicorn did not answer within 60 s")


if __name__ == "__main__":
    main()

#!/usr/bin/env python
"""Breaking news (issue 14): readers keep reading while an editor saves a story every 3 s and a
moderator approves a comment every second.

    .venv/bin/python bench/newsroom_busy.py                    # 2 × 20 s
    .venv/bin/python bench/newsroom_busy.py --duration 5       # a short smoke run
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench \\
        REDIS_URL=redis://127.0.0.1:6379/12 .venv/bin/python bench/newsroom_busy.py

gunicorn with production settings (5 sync workers, the page cache on, Redis) serves the
database that bench/populate.py filled. wrk rotates readers over 35 addresses: the front page,
12 recent stories (4 of them the ones the editor changes), their sections, tags and authors,
the archive, a year, three months, two searches, the feed and About. Two phases of equal
length: "baseline" (readers only) and "busy" (readers, plus the editor and the moderator).

The editor and the moderator are a second process with the site's settings doing what the
admin does: the editor changes a story's standfirst inside `articles.signals.collected()` (the
admin's change form), the moderator approves a pending comment with
`CommentQuerySet.moderate()` (the moderation queue's action). The pending comments are made
beforehand. After each change a checker polls the pages that show it, as an anonymous reader,
until the change is there, and records how long it took.

Targets: busy throughput ≥ 90 % of baseline, p99 < 100 ms while busy, no 5xx, every change
visible within 2 s. Prints the results (markdown, for bench/RESULTS.md) and exits 1 when a
target is missed, naming it. Afterwards the stories get their standfirsts back and the
bench's comments are deleted; the Redis database is flushed before the run.
"""

import argparse
import html
import json
import math
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from busy_readers import readers_script, wrk, wrk_result
from busy_report import report
from loadtest import (
    BROWSER_ENCODING,
    Site,
    fetch,
    flush_redis,
    free_port,
    machine,
    production_env,
)

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/newsroom_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/12"
EDIT_EVERY, APPROVE_EVERY = 3.0, 1.0  # seconds: the newsroom
STORIES, EDITED = 12, 4
POLL_EVERY = 0.05  # seconds between a checker's requests
EDITOR, MODERATOR = "busy-bench-editor", "busy-bench-moderator"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=20, help="seconds of each phase")
    parser.add_argument("--connections", type=int, default=16, help="wrk's connections")
    parser.add_argument("--workers", type=int, default=5, help="gunicorn sync workers")
    parser.add_argument(
        "--edit-every", type=float, default=EDIT_EVERY, help="seconds between saves (0: none)"
    )
    parser.add_argument(
        "--approve-every",
        type=float,
        default=APPROVE_EVERY,
        help="seconds between approvals (0: none)",
    )
    parser.add_argument(
        "--give-up",
        type=float,
        default=45,
        help="seconds a checker waits for a change before calling it lost",
    )
    parser.add_argument("--newsroom", action="store_true", help=argparse.SUPPRESS)  # internal
    return parser.parse_args()


# --- The newsroom: a process with Django, driven through stdin, reporting on stdout ----------


SAYING = threading.Lock()  # The editor and the moderator report from two threads.


def say(message):
    with SAYING:
        print(json.dumps(message), flush=True)


def newsroom():
    """Set up (pick the pages, make the pending comments), then wait for "go SECONDS": run the
    editor and the moderator that long, reporting each change; then, on "restore" (or if the
    driver goes away), put the stories back and delete the bench's comments."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    token = secrets.token_hex(3)
    plan = pick_pages()
    comments = pending_comments(plan["stories"], token, count=plan["comments_needed"])
    say({"urls": plan["urls"], "edited": plan["edited"], "comments": len(comments)})
    originals = {story["pk"]: story["standfirst"] for story in plan["edited"]}
    try:
        for line in sys.stdin:
            command, _, argument = line.strip().partition(" ")
            if command == "go":
                seconds, edit_every, approve_every = map(float, argument.split())
                run_newsroom(plan["edited"], comments, seconds, edit_every, approve_every, token)
                say({"finished": True})
            elif command == "restore":
                break
    finally:
        restore(originals, [comment["pk"] for comment in comments])
        say({"restored": True})


def pick_pages():
    """Real addresses from the database: recent stories with their sections, tags, authors;
    archive months with stories; searches that find something."""
    from django.conf import settings
    from django.urls import reverse
    from django.utils import timezone

    from articles.models import Article, Author

    stories = list(
        Article.objects.published()
        .exclude(standfirst="")
        .exclude(tags=None)
        .select_related("category")
        .prefetch_related("tags")
        .order_by("-published_at")[:STORIES]
    )
    if len(stories) < STORIES:
        raise SystemExit("Too few published stories: fill the database with bench/populate.py.")
    sections = list(dict.fromkeys(story.category for story in stories))[:5]
    tags = list(dict.fromkeys(tag for story in stories for tag in story.tags.all()))[:5]
    authors = Author.objects.filter(bylines__article__in=stories).distinct()[:3]
    months = list(Article.objects.published().dates("published_at", "month", order="DESC")[:3])
    word = next(w for story in stories for w in story.title.split() if len(w) > 5 and w.isalpha())
    urls = [
        reverse("articles:front"),
        *(story.get_absolute_url() for story in stories),
        *(section.get_absolute_url() for section in sections),
        *(reverse("articles:tag", kwargs={"slug": tag.slug}) for tag in tags),
        *(author.get_absolute_url() for author in authors),
        reverse("articles:archive"),
        reverse("articles:archive-year", kwargs={"year": timezone.localdate().year}),
        *(
            reverse("articles:archive-month", kwargs={"year": m.year, "month": m.month})
            for m in months
        ),
        reverse("search:search") + "?q=pipeline",
        reverse("search:search") + f"?q={word.lower()}",
        reverse("syndication:feed-rss"),
        reverse("articles:about"),
    ]
    edited = [
        {
            "pk": story.pk,
            "path": story.get_absolute_url(),
            "standfirst": story.standfirst,
            # Pages that may show the standfirst too; the driver keeps those that do.
            "lists": [
                ("front page", reverse("articles:front")),
                ("section page", story.category.get_absolute_url()),
            ],
        }
        for story in stories[:EDITED]
    ]
    return {
        "urls": urls,
        "stories": stories,
        "edited": edited,
        "comments_needed": int(os.environ.get("BUSY_COMMENTS", "30")),
        "stale_seconds": settings.PAGE_CACHE_STALE_SECONDS,
    }


def pending_comments(stories, token, count):
    """`count` pending comments, spread over the stories, each with words of its own."""
    from django.utils import timezone

    from comments.models import Comment

    made = Comment.objects.bulk_create(
        Comment(
            article=stories[n % len(stories)],
            name="Busy reader",
            email="busy-reader@example.com",
            body=f"Watching this closely, comment busy-{token}-c{n}.",
            status=Comment.Status.PENDING,
            created_at=timezone.now(),
        )
        for n in range(count)
    )
    return [
        {
            "pk": comment.pk,
            "path": stories[n % len(stories)].get_absolute_url(),
            "marker": f"busy-{token}-c{n}",
        }
        for n, comment in enumerate(made)
    ]


def person(username, group):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user, made = get_user_model().objects.get_or_create(
        username=username, defaults={"is_staff": True}
    )
    if made:
        user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get(name=group))
    return user


def run_newsroom(edited, comments, seconds, edit_every, approve_every, token):
    from django.db import connection

    editor, moderator = person(EDITOR, "Editors"), person(MODERATOR, "Moderators")
    deadline = time.monotonic() + seconds

    def every(interval, job, items):
        try:
            for n, item in enumerate(items):
                due = start + n * interval
                if due >= deadline:
                    return
                time.sleep(max(0.0, due - time.monotonic()))
                job(n, item)
        finally:
            connection.close()  # This thread's own connection.

    def edit(n, story):
        from articles.models import Article
        from articles.signals import collected

        marker = f"busy-{token}-e{n}"
        began = time.time()
        with collected():  # As the admin's change form: one change, its effects at the end.
            article = Article.objects.select_for_update().get(pk=story["pk"])
            article.standfirst = f"Update {marker}: {story['standfirst']}"[:500]
            article._history_user = editor  # What HistoryRequestMiddleware records in the admin.
            article.save()
        say({"change": "edit", "marker": marker, "story": story, "began": began, "at": time.time()})

    def approve(n, comment):
        from comments.models import Comment

        began = time.time()
        Comment.objects.filter(pk=comment["pk"]).moderate(Comment.Status.APPROVED, moderator)
        pages = [("story page", comment["path"])]
        say(
            {
                "change": "approve",
                "marker": comment["marker"],
                "pages": pages,
                "began": began,
                "at": time.time(),
            }
        )

    start = time.monotonic()
    stories = (edited[n % len(edited)] for n in range(10**6))
    jobs = [(edit_every, edit, stories), (approve_every, approve, comments)]
    threads = [threading.Thread(target=every, args=job) for job in jobs if job[0]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def restore(originals, comment_pks):
    """The stories as they were (through the same path: the page cache hears of it) and the
    bench's comments gone."""
    from articles.models import Article
    from articles.signals import collected
    from comments.models import Comment

    with collected():
        for article in Article.objects.filter(pk__in=list(originals)):
            article.standfirst = originals[article.pk]
            article.save()
    for comment in Comment.objects.filter(pk__in=comment_pks):
        comment.delete()  # One by one: comments/signals.py purges each story's pages.


# --- The driver: processes and HTTP, no Django ------------------------------------------------


class Checker:
    """Polls the pages that should show a change, as an anonymous reader, until each does."""

    def __init__(self, site, give_up):
        self.site, self.give_up = site, give_up
        self.delays, self.lost, self.errors5xx, self.requests = [], [], 0, 0
        self.lock, self.threads = threading.Lock(), []

    def watch(self, change, pages):
        """`pages`: (what it is, its address) of each page that must show the change."""
        for label, path in pages:
            kind = f"{change['change']}, {label}"
            thread = threading.Thread(target=self._poll, args=(change, kind, path))
            thread.start()
            self.threads.append(thread)

    def _poll(self, change, kind, path):
        give_up = change["at"] + self.give_up
        while time.time() < give_up:
            try:
                status, _, body = fetch(self.site.url(path))
            except urllib.error.HTTPError as error:
                status, body = error.code, b""
            except OSError:  # Refused, reset or timed out: a failure, as a 5xx.
                status, body = 599, b""
            with self.lock:
                self.requests += 1
                self.errors5xx += status >= 500
            if change["marker"].encode() in body:
                with self.lock:
                    self.delays.append((time.time() - change["at"], kind, path))
                return
            time.sleep(POLL_EVERY)
        with self.lock:
            self.lost.append((kind, path))

    def join(self):
        for thread in self.threads:
            thread.join()


def messages(desk):
    """What the newsroom process reports, one JSON object a line (other output passes by)."""
    for line in desk.stdout:
        if line.startswith("{"):
            yield json.loads(line)
        else:
            print(line, end="")


def pages_showing(site, story):
    """The story's page, and those of its list pages that show its standfirst now."""
    words = html.escape(" ".join(story["standfirst"].split()[:6]))
    lists = [(label, path) for label, path in story["lists"]]
    shown = [(label, path) for label, path in lists if words in fetch(site.url(path))[2].decode()]
    return [("story page", story["path"]), *shown]


def main():
    args = parse_args()
    if args.newsroom:
        return newsroom()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install -y wrk")
    work = Path(tempfile.mkdtemp(prefix="newsroom-busy-"))
    env = production_env(
        work,
        os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL,
        REDIS_URL=os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL,
        PAGE_CACHE_SECONDS="300",
        COMMENTS_NOTIFY_MODERATORS="false",
        # The pending comments the moderator will approve.
        BUSY_COMMENTS=str(
            math.ceil(args.duration / args.approve_every) if args.approve_every else 0
        ),
    )
    port = free_port()
    started = machine()
    print(f"Machine: {started}\nDatabase: {env['DATABASE_URL']}; cache: {env['REDIS_URL']}")
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=env, check=True
    )
    flush_redis(env["REDIS_URL"])
    # SIGTERM (a timeout, kill) must still stop gunicorn and restore the stories.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    desk = subprocess.Popen(
        [PYTHON, __file__, "--newsroom"],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        plan = next(messages(desk), None)
        if not plan:
            sys.exit("The newsroom process failed to start (see above).")
        with Site(env, args.workers, port, work / "gunicorn.log") as site:
            outcome = run(args, site, desk, plan, work)
        desk.stdin.write("restore\n")
        desk.stdin.flush()
        desk.wait(timeout=120)
    finally:
        if desk.poll() is None:
            desk.stdin.close()  # The newsroom restores what it changed when its input ends.
            try:
                desk.wait(timeout=120)
            except subprocess.TimeoutExpired:
                desk.kill()
        shutil.rmtree(work, ignore_errors=True)
    sys.exit(report(args, plan, outcome, started))


def run(args, site, desk, plan, work):
    script = readers_script(work / "readers.lua", plan["urls"])
    print(
        f"Readers: {len(plan['urls'])} addresses; wrk -t2 -c{args.connections}, {args.workers} "
        f"gunicorn workers, page cache on; {args.duration} s a phase",
        flush=True,
    )
    for url in plan["urls"]:  # Every address answers, and is in the page cache.
        status = fetch(site.url(url), BROWSER_ENCODING)[0]
        if status != 200:
            sys.exit(f"{url} answered {status}")
    watched = {story["pk"]: pages_showing(site, story) for story in plan["edited"]}
    wrk_result(wrk(site, script, 3, args.connections), 3)  # Warm-up: every worker, every page.

    print("== baseline: readers only", flush=True)
    baseline = wrk_result(wrk(site, script, args.duration, args.connections), args.duration)

    print(
        f"== busy: readers, a save every {args.edit_every:g} s, an approval every "
        f"{args.approve_every:g} s (0: none)",
        flush=True,
    )
    checker = Checker(site, args.give_up)
    readers = wrk(site, script, args.duration, args.connections)
    desk.stdin.write(f"go {args.duration} {args.edit_every} {args.approve_every}\n")
    desk.stdin.flush()
    changes = []
    for message in messages(desk):
        if message.get("finished"):
            break
        changes.append(message)
        checker.watch(message, message.get("pages") or watched[message["story"]["pk"]])
    busy = wrk_result(readers, args.duration)
    checker.join()
    return {"baseline": baseline, "busy": busy, "changes": changes, "checker": checker}


if __name__ == "__main__":
    main()

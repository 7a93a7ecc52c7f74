#!/usr/bin/env python
"""A newsletter issue to 10,000 subscribers through a real SMTP server and the real worker,
killed part-way and started again: every subscriber must receive it exactly once.

    .venv/bin/python bench/newsletter.py
    .venv/bin/python bench/newsletter.py --database-url postgres://postgres@127.0.0.1:5432/nr_bench

On loopback only. An aiosmtpd SMTP server runs in this process and counts every message it
accepts, by recipient. The site runs with production settings on a throwaway SQLite database
(or the PostgreSQL database given, which it empties: `migrate` then deletes the bench's rows),
with SMTP_HOST pointing at that server and NEWSLETTER_RATE=0 (as fast as it goes):

1. 10,000 confirmed subscribers (bulk_create), one story, one issue due now, started as
   `send_due_newsletters` starts it (one delivery row each, the first batch task queued);
2. `manage.py db_worker` sends until the server has counted --kill-at messages, then gets
   SIGKILL: no clean-up of any kind, its claimed rows stay claimed;
3. after NEWSLETTER_CLAIM_SECONDS, `send_due_newsletters` sees the send went quiet and queues it
   again; a new `db_worker --batch` finishes it and exits.

Prints messages received, distinct recipients, duplicates, missing, and the throughput of each
run of the worker; exits 1 unless exactly one message reached each subscriber.
"""

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from aiosmtpd.controller import Controller
from loadtest import free_port, production_env

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CLAIM_SECONDS = 5


class Counting:
    """The SMTP server's handler: accepts everything, counts each recipient."""

    def __init__(self):
        self.received = Counter()
        self.lock = threading.Lock()
        self.total = 0

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            for recipient in envelope.rcpt_tos:
                self.received[recipient] += 1
                self.total += 1
        return "250 Message accepted for delivery"


SETUP = """
from datetime import timedelta
from django.utils import timezone
from articles.models import Article, Category
from newsletters.models import Delivery, Issue, Newsletter, Subscriber, Subscription
from newsletters.sending import start_issue

Delivery.objects.all().delete(); Issue.objects.all().delete()
Subscriber.objects.all().delete(); Newsletter.objects.all().delete()
now = timezone.now()
section, _ = Category.objects.get_or_create(slug="bench-news", defaults={"name": "Bench news"})
Article.objects.get_or_create(
    slug="bench-story",
    defaults={"title": "The bench's story", "standfirst": "What the bench sends.", "body": "<p>Text.</p>",
              "category": section, "status": Article.Status.PUBLISHED,
              "published_at": now - timedelta(hours=1)},
)
newsletter = Newsletter.objects.create(name="Bench briefing", slug="bench")
subscribers = Subscriber.objects.bulk_create(
    [Subscriber(email=f"reader{n}@bench.example", confirmed_at=now) for n in range(COUNT)],
    batch_size=2000,
)
Subscription.objects.bulk_create(
    [Subscription(subscriber=s, newsletter=newsletter) for s in subscribers], batch_size=2000
)
issue = Issue.objects.create(newsletter=newsletter, scheduled_for=now - timedelta(minutes=1))
start_issue(issue, now)
print(Delivery.objects.filter(issue=issue).count())
"""

STATUS = """
from newsletters.models import Delivery, Issue
issue = Issue.objects.get(started_at__isnull=False)
print(issue.status, Delivery.objects.filter(status="sent").count())
"""


def manage(env, *args, **kwargs):
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, text=True, **kwargs
    )


def shell(env, code):
    out = manage(env, "shell", "--no-imports", "-c", code, capture_output=True).stdout
    return out.strip().splitlines()[-1]


def worker(env, *extra):
    return subprocess.Popen(
        [
            PYTHON,
            "manage.py",
            "db_worker",
            "--queue-name",
            "*",
            "--interval",
            "0.2",
            "--no-startup-delay",
            "--no-reload",
            "--verbosity",
            "0",
            *extra,
        ],
        cwd=ROOT,
        env=env,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--kill-at", type=int, default=3_000, help="messages before SIGKILL")
    parser.add_argument("--database-url", help="default: a throwaway SQLite database")
    args = parser.parse_args()

    handler = Counting()
    port = free_port()
    smtp = Controller(handler, hostname="127.0.0.1", port=port)
    smtp.start()
    work = Path(tempfile.mkdtemp(prefix="newsletter-bench-"))
    database_url = args.database_url or f"sqlite:///{work / 'bench.sqlite3'}"
    env = production_env(
        work,
        database_url,
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(port),
        SMTP_USE_TLS="false",
        NEWSLETTER_RATE="0",
        NEWSLETTER_CLAIM_SECONDS=str(CLAIM_SECONDS),
        TASKS_BACKEND="database",
        REDIS_URL="",
        SITE_URL="https://news.example.com",
    )
    first = second = None
    try:
        manage(env, "migrate", "--no-input", "--verbosity", "0")
        made = shell(env, SETUP.replace("COUNT", str(args.subscribers)))
        print(f"{made} deliveries queued; SMTP server on 127.0.0.1:{port}")

        started = time.monotonic()
        first = worker(env)
        while handler.total < args.kill_at:
            if first.poll() is not None:
                sys.exit("The worker stopped by itself before the kill.")
            time.sleep(0.01)
        first.send_signal(signal.SIGKILL)
        first.wait()
        first_seconds = time.monotonic() - started
        at_kill = handler.total
        print(f"Killed the worker (SIGKILL) after {at_kill} messages, {first_seconds:.1f} s")

        time.sleep(CLAIM_SECONDS + 1)  # the dead worker's claims go stale
        manage(env, "send_due_newsletters", "--verbosity", "1")
        started = time.monotonic()
        second = worker(env, "--batch")
        second.wait(timeout=1800)
        second_seconds = time.monotonic() - started
        time.sleep(0.5)  # the SMTP server's last replies
        status, marked = shell(env, STATUS).split()
    finally:
        for process in (first, second):
            if process and process.poll() is None:
                process.kill()
        smtp.stop()

    expected = {f"reader{n}@bench.example" for n in range(args.subscribers)}
    duplicates = {r: c for r, c in handler.received.items() if c > 1}
    missing = expected - set(handler.received)
    after = handler.total - at_kill
    print()
    print("| | value |")
    print("|---|---|")
    print(f"| subscribers | {args.subscribers:,} |")
    print(f"| messages received by the SMTP server | {handler.total:,} |")
    print(f"| distinct recipients | {len(handler.received):,} |")
    print(f"| recipients who got it twice or more | {len(duplicates)} |")
    print(f"| recipients who did not get it | {len(missing)} |")
    print(f"| deliveries marked sent / issue status | {int(marked):,} / {status} |")
    print(
        f"| first worker: messages, seconds, messages/s | {at_kill:,}, {first_seconds:.1f}, {at_kill / first_seconds:.0f} |"
    )
    print(
        f"| second worker: messages, seconds, messages/s | {after:,}, {second_seconds:.1f}, {after / second_seconds:.0f} |"
    )
    database = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
    print(f"| database | {database} |")
    ok = handler.total == args.subscribers and not duplicates and not missing
    print("\nPASS: each subscriber received the issue exactly once." if ok else "\nFAIL")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    os.chdir(ROOT)
    main()

#!/usr/bin/env python
"""Varnish in front of gunicorn: an edit purges exactly the pages that show the story.

    .venv/bin/python bench/varnish_purge.py
    REDIS_URL=redis://127.0.0.1:6379/10 .venv/bin/python bench/varnish_purge.py

On loopback only. Makes a throwaway SQLite database (migrated, a few stories in two sections),
empties the Redis database it is given (FLUSHDB; the app servers share the page cache's tags
through it with the shell below), collects the static files, starts gunicorn with the page cache
on and PAGE_CACHE_PURGE=varnish, and varnishd with deploy/varnish/newsroom.vcl (its backend
port set to gunicorn's). Every page is read twice through Varnish: the second read must be a
HIT. Then an editor's save changes one story's headline through Django (`manage.py shell -c`
with the same environment, so the signals fire and the purge goes to Varnish), and every page
is read again, twice:

- a page that showed the story (its headline was on it) must have been purged: its first read
  is a MISS, or STALE (a soft purge serves the old copy during grace while fetching a new one),
  and its second read carries the new headline;
- any other page must still be a HIT, untouched.

Prints a table and PASS or FAIL; exits 1 when the purge was not exact. Stops what it started.
`--no-purge` leaves PAGE_CACHE_PURGE unset (Varnish is never told): the check must then FAIL,
which shows that it can.
Needs Debian's varnish and varnish-modules (the xkey vmod) and a Redis. Takes ~30 s.
"""

import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from loadtest import free_port, production_env

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/10"
OLD_TITLE = "Floods reach the capital"
NEW_TITLE = "Floods recede from the capital"


def content():
    """Three stories in two sections: the one to edit, a neighbour in its section, and one in
    another section. Returns the edited story's id and {name: address} of the pages to read."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections
    from django.urls import reverse
    from django.utils import timezone

    from articles.models import Article, Author, Byline, Category

    call_command("migrate", verbosity=0)
    world = Category.objects.create(name="World", slug="world")
    sport = Category.objects.create(name="Sport", slug="sport")
    now = timezone.now()

    def story(title, section, hours_ago, tags):
        article = Article.objects.create(
            title=title,
            slug=title.lower().replace(" ", "-"),
            # Only the headline names the story: a page shows it where the headline is.
            standfirst="The latest from our reporters.",
            body="<p>More as we hear it.</p>",
            category=section,
            status=Article.Status.PUBLISHED,
            published_at=now - timezone.timedelta(hours=hours_ago),
        )
        article.tags.set(tags)
        return article

    edited = story(OLD_TITLE, world, 1, ["floods"])
    neighbour = story("Talks resume in Geneva", world, 3, ["diplomacy"])
    elsewhere = story("Cup final goes to extra time", sport, 2, ["football"])
    author = Author.objects.create(name="Ada Reporter", slug="ada-reporter")
    Byline.objects.create(article=edited, author=author)
    month = timezone.localtime(edited.published_at)
    pages = {
        "front page": "/",
        "the story": edited.get_absolute_url(),
        "its section": world.get_absolute_url(),
        "its tag": reverse("articles:tag", kwargs={"slug": "floods"}),
        "its author": author.get_absolute_url(),
        "its month": reverse(
            "articles:archive-month", kwargs={"year": month.year, "month": month.month}
        ),
        "the feed": reverse("syndication:feed-rss"),
        "its comments": reverse("comments:list", args=[edited.pk]),
        "a neighbour": neighbour.get_absolute_url(),
        "other section": sport.get_absolute_url(),
        "other story": elsewhere.get_absolute_url(),
        "other tag": reverse("articles:tag", kwargs={"slug": "football"}),
        "about": reverse("articles:about"),
    }
    connections.close_all()
    return edited.pk, pages


def wait_for(url, process, what, log):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{what} exited at start; see {log}")
        try:
            urllib.request.urlopen(url, timeout=5)
            return
        except (urllib.error.URLError, OSError):
            time.sleep(0.3)
    raise SystemExit(f"{what} was not ready within 60 s")


def read(port, path, headers=None, full=False):
    """(X-Cache, page text) of `path` read through Varnish; the response itself with `full`."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers or {})
    with opener.open(request, timeout=30) as response:
        text = html.unescape(response.read().decode())
        return response if full else (response.headers.get("X-Cache"), text)


def start_varnish(work, varnish_port, backend_port):
    vcl = (ROOT / "deploy/varnish/newsroom.vcl").read_text()
    vcl = re.sub(r'\.port = "\d+";', f'.port = "{backend_port}";', vcl, count=1)
    (work / "newsroom.vcl").write_text(vcl)
    # varnishd drops its privileges to Debian's varnish users: they must reach its files.
    work.chmod(0o755)
    command = ["varnishd", "-F", "-n", str(work / "varnish"), "-a", f"127.0.0.1:{varnish_port}"]
    command += ["-f", str(work / "newsroom.vcl"), "-s", "malloc,64m"]
    log = work / "varnishd.log"
    with log.open("w") as output:
        return subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT), log


def main():
    redis_url = os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL
    work = Path(tempfile.mkdtemp(prefix="newsroom-varnish-"))
    gunicorn_port, varnish_port = free_port(), free_port()
    env = production_env(
        work,
        f"sqlite:///{work / 'bench.sqlite3'}",
        ENV_FILE="",
        REDIS_URL=redis_url,
        PAGE_CACHE_SECONDS="300",
        MEDIA_ROOT=str(work / "media"),
        COMMENTS_NOTIFY_MODERATORS="false",
    )
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    story_id, pages = content()  # Before Varnish runs: nothing to purge yet.
    purging = f"http://127.0.0.1:{varnish_port}/"
    if "--no-purge" not in sys.argv:
        env = {**env, "PAGE_CACHE_PURGE": "varnish", "PAGE_CACHE_PURGE_URLS": purging}
    print(f"Database {work / 'bench.sqlite3'}, cache {redis_url} (flushed)")
    print(f"gunicorn on 127.0.0.1:{gunicorn_port}, varnishd on 127.0.0.1:{varnish_port}")
    manage = [PYTHON, "manage.py"]
    subprocess.run([*manage, "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
    processes = []
    try:
        gunicorn_log = work / "gunicorn.log"
        command = [str(Path(PYTHON).with_name("gunicorn")), "newsroom.wsgi"]
        command += ["--bind", f"127.0.0.1:{gunicorn_port}", "--workers", "2"]
        command += ["--no-control-socket", "--error-logfile", str(gunicorn_log)]
        processes.append(subprocess.Popen(command, cwd=ROOT, env=env))
        wait_for(
            f"http://127.0.0.1:{gunicorn_port}/readyz", processes[-1], "gunicorn", gunicorn_log
        )
        varnish, varnish_log = start_varnish(work, varnish_port, gunicorn_port)
        processes.append(varnish)
        wait_for(f"http://127.0.0.1:{varnish_port}/healthz", varnish, "varnishd", varnish_log)

        before = {}
        for name, path in pages.items():
            read(varnish_port, path)
            before[name] = read(varnish_port, path)
        edit = (
            "from articles.models import Article; "
            f"story = Article.objects.get(pk={story_id}); "
            f"story.title = {NEW_TITLE!r}; story.save()"
        )
        subprocess.run([*manage, "shell", "-c", edit], cwd=ROOT, env=env, check=True)
        first = {name: read(varnish_port, path) for name, path in pages.items()}
        time.sleep(1)  # A soft purge's background fetch lands.
        second = {name: read(varnish_port, path) for name, path in pages.items()}
        # What the VCL does besides: staff pass, the tags stay between Varnish and the site.
        staff = read(varnish_port, "/", {"Cookie": "sessionid=x"}, full=True)
        reader = read(varnish_port, "/", {"Cookie": "_ga=1; csrftoken=y"}, full=True)
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)

    rows, exact = [], True
    for name in pages:
        showed = OLD_TITLE in before[name][1]
        new_title = NEW_TITLE in second[name][1]
        if showed:
            ok = first[name][0] in ("MISS", "STALE") and second[name][0] == "HIT" and new_title
            ok = ok and OLD_TITLE not in second[name][1]
        else:
            ok = first[name][0] == "HIT" and second[name] == before[name]
        exact &= ok and before[name][0] == "HIT"
        rows.append(
            (name, pages[name], "yes" if showed else "no", before[name][0], first[name][0])
            + (second[name][0], "yes" if new_title else "no", "ok" if ok else "WRONG")
        )
    header = ("page", "address", "shows story", "warm", "after edit", "again", "new title", "")
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, tuple("-" * width for width in widths), *rows]:
        print(
            "| "
            + " | ".join(str(cell).ljust(w) for cell, w in zip(row, widths, strict=True))
            + " |"
        )
    checks = {
        "staff (session cookie) pass Varnish": staff.headers["X-Cache"] == "MISS",
        "a reader's other cookies are stripped: a HIT": reader.headers["X-Cache"] == "HIT",
        "no tag header reaches the browser": not any(
            reader.headers.get(name) for name in ("xkey", "Surrogate-Key", "Cache-Tag")
        ),
    }
    for description, ok in checks.items():
        print(f"  {'ok  ' if ok else 'FAIL'} {description}")
        exact &= ok
    print("PASS: the edit purged exactly the pages that show the story" if exact else "FAIL")
    return 0 if exact else 1


if __name__ == "__main__":
    sys.exit(main())

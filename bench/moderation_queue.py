"""The moderation console with a long queue: how long it takes to open and how many queries it
runs, beside the other admin pages a moderator or editor opens.

    .venv/bin/python bench/moderation_queue.py                    # 10,000 pending comments
    .venv/bin/python bench/moderation_queue.py --pending 50000 --runs 10 --keep

Makes a throwaway PostgreSQL database (console_bench, dropped at the end unless --keep), migrates
it, fills it with 200 stories, 2,000 approved comments, PENDING pending comments (one in four a
reply) and 500 spam, then opens each page through Django's test client as a signed-in
moderator (production settings, the page cache off: admin pages are never cached). Prints one
Markdown table: milliseconds (median and slowest of RUNS after one warm-up) and queries.
"""

import argparse
import os
import secrets
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVER = "postgres://postgres@127.0.0.1:5432"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pending", type=int, default=10_000, help="pending comments")
    parser.add_argument("--runs", type=int, default=20, help="timed requests per page")
    parser.add_argument("--server", default=SERVER, help="PostgreSQL server (no database)")
    parser.add_argument("--database", default="console_bench", help="made and dropped")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    return parser.parse_args()


def recreate(server, name):
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop(server, name):
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def setup_django(url):
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
    os.environ["ENV_FILE"] = ""  # A developer's .env must not change what is measured.
    os.environ["DEBUG"] = "false"
    os.environ["SECRET_KEY"] = secrets.token_urlsafe(50)
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.pop("REDIS_URL", None)  # Local memory: the cache is not what is measured.
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import override_settings

    # Hashed static names need `collectstatic`; the names are not what is measured.
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain}).enable()


def fill(pending):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.utils import timezone

    from articles.models import Article, Category
    from comments.models import Comment

    now = timezone.now()
    section = Category.objects.create(name="World", slug="world", position=1)
    stories = Article.objects.bulk_create(
        Article(
            title=f"Story number {n} about the pipeline tender",
            slug=f"story-{n}",
            standfirst="What the tender documents say.",
            body="<p>" + "The pipeline will be finished by spring. " * 80 + "</p>",
            status=Article.Status.PUBLISHED,
            published_at=now - timedelta(hours=n),
            category=section,
        )
        for n in range(200)
    )

    def comment(n, **fields):
        return Comment(
            name=f"Reader {n}",
            email=f"reader{n % 3000}@example.com",
            body=f"Comment {n}: the tender documents give a date two years later. " * 3,
            created_at=now - timedelta(seconds=n),
            **fields,
        )

    threads = Comment.objects.bulk_create(
        comment(n, article=stories[n % 200], status=Comment.Status.APPROVED) for n in range(2000)
    )
    Comment.objects.bulk_create(
        (
            comment(
                n,
                article=stories[n % 200],
                parent=threads[n % 2000] if n % 4 == 3 else None,
                status=Comment.Status.PENDING,
            )
            for n in range(pending)
        ),
        batch_size=2000,
    )
    Comment.objects.bulk_create(
        comment(n, article=stories[n % 200], status=Comment.Status.SPAM, spam_reason="Links.")
        for n in range(500)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    user = get_user_model().objects.create_user("moira", is_staff=True)
    user.groups.add(Group.objects.get(name="Moderators"))
    editor = get_user_model().objects.create_user("eddie", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    return user, editor


def measure(client, url, runs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url, secure=True)  # Warm-up: the session and the templates.
    assert response.status_code == 200, f"{url}: {response.status_code}"
    timings = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            client.get(url, secure=True)
            timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings), max(timings), len(queries)


def main():
    args = parse_args()
    url = f"{args.server}/{args.database}"
    recreate(args.server, args.database)
    try:
        setup_django(url)
        from django.core.management import call_command
        from django.test import Client

        call_command("migrate", verbosity=0)
        start = time.perf_counter()
        moderator, editor = fill(args.pending)
        print(f"Filled in {time.perf_counter() - start:.1f} s: {args.pending:,} pending comments")
        console = "/admin/comments/comment/console/"
        pages = {
            "console (pending)": (moderator, console),
            "console, next batch (fragment)": (moderator, console + "?after=5000&fragment=1"),
            "console (spam)": (moderator, console + "?queue=spam"),
            "comment changelist (pending)": (moderator, "/admin/comments/comment/"),
            "admin index": (moderator, "/admin/"),
            "article changelist": (editor, "/admin/articles/article/"),
        }
        print()
        print("| page | median ms | slowest ms | queries |")
        print("|---|---:|---:|---:|")
        for name, (user, page) in pages.items():
            client = Client()
            client.force_login(user)
            median, slowest, queries = measure(client, page, args.runs)
            print(f"| {name} | {median:.0f} | {slowest:.0f} | {queries} |")
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            drop(args.server, args.database)


if __name__ == "__main__":
    main()

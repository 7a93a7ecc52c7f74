#!/usr/bin/env python
"""Fill a PostgreSQL database with ten years of a busy newsroom, fast, for the benchmark.

    .venv/bin/python bench/populate.py --articles 100000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/other .venv/bin/python bench/populate.py --reset

Makes the database if it is missing and migrates it. With 100,000 articles: 40 sections, 5,000
tags (3 per story), 300 authors, 500,000 comments (mostly approved, some pending or spam, some
replies), every story sharing one real featured image. Rows go in with PostgreSQL's COPY, the
search index is filled by one set-based UPDATE, and the planner's statistics are refreshed at the
end, so the pages are measured as they would run on a real site of that size.
"""

import argparse
import os
import random
import secrets
import sys
import time
from datetime import timedelta
from io import BytesIO
from pathlib import Path

from bulk import (  # bench/bulk.py
    COPY_BATCH,
    Copier,
    fill_search_index,
    indexes_set_aside,
    no_style,
)
from vocabulary import (  # bench/vocabulary.py: the words stories and comments are made of
    ACTIONS,
    CATEGORY_NAMES,
    COMMENT_NAMES,
    COMMENT_SENTENCES,
    FIRST_NAMES,
    LAST_NAMES,
    PLACES,
    SUBJECTS,
    TOPICS,
    WORDS,
)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/newsroom_bench"
FEATURED_IMAGE = "bench/featured.jpg"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--comments-per-article", type=float, default=5.0)
    parser.add_argument("--categories", type=int, default=40)
    parser.add_argument("--tags", type=int, default=5_000)
    parser.add_argument("--authors", type=int, default=300)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--reset", action="store_true", help="empty a database that already has stories"
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL,
        help=f"PostgreSQL only (default: $DATABASE_URL or {DEFAULT_DATABASE_URL})",
    )
    return parser.parse_args()


def create_database(url):
    """Make the database named in `url` unless it exists (needs a role with CREATEDB)."""
    import dj_database_url
    import psycopg
    from psycopg import sql

    config = dj_database_url.parse(url)
    if config["ENGINE"] != "django.db.backends.postgresql":
        sys.exit(f"populate.py fills PostgreSQL databases only, not {config['ENGINE']}.")
    connect = {
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **connect) as admin:
        name = config["NAME"]
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            print(f"Creating database {name}")
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def setup_django(url):
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    # Settings refuse production without a key; this process serves nothing.
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


class Newsroom:
    """Everything a run makes, kept small: ids and dates, never whole rows."""

    def __init__(self, args):
        self.args = args
        self.random = random.Random(args.seed)
        self.paragraphs = [self.paragraph() for _ in range(500)]

    def sentence(self, words=None):
        rnd = self.random
        chosen = rnd.choices(WORDS, k=words or rnd.randint(8, 22))
        return " ".join(chosen).capitalize() + "."

    def paragraph(self):
        rnd = self.random
        text = " ".join(self.sentence() for _ in range(rnd.randint(4, 7)))
        if rnd.random() < 0.2:
            # Now and then a link or emphasis, as real stories have.
            word = rnd.choice(WORDS)
            text = text.replace(
                f" {word} ", f' <a href="https://example.com/{word}">{word}</a> ', 1
            )
        elif rnd.random() < 0.2:
            word = rnd.choice(WORDS)
            text = text.replace(f" {word} ", f" <strong>{word}</strong> ", 1)
        return f"<p>{text}</p>"

    def body(self):
        rnd = self.random
        parts = rnd.sample(self.paragraphs, rnd.randint(7, 10))
        parts.insert(rnd.randint(3, 5), f"<h2>{self.sentence(4)[:-1]}</h2>")
        if rnd.random() < 0.3:
            parts.insert(2, f"<blockquote><p>{self.sentence()}</p></blockquote>")
        return "\n".join(parts)

    def title(self):
        rnd = self.random
        topic = " ".join(rnd.sample(TOPICS, 2))
        subject = rnd.choice(SUBJECTS).replace("-", " ")
        return f"{rnd.choice(PLACES)} {subject} {rnd.choice(ACTIONS)} {topic}".capitalize()


def tag_vocabulary(rnd, count):
    """`count` distinct topics: "Tashkent", "Kazakhstan wheat", "Almaty teachers pension" …"""
    subjects = [subject.replace("-", " ") for subject in SUBJECTS]
    names = set(PLACES) | {f"{place} {topic}" for place in PLACES for topic in TOPICS}
    names |= {f"{subject} {topic}" for subject in subjects for topic in TOPICS}
    names = sorted(names)
    rnd.shuffle(names)
    while len(names) < count:
        name = f"{rnd.choice(PLACES)} {rnd.choice(subjects)} {rnd.choice(TOPICS)}"
        if name not in names:
            names.append(name)
    return names[:count]


def reset(force):
    from django.apps import apps
    from django.db import connection

    from articles.models import Article

    if Article.objects.exists() and not force:
        sys.exit(
            "This database already has stories; populate.py only fills empty ones. "
            "Run it again with --reset to empty it first."
        )
    tables = [
        model._meta.db_table
        for label in ("articles", "comments", "taggit")
        for model in apps.get_app_config(label).get_models()
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")


def featured_image():
    """One real JPEG, stored once, with its renditions: every story shows it."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from PIL import Image, ImageDraw

    from articles.models import Article
    from images.processing import generate_renditions

    width, height = 1600, 900
    if not default_storage.exists(FEATURED_IMAGE):
        image = Image.new("RGB", (width, height))
        draw = ImageDraw.Draw(image)
        for y in range(height):  # A sky over a plain: a photograph's gradients, not one colour.
            shade = (40 + y * 120 // height, 90 + y * 80 // height, 160 - y * 60 // height)
            draw.line([(0, y), (width, y)], fill=shade)
        draw.ellipse([1100, 120, 1300, 320], fill=(250, 220, 140))
        buffer = BytesIO()
        image.save(buffer, "JPEG", quality=85)
        default_storage.save(FEATURED_IMAGE, ContentFile(buffer.getvalue()))
    stored = Article(featured_image=FEATURED_IMAGE).featured_image
    generate_renditions(stored)
    return width, height


def progress(description, total):
    from tqdm import tqdm

    return tqdm(total=total, desc=f"{description:>10}", unit=" rows", unit_scale=True)


def populate(args):
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.utils import timezone
    from django.utils.text import slugify
    from taggit.models import Tag, TaggedItem

    from articles.models import About, Article, Author, Byline, Category
    from comments.models import Comment

    newsroom = Newsroom(args)
    rnd = newsroom.random
    now = timezone.now()
    first_day = now - timedelta(days=365 * args.years)
    span = (now - first_day).total_seconds()
    image_width, image_height = featured_image()

    about = About.load()
    about.site_name = "The Steppe Times"
    about.save()
    categories = Category.objects.bulk_create(
        Category(name=name, slug=slugify(name), position=position)
        for position, name in enumerate(CATEGORY_NAMES[: args.categories])
    )
    category_ids = [category.pk for category in categories]
    names = {f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES}
    authors = Author.objects.bulk_create(
        Author(name=name, slug=slugify(name), bio=newsroom.sentence())
        for name in sorted(names)[: args.authors]
    )
    author_ids = [author.pk for author in authors]
    tag_names = tag_vocabulary(rnd, args.tags)
    tags = Tag.objects.bulk_create(
        Tag(name=name, slug=slugify(name)) for name in tag_names[: args.tags]
    )
    tag_ids = [tag.pk for tag in tags]

    # Stories in date order, so ids grow with time as on a real site; a few scheduled ahead.
    count = args.articles
    offsets = sorted(rnd.random() for _ in range(count))
    published, slugs = [], set()
    content_type = ContentType.objects.get_for_model(Article)
    cursor = connection.cursor()
    bar = progress("articles", count)
    with Copier(Article, cursor) as copier:
        for number, offset in enumerate(offsets, start=1):
            published_at = first_day + timedelta(seconds=offset * span)
            status = rnd.choices(("published", "draft", "review"), (96, 3, 1))[0]
            if status == "published" and number > count - count // 500:
                published_at = now + timedelta(hours=rnd.randint(1, 24 * 30))  # scheduled
            title = newsroom.title()
            slug = slugify(title)[:180]
            if slug in slugs:
                slug = f"{slug}-{number}"
            slugs.add(slug)
            copier.write(
                {
                    "id": number,
                    "title": title,
                    "slug": slug,
                    "standfirst": newsroom.sentence(rnd.randint(18, 30)),
                    "body": newsroom.body(),
                    "category_id": rnd.choice(category_ids),
                    "author_id": None,
                    "byline": "",
                    "featured_image": FEATURED_IMAGE,
                    "featured_image_width": image_width,
                    "featured_image_height": image_height,
                    "featured_image_alt": "The steppe under a morning sky",
                    "featured_image_caption": "The steppe near Astana.",
                    "featured_image_credit": "Newsroom photo",
                    "status": status,
                    "published_at": published_at,
                    "created_at": published_at,
                    "updated_at": published_at,
                    "is_featured": False,  # One lead, the newest story: set below.
                    "comment_mode": "default",
                    "version": 1,
                }
            )
            if status == "published" and published_at <= now:
                published.append((number, published_at))
            if number % COPY_BATCH == 0:
                bar.update(COPY_BATCH)
        bar.update(count % COPY_BATCH)
    bar.close()
    if published:  # One lead story at a time (a database rule): the newest published one.
        lead_id = max(published, key=lambda story: story[1])[0]
        Article.objects.filter(pk=lead_id).update(is_featured=True)

    bar = progress("bylines", count)
    with Copier(Byline, cursor) as copier:
        byline_id = 0
        for article_id in range(1, count + 1):
            for position, author_id in enumerate(
                rnd.sample(author_ids, 2 if rnd.random() < 0.15 else 1)
            ):
                byline_id += 1
                copier.write(
                    {
                        "id": byline_id,
                        "article_id": article_id,
                        "author_id": author_id,
                        "position": position,
                    }
                )
            if article_id % COPY_BATCH == 0:
                bar.update(COPY_BATCH)
    bar.close()

    # Three tags a story; a few tags are much busier than the rest, as on a real site.
    bar = progress("tags", count * 3)
    with Copier(TaggedItem, cursor) as copier:
        item_id = 0
        for article_id in range(1, count + 1):
            chosen = set()
            while len(chosen) < 3:
                chosen.add(tag_ids[int(len(tag_ids) * rnd.random() ** 3)])
            for tag_id in chosen:
                item_id += 1
                copier.write(
                    {
                        "id": item_id,
                        "object_id": article_id,
                        "content_type_id": content_type.pk,
                        "tag_id": tag_id,
                    }
                )
            if article_id % COPY_BATCH == 0:
                bar.update(COPY_BATCH * 3)
    bar.close()

    write_comments(newsroom, published, cursor, Comment)
    cursor.close()

    for model in (Article, Byline, TaggedItem, Comment, Category, Author, Tag):
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), [model]):
                cursor.execute(statement)
    return len(published)


def write_comments(newsroom, published, cursor, Comment):
    """About `comments_per_article` comments a story: the newest stories get ~50 each (the
    benchmark's article page), the rest are spread at random, busier for newer stories."""
    rnd = newsroom.random
    total = int(newsroom.args.articles * newsroom.args.comments_per_article)
    busy = published[-300:]
    per_article = {article_id: 50 for article_id, _ in busy}
    rest = total - 50 * len(busy)
    for _ in range(max(0, rest)):
        # Squared toward the end of the list: newer stories draw more readers.
        article_id = published[int(len(published) * rnd.random() ** 0.7)][0]
        per_article[article_id] = per_article.get(article_id, 0) + 1
    dates = dict(published)
    statuses, weights = ("approved", "pending", "spam", "rejected"), (88, 6, 4, 2)
    bar = progress("comments", total)
    comment_id = 0
    with Copier(Comment, cursor) as copier:
        for article_id in sorted(per_article):
            published_at = dates[article_id]
            moments = sorted(rnd.random() for _ in range(per_article[article_id]))
            threads = []  # approved top-level comments of this story, for replies
            for moment in moments:
                comment_id += 1
                status = rnd.choices(statuses, weights)[0]
                parent = rnd.choice(threads) if threads and rnd.random() < 0.2 else None
                created_at = published_at + timedelta(minutes=5 + moment * 60 * 24 * 3)
                name = rnd.choice(COMMENT_NAMES)
                copier.write(
                    {
                        "id": comment_id,
                        "article_id": article_id,
                        "parent_id": parent,
                        "name": name,
                        "email": f"{name.lower()}{rnd.randint(1, 5000)}@example.com",
                        "body": " ".join(rnd.sample(COMMENT_SENTENCES, rnd.randint(1, 3))),
                        "status": status,
                        "spam_reason": "Too many links" if status == "spam" else "",
                        "created_at": created_at,
                        "ip_address": f"192.0.2.{rnd.randint(1, 254)}",
                        "user_agent": "Mozilla/5.0",
                        "moderated_at": created_at if status != "pending" else None,
                    }
                )
                if status == "approved" and parent is None:
                    threads.append(comment_id)
                if comment_id % COPY_BATCH == 0:
                    bar.update(COPY_BATCH)
        bar.update(comment_id % COPY_BATCH)
    bar.close()


def main():
    args = parse_args()
    started = time.monotonic()
    create_database(args.database_url)
    setup_django(args.database_url)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    reset(args.reset)
    print(f"Filling {connection.settings_dict['NAME']} with {args.articles:,} articles")
    with indexes_set_aside(["articles_article", "comments_comment"]):
        published = populate(args)
        step = time.monotonic()
        print("Search index: the site's own set-based UPDATE, one half of the stories per core …")
        fill_search_index(args.articles)
        print(f"  {time.monotonic() - step:.0f} s")
    step = time.monotonic()
    print("VACUUM ANALYZE (planner statistics, visibility map) …", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"  {time.monotonic() - step:.0f} s")
    print(
        f"Done in {time.monotonic() - started:.0f} s: {args.articles:,} articles "
        f"({published:,} public)."
    )


if __name__ == "__main__":
    main()

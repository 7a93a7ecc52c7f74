import io
import random
from datetime import time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image, ImageColor, ImageDraw, ImageFilter

from articles.models import (
    PLACEHOLDER_SUMMARY,
    About,
    Article,
    Author,
    Byline,
    Category,
    CommentMode,
    Correction,
)
from comments.models import Comment
from demo import content, moderation
from live.models import LiveChange, LiveEntry
from newsletters.models import Newsletter

# Known passwords are for a developer's machine only: these accounts are made only with DEBUG on.
# Each gets the address `<username>@localhost`, so the moderator's email about a new comment
# shows in make run's terminal (the console mailer), as README.md's comment walk-through says.
DEMO_STAFF = [
    ("writer", "demo-writer-pass", "Writers"),
    ("editor", "demo-editor-pass", "Editors"),
    ("moderator", "demo-moderator-pass", "Moderators"),
]

PALETTES = [
    ("#1d3f6e", "#6f9bd1"),
    ("#6e1d2a", "#d17a6f"),
    ("#1d5e4a", "#7fc9a6"),
    ("#4a3b6e", "#a99bd6"),
    ("#6e5a1d", "#d6be7a"),
    ("#2d2d2d", "#9a9a9a"),
    ("#1d5a6e", "#7ac3d6"),
]


def demo_image(seed, palette):
    """An abstract picture (no network, no stock photos): soft shapes over a gradient."""
    rng = random.Random(seed)
    width, height = 1200, 675
    dark, light = (ImageColor.getrgb(colour) for colour in palette)
    gradient = Image.linear_gradient("L").resize((width, height))
    image = Image.composite(
        Image.new("RGB", (width, height), light), Image.new("RGB", (width, height), dark), gradient
    )
    draw = ImageDraw.Draw(image, "RGBA")
    for _ in range(14):
        x, y = rng.randrange(width), rng.randrange(height)
        radius = rng.randrange(40, 260)
        alpha = rng.randrange(30, 90)
        fill = (*rng.choice([dark, light, (255, 255, 255)]), alpha)
        draw.ellipse([x - radius, y - radius, x + radius, y + radius], fill=fill)
    image = image.filter(ImageFilter.GaussianBlur(3))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82, optimize=True, progressive=True)
    return ContentFile(buffer.getvalue())


class Command(BaseCommand):
    help = (
        "Fill the site with the demo content in demo/content/: About text, categories, "
        "authors, stories with images and tags, and approved and pending comments. Safe to run "
        "again: it only adds what is missing and never overwrites an editor's changes. Ends by "
        "naming the demo accounts that can sign in and, while there is no superuser, how to "
        "make one."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-images", action="store_true", help="Skip generating featured images (faster)."
        )

    @transaction.atomic
    def handle(self, *args, **options):
        try:
            # Every file is read before anything is written: a mistake loads nothing.
            site, sections = content.site(), content.sections()
            writers, stories = content.authors(), content.stories()
            content.moderation()
        except (OSError, ValueError) as error:
            raise CommandError(f"The demo content cannot be read: {error}") from None
        self.load_about(site)
        moderation.load_word_lists()  # Before the comments: the console shows what they find.
        categories = self.load_categories(sections)
        self.load_newsletters(categories)
        authors = self.load_authors(writers)
        created = 0
        now = timezone.now()
        for index, story in enumerate(stories):
            if demo_story_loaded(story["slug"]):
                continue
            self.create_story(story, index, now, categories, authors, options["no_images"])
            created += 1
        if settings.DEBUG:
            self.load_demo_staff()
        moderation.load_sanctions()
        if options["verbosity"]:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo content ready: {created} new stories "
                    f"({Article.objects.count()} in all, {Comment.objects.count()} comments)."
                )
            )
            self.report_accounts()

    def load_about(self, site):
        about = About.load()
        # Only replace the placeholder: an owner's own words are never overwritten.
        if about.summary == PLACEHOLDER_SUMMARY:
            for field, value in site.items():
                setattr(about, field, value)
            about.save()

    def load_newsletters(self, categories):
        """A daily briefing at 07:00 offered in every page's sign-up form, and one section's
        weekly letter, so a newcomer can subscribe, confirm and receive an issue (README)."""
        Newsletter.objects.get_or_create(
            slug="morning-briefing",
            defaults={
                "name": "The Morning Briefing",
                "description": "The day's stories, every morning at seven.",
                "send_time": time(7, 0),
                "offered_at_signup": True,
            },
        )
        first = next(iter(categories.values()), None)
        if first is not None:
            Newsletter.objects.get_or_create(
                slug=f"{first.slug}-weekly",
                defaults={
                    "name": f"{first.name} this week",
                    "kind": Newsletter.Kind.SECTION,
                    "category": first,
                    "days": "4",
                    "send_time": time(17, 0),
                },
            )

    def load_categories(self, sections):
        categories = {}
        for data in sections:
            category, _ = Category.objects.get_or_create(
                slug=data["slug"],
                defaults={key: data[key] for key in ("name", "description", "position")},
            )
            categories[category.slug] = category
        return categories

    def load_authors(self, writers):
        User = get_user_model()
        authors = {}
        for data in writers:
            user, created = User.objects.get_or_create(
                username=data["username"],
                defaults={key: data[key] for key in ("first_name", "last_name", "email")},
            )
            if created:
                user.set_unusable_password()
                user.save()
            profile, _ = Author.objects.get_or_create(
                user=user,
                defaults={
                    "name": f"{user.first_name} {user.last_name}",
                    "slug": slugify(f"{user.first_name} {user.last_name}"),
                    "bio": data.get("bio", ""),
                },
            )
            authors[user.username] = profile
        return authors

    def create_story(self, story, index, now, categories, authors, no_images):
        published_at = timezone.localtime(now).replace(
            hour=story["hour"], minute=(index * 7) % 60, second=0, microsecond=0
        ) - timedelta(days=story["days_ago"])
        if story["days_ago"] >= 0 and published_at > now:
            # Today's stories must already be out, whatever the hour now.
            published_at = now - timedelta(minutes=20 * (index + 1))
        category = categories[story["category"]]
        article = Article(
            title=story["title"],
            slug=story["slug"],
            standfirst=story["standfirst"],
            body=story["body"],
            category=category,
            author=authors[story["author"]].user,
            byline=story.get("byline", ""),
            status=story["status"],
            published_at=published_at,
            is_featured=story["featured"],
            comment_mode=CommentMode.DEFAULT if story["allow_comments"] else CommentMode.CLOSED,
            featured_image_alt=story["image"]["alt"],
            featured_image_caption=story["image"]["caption"],
            featured_image_credit=story["image"]["credit"],
        )
        if not no_images:
            palette = PALETTES[category.position % len(PALETTES)]
            article.featured_image.save(
                f"{story['slug']}.jpg", demo_image(story["slug"], palette), save=False
            )
        article.save()
        article.tags.set(story["tags"])
        if not article.byline:
            Byline.objects.create(article=article, author=authors[story["author"]])
        for note in story.get("corrections", []):
            Correction.objects.create(
                article=article,
                kind=note["kind"],
                text=note["text"],
                created_at=min(published_at + timedelta(hours=note["hours_later"]), now),
            )
        for offset, data in enumerate(story["comments"], start=1):
            moderation.add_comment(
                article, data, created_at=min(published_at + timedelta(hours=offset * 3), now)
            )
        if "live" in story:
            self.load_live(article, story["live"], now)

    def load_live(self, article, live, now):
        """A running live story: coverage started, its entries posted (one was edited since),
        each a change of its stream, as the posting screen would have made them."""
        article.live_since = now - timedelta(minutes=live["started_minutes_ago"])
        article.save(update_fields=["live_since", "updated_at"])
        author = article.author
        for data in live["entries"]:
            edited = data.get("edited_minutes_ago")
            entry = LiveEntry.objects.create(
                article=article,
                author=author,
                posted_at=now - timedelta(minutes=data["minutes_ago"]),
                updated_at=now - timedelta(minutes=edited) if edited is not None else None,
                headline=data.get("headline", ""),
                body=data["body"],
                is_key_event=data.get("key_event", False),
                is_pinned=data.get("pinned", False),
            )
            LiveChange.record(article.pk, entry.pk)

    def load_demo_staff(self):
        User = get_user_model()
        for username, password, group_name in DEMO_STAFF:
            email = f"{username}@localhost"
            user, created = User.objects.get_or_create(
                username=username, defaults={"is_staff": True, "email": email}
            )
            if created:
                user.set_password(password)
                user.save()
                user.groups.add(Group.objects.get(name=group_name))
            elif not user.email:
                # Made by an older load_demo, without an address: moderators got no email.
                user.email = email
                user.save(update_fields=["email"])

    def report_accounts(self):
        """Say, on every run, which accounts can sign in to the admin (make run shows this)."""
        User = get_user_model()
        usable = []
        for username, password, group_name in DEMO_STAFF:
            user = User.objects.filter(username=username, is_active=True, is_staff=True).first()
            if user is None:
                continue
            # The README's password only while it still works: an owner may have changed it.
            shown = password if user.check_password(password) else "(password changed)"
            usable.append(f"    {username:<11}{shown:<23}{group_name}")
        if usable:
            self.stdout.write("Demo accounts for the admin (/admin/), for development only:")
            self.stdout.write("\n".join(usable))
        elif not settings.DEBUG:
            self.stdout.write("No demo accounts: they are made only with DEBUG on.")
        if not User.objects.filter(is_superuser=True, is_active=True).exists():
            self.stdout.write(
                "No superuser yet. For an account with every right, run:\n"
                "    .venv/bin/python manage.py createsuperuser"
            )


def demo_story_loaded(slug):
    """Whether the demo story first published as `slug` is in the site, even renamed since.

    A demo story is known by its first slug. After an editor changes it, a published story
    keeps its old address as a Redirect and every story keeps it in its revisions; adding the
    story again would list it twice and take its old address away from the redirect.
    """
    renamed = Article.history.filter(slug=slug).values("id")
    return Article.objects.filter(
        Q(slug=slug) | Q(redirects__old_path__endswith=f"/{slug}/") | Q(pk__in=renamed)
    ).exists()

"""Saving a WordPress export into the site, keyed by WordPress IDs so that a re-run updates.

One pass over the file: authors, categories and tags come first in an export and are matched
or created as they are read; each post is saved as it is read, with its comments. Attachments
may come after the posts that use them, so featured images and galleries are finished after
the pass from a small map of attachment ID → file. Every item is saved in its own savepoint:
one bad item is reported and the rest go on.
"""

import ipaddress
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag

from articles.models import Article, Author, Byline, Category, CommentMode
from articles.redirects import Redirect, short_link
from comments.models import Comment
from images.body_images import store_imported
from images.models import BodyImage
from images.processing import normalise_upload

from .content import clean_content, comment_text, expand_galleries, plain_text, replace_images
from .wxr import WxrAuthor, WxrItem, WxrTerm, read_wxr

# WordPress statuses of posts that are brought over, as (status, keep the date).
POST_STATUSES = {
    "publish": Article.Status.PUBLISHED,
    "future": Article.Status.PUBLISHED,  # Published with a future date: scheduled.
    "draft": Article.Status.DRAFT,
    "pending": Article.Status.DRAFT,
}
SKIPPED_POST_STATUSES = {"private", "trash", "auto-draft", "inherit"}
COMMENT_STATUSES = {
    "1": Comment.Status.APPROVED,
    "0": Comment.Status.PENDING,
    "spam": Comment.Status.SPAM,
}
ASCII_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
# What Article.slug takes (SlugField(allow_unicode=True)): letters and digits of any script.
UNICODE_SLUG = re.compile(r"[-\w]+")
TITLE_MAX, STANDFIRST_MAX, SLUG_MAX = 200, 500, 200
UNCATEGORISED = ("uncategorized", "Uncategorized")


@dataclass
class Attachment:
    """What the import keeps of an attachment until the end of the pass."""

    file: str  # Relative to the uploads folder, e.g. "2024/03/photo.jpg".
    url: str
    alt: str
    caption: str
    parent_id: int


class BadItem(Exception):
    """An item the import cannot use; the message says why."""


class Summary:
    """Counts of what was imported, skipped and failed, for the command to report."""

    def __init__(self):
        self.created, self.updated, self.skipped = Counter(), Counter(), Counter()
        self.failures, self.notes = [], []

    def imported(self, kind, created):
        (self.created if created else self.updated)[kind] += 1

    def failed(self, what, reason):
        self.failures.append(f"{what}: {reason}")


class WordPressImporter:
    def __init__(self, media_dir=None, dry_run=False):
        self.media_dir = Path(media_dir).resolve() if media_dir else None
        self.dry_run = dry_run
        self.summary = Summary()
        self.authors = {}  # WordPress login → (user id, author id)
        self.categories = {}  # WordPress category slug → Category id
        self.tags = {}  # WordPress tag slug → Tag
        self.attachments = {}  # Attachment ID → Attachment
        self.thumbnails = []  # (article id, attachment ID), finished after the pass
        self.galleries = []  # (article id, WordPress post ID) whose body has a [gallery]
        self.with_images = []  # Article ids whose body has images (galleries count)
        # What the maps above gained, so that a rolled-back item can be forgotten again.
        self._journal = []

    def run(self, file):
        """Import the export in `file` (binary). Raises WxrError, having saved nothing, for a
        file that is refused or cut off: the whole import is one transaction."""
        with transaction.atomic():
            for record in read_wxr(file):
                self._import(record)
            self.finish()
            if self.dry_run:
                transaction.set_rollback(True)
        return self.summary

    def finish(self):
        """Featured images and galleries, now that every attachment is known."""
        for article_id, attachment_id in self.thumbnails:
            what = f"featured image of story {article_id}"
            self._guarded(what, self._featured_image, article_id, attachment_id)
        for article_id, post_id in self.galleries:
            self._guarded(f"gallery of post {post_id}", self._gallery, article_id, post_id)
        for article_id in self.with_images:
            self._guarded(f"images in story {article_id}", self._body_images, article_id)

    def _import(self, record):
        match record:
            case WxrAuthor():
                self._guarded(f"author {record.login!r}", self._author, record)
            case WxrTerm(kind="category"):
                self._guarded(f"category {record.name!r}", self._category, record)
            case WxrTerm(kind="tag"):
                self._guarded(f"tag {record.name!r}", self._tag, record)
            case WxrItem(post_type="attachment"):
                self._attachment(record)
            case WxrItem(post_type="post"):
                title = plain_text(record.title) or "(no title)"
                self._guarded(f"post {record.post_id} “{title}”", self._post, record)
            case WxrItem():
                self.summary.skipped[f"{record.post_type or 'untyped item'}s"] += 1

    def _guarded(self, what, function, *args):
        """Run one item's import in its own savepoint; a failure is counted, not raised."""
        mark = len(self._journal)
        try:
            with transaction.atomic():
                return function(*args)
        except BadItem as error:
            self.summary.failed(what, str(error))
        except ValidationError as error:
            self.summary.failed(what, " ".join(error.messages))
        except Exception as error:  # noqa: BLE001 -- one bad item must not stop the import.
            self.summary.failed(what, f"{type(error).__name__}: {error}")
        # The savepoint is gone, and with it whatever the item created: forget it too.
        for mapping, key in self._journal[mark:]:
            mapping.pop(key, None)
        del self._journal[mark:]
        return None

    def _remember(self, mapping, key, value):
        mapping[key] = value
        self._journal.append((mapping, key))

    # Authors, categories, tags ---------------------------------------------------------

    def _author(self, record):
        if not record.login:
            raise BadItem("it has no login name")
        User = get_user_model()
        user = User.objects.filter(username=record.login).first()
        created = user is None
        if created:
            user = User(
                username=record.login[:150],
                email=record.email,
                first_name=record.first_name[:150],
                last_name=record.last_name[:150],
            )
            user.set_unusable_password()
            user.save()
        author = Author.objects.filter(user=user).first()
        if author is None:
            name = record.display_name or user.get_full_name() or record.login
            slug = slugify(name) or slugify(record.login) or "author"
            author = Author.objects.create(
                user=user,
                name=name[:120],
                slug=_unique_slug(Author, slug, 120),
            )
        self._remember(self.authors, record.login, (user.pk, author.pk))
        self.summary.imported("authors", created)

    def _category(self, record):
        slug = _slug(record.slug, record.name, 100) or f"category-{record.term_id}"
        name = plain_text(record.name)[:100] or slug
        category = (
            Category.objects.filter(slug=slug).first() or Category.objects.filter(name=name).first()
        )
        created = category is None
        if created:
            category = Category.objects.create(
                name=name, slug=slug, description=plain_text(record.description)
            )
        # Parents are not kept: the site's sections are flat (see README, Moving from WordPress).
        self._remember(self.categories, record.slug, category.pk)
        self.summary.imported("categories", created)
        return category.pk

    def _tag(self, record, key=None):
        """The Tag for a WordPress tag (or, with `key`, a post's extra category), matched by
        name or created; counted once per import."""
        key = key or record.slug
        if key in self.tags:
            return self.tags[key]
        name = plain_text(record.name)[:100]
        if not name:
            raise BadItem("it has no name")
        tag = Tag.objects.filter(name=name).first()
        created = tag is None
        if created:
            slug = _slug(record.slug, name, 100)
            tag = Tag(name=name, slug="" if Tag.objects.filter(slug=slug).exists() else slug)
            tag.save()  # taggit makes a unique slug from the name when it is empty.
        self._remember(self.tags, key, tag)
        self.summary.imported("tags", created)
        return tag

    def _attachment(self, record):
        self.attachments[record.post_id] = Attachment(
            file=record.meta.get("_wp_attached_file", ""),
            url=record.attachment_url,
            alt=plain_text(record.meta.get("_wp_attachment_image_alt", "")),
            caption=plain_text(record.excerpt),
            parent_id=record.parent_id,
        )

    # Posts -----------------------------------------------------------------------------

    def _post(self, record):
        if record.status in SKIPPED_POST_STATUSES or record.status not in POST_STATUSES:
            self.summary.skipped[f"{record.status or 'status-less'} posts"] += 1
            return
        article = Article.objects.filter(wordpress_id=record.post_id).first()
        created = article is None
        if created:
            article = Article(wordpress_id=record.post_id)
        title = plain_text(record.title)
        published_at = record.date_gmt or record.date or timezone.now()
        article.title = title[:TITLE_MAX] or "(no title)"
        article.slug = self._post_slug(record, title, article)
        article.standfirst = _shorten(plain_text(record.excerpt), STANDFIRST_MAX)
        article.body = clean_content(record.content)
        article.status = POST_STATUSES[record.status]
        article.published_at = published_at
        if record.comment_status != "open":
            article.comment_mode = CommentMode.CLOSED
        elif created or article.comment_mode == CommentMode.CLOSED:
            # Open in WordPress: as its section says, unless an editor chose a mode here since.
            article.comment_mode = CommentMode.DEFAULT
        article.category_id = self._post_category(record)
        user_id, author_id = self.authors.get(record.creator, (None, None))
        article.author_id = user_id
        article.save()
        # WordPress's own dates, not the moment of the import.
        Article.objects.filter(pk=article.pk).update(
            created_at=published_at, updated_at=record.modified_gmt or published_at
        )
        article.tags.set(self._post_tags(record))
        if author_id:
            Byline.objects.get_or_create(article=article, author_id=author_id)
        self._old_addresses(record.link, article)
        self._comments(record, article)
        if record.meta.get("_thumbnail_id", "").strip().isdigit():
            self.thumbnails.append((article.pk, int(record.meta["_thumbnail_id"])))
        if "[gallery" in article.body:
            self.galleries.append((article.pk, record.post_id))
        if "<img" in article.body or "[gallery" in article.body:
            self.with_images.append(article.pk)
        self.summary.imported("posts", created)

    def _post_slug(self, record, title, article):
        """The WordPress slug as it is, in any script (exports percent-encode letters outside
        ASCII: kazakhstan-%d2%9b… is kazakhstan-қ…), so that a story keeps its address; one
        made from the title when a draft has none; -2, -3… on a clash."""
        slug = unquote(record.slug)
        if not UNICODE_SLUG.fullmatch(slug):
            slug = slugify(slug, allow_unicode=True) or slugify(title, allow_unicode=True)
        wanted = slug[:SLUG_MAX].strip("-") or f"post-{record.post_id}"
        return _unique_slug(Article, wanted, SLUG_MAX, exclude_pk=article.pk)

    def _post_category(self, record):
        """The post's first category: a story has one section. Its other categories become
        tags (see `_post_tags`), so nothing is lost."""
        for slug, name in record.categories[:1] or [UNCATEGORISED]:
            if slug not in self.categories:
                term = WxrTerm(kind="category", term_id=record.post_id, slug=slug, name=name)
                self._category(term)
            return self.categories[slug]

    def _post_tags(self, record):
        tags = [self._tag(WxrTerm("tag", 0, slug, name)) for slug, name in record.tags]
        for slug, name in record.categories[1:]:
            tags.append(self._tag(WxrTerm("tag", 0, slug, name), key=("category", slug)))
        return tags

    def _old_addresses(self, link, article):
        """The post's old addresses redirect to the story: its permalink's path (e.g.
        /2019/03/04/hello/) and WordPress's short link /?p=123."""
        Redirect.objects.remember(short_link(article.wordpress_id), article)
        path = unquote(urlsplit(link).path)
        if path not in ("", "/") and len(path) <= 500:
            Redirect.objects.remember(path, article)

    # Comments --------------------------------------------------------------------------

    def _comments(self, record, article):
        saved = {}  # WordPress comment ID → Comment
        for wp_comment in record.comments:
            what = f"comment {wp_comment.comment_id} on post {record.post_id}"
            comment = self._guarded(what, self._comment, wp_comment, article)
            if comment:
                saved[wp_comment.comment_id] = comment
        # Our replies go one level deep: a reply to a reply joins its thread's first comment.
        parents = {c.comment_id: c.parent_id for c in record.comments}
        for wp_id, comment in saved.items():
            root, seen = wp_id, set()
            while parents.get(root) and parents[root] in saved and root not in seen:
                seen.add(root)
                root = parents[root]
            parent = saved[root] if root != wp_id else None
            if comment.parent_id != (parent.pk if parent else None):
                Comment.objects.filter(pk=comment.pk).update(parent=parent)

    def _comment(self, record, article):
        if record.comment_type in ("pingback", "trackback"):
            self.summary.skipped[f"{record.comment_type}s"] += 1
            return None
        if record.approved not in COMMENT_STATUSES:
            self.summary.skipped[f"{record.approved or 'status-less'} comments"] += 1
            return None
        comment = Comment.objects.filter(wordpress_id=record.comment_id).first()
        created = comment is None
        if created:
            comment = Comment(wordpress_id=record.comment_id)
        comment.article = article
        comment.name = (plain_text(record.author) or "Anonymous")[:80]
        comment.email = record.email[:254]
        comment.body = comment_text(record.content)
        comment.status = COMMENT_STATUSES[record.approved]
        comment.created_at = record.date_gmt or record.date or article.published_at
        comment.ip_address = _ip_address(record.ip)
        comment.save()
        self.summary.imported("comments", created)
        return comment

    # After the pass --------------------------------------------------------------------

    def _featured_image(self, article_id, attachment_id):
        article = Article.objects.get(pk=article_id)
        if article.featured_image:
            self.summary.skipped["featured images already set"] += 1
            return
        attachment = self.attachments.get(attachment_id)
        path = self._media_path(attachment)
        if isinstance(path, str):
            story = f"story “{article.title}” (post {article.wordpress_id})"
            self.summary.notes.append(f"{story}: featured image missing, {path}")
            self.summary.skipped["featured images missing"] += 1
            return
        with path.open("rb") as source:
            upload = normalise_upload(File(source, name=path.name))
        if self.dry_run:
            self.summary.imported("featured images", True)
            return
        article.featured_image_alt = (attachment.alt or article.title)[:250]
        article.featured_image_caption = attachment.caption[:300]
        article.featured_image.save(upload.name, upload, save=False)
        _save_keeping_dates(article)
        self.summary.imported("featured images", True)

    def _media_path(self, attachment):
        """The attachment's file in --media-dir, or a string saying why there is none."""
        if attachment is None:
            return "its attachment is not in the export"
        if not attachment.file:
            return "its attachment names no file"
        return self._uploads_path(attachment.file)

    def _uploads_path(self, file):
        """The file (relative to the uploads folder) in --media-dir, or why there is none."""
        if self.media_dir is None:
            return f"{file} (no --media-dir given)"
        path = (self.media_dir / file).resolve()
        if not path.is_relative_to(self.media_dir):
            return f"{file} is outside --media-dir"
        if not path.is_file():
            return f"{file} is not in --media-dir"
        return path

    def _gallery(self, article_id, post_id):
        article = Article.objects.get(pk=article_id)
        article.body, missing = expand_galleries(article.body, self.attachments, post_id)
        if missing:
            self.summary.notes.append(
                f"story “{article.title}” (post {post_id}): {missing} gallery image(s) "
                "not in the export"
            )
        _save_keeping_dates(article)

    def _body_images(self, article_id):
        """The body's images brought into our storage from --media-dir (the site's CSP blocks
        images from the old one); those not found become links to their old address, noted."""
        article = Article.objects.get(pk=article_id)
        story = f"story “{article.title}” (post {article.wordpress_id})"
        by_url = {item.url: item.file for item in self.attachments.values() if item.url}

        def image_for(src):
            file = by_url.get(src) or _uploads_file(src)
            path = self._uploads_path(file) if file else f"{src} is not a WordPress upload"
            if isinstance(path, str) and file and (original := RESIZED.sub(r"\1", file)) != file:
                # WordPress links a resized copy (photo-1024x768.jpg): take the original.
                path, file = self._uploads_path(original), original
            if not isinstance(path, str):
                try:
                    return self._store_body_image(path, file)
                except ValidationError as error:
                    path = f"{file}: {' '.join(error.messages)}"
            self.summary.notes.append(f"{story}: body image missing, {path}")
            self.summary.skipped["body images missing"] += 1
            return None

        article.body = replace_images(article.body, image_for)
        _save_keeping_dates(article)

    def _store_body_image(self, path, file):
        """(url, width, height) of the stored copy of the upload `file` at `path`."""
        if self.dry_run:
            # Checked, not stored: files are not rolled back with the database.
            with path.open("rb") as source:
                normalise_upload(File(source, name=path.name))
            self.summary.imported("body images", True)
            return "", 0, 0
        created = not BodyImage.objects.filter(source=file).exists()
        with path.open("rb") as source:
            image = store_imported(File(source, name=path.name), source=file)
        self.summary.imported("body images", created)
        return image.image.url, image.width, image.height


# A resized copy WordPress made of an upload: photo-1024x768.jpg of photo.jpg.
RESIZED = re.compile(r"-\d+x\d+(\.\w+)$")


def _uploads_file(url):
    """The path inside wp-content/uploads of an image address there, or None."""
    path = unquote(urlsplit(url).path)
    marker = "/wp-content/uploads/"
    return path.split(marker, 1)[1] if marker in path else None


def _save_keeping_dates(article):
    """Save a finishing touch without making WordPress's modification date the import's."""
    modified = article.updated_at
    article.save()
    Article.objects.filter(pk=article.pk).update(updated_at=modified)


def _slug(wordpress_slug, name, max_length):
    """The WordPress slug when it is plain ASCII (percent-encoded ones are not), else a slug
    made from the name; may be empty."""
    slug = unquote(wordpress_slug)
    if not ASCII_SLUG.fullmatch(slug):
        slug = slugify(slug) or slugify(name)
    return slug[:max_length].strip("-")


def _unique_slug(model, wanted, max_length, exclude_pk=None):
    others = model.objects.exclude(pk=exclude_pk) if exclude_pk else model.objects.all()
    slug, number = wanted, 1
    while others.filter(slug=slug).exists():
        number += 1
        suffix = f"-{number}"
        slug = wanted[: max_length - len(suffix)] + suffix
    return slug


def _shorten(text, limit):
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _ip_address(text):
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None

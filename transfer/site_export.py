"""The whole site as JSON Lines (`export_site`), and back into an empty database
(`import_site`).

One JSON object a line, in Django's serialisation format ({"model", "pk", "fields"}), in the
order an import needs them: the About text, the people, sections and tags, then stories and
everything that hangs off them. Primary keys are kept, so addresses that carry one (comment
anchors, previews) keep working. Accounts are matched by username and carry no password;
story revisions, view counts and the search index are left out (the index is rebuilt).
Image files stay in MEDIA_ROOT: the export names them, it does not hold them. Live stories'
entries and log of changes travel with their stories (version 4).

Version 1 exports (before the two redirect tables became `articles.Redirect`) still import:
their redirect rows are turned into Redirect rows. Versions 1 and 2 (before stories had a comment
mode) give each story's "allow_comments" switch, read as its comment mode.
"""

import json
from datetime import datetime
from itertools import batched
from urllib.parse import unquote

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Q

from articles.models import Article, CommentMode
from articles.redirects import Redirect, short_link
from comments.models import Comment
from live.models import LiveEntry

FORMAT = {"format": "newsroom-site", "version": 5}
# Version 1 held SlugRedirect and LegacyRedirect rows, read into Redirect (_import_old_redirect).
# Versions 1 and 2 gave stories "allow_comments", not "comment_mode" (_comment_mode_of).
# Version 4 added live stories' entries and their log of changes (live.*).
# Version 5 added the newsletters: their readers, issues and deliveries (newsletters.*).
READABLE_VERSIONS = (1, 2, 3, 4, 5)
OLD_REDIRECTS = ("articles.slugredirect", "articles.legacyredirect")
USERS = "auth.user"
# In import order: whatever a row refers to comes before it.
MODELS = (
    "articles.about",
    "articles.author",
    "articles.category",
    "taggit.tag",
    "articles.article",
    "articles.byline",
    "taggit.taggeditem",
    "articles.correction",
    "articles.redirect",
    "comments.comment",
    "comments.wordlist",
    # A live story's entries, and its log of changes (whose ids are the versions open pages
    # follow; the stream itself is rebuilt from them in the cache).
    "live.liveentry",
    "live.livechange",
    # The newsletters and their readers: a site that moves keeps its subscribers (confirmed or
    # not, with the token their links are signed with, so links already mailed keep working),
    # and the deliveries, so that an issue sent before the move is never sent again after it.
    "newsletters.newsletter",
    "newsletters.subscriber",
    "newsletters.subscription",
    "newsletters.issue",
    "newsletters.issuestory",
    "newsletters.delivery",
)
# Derived from the rest, and rebuilt after an import.
LEFT_OUT_FIELDS = {"articles.article": {"search_vector"}}
USER_FIELDS = ("first_name", "last_name", "email", "is_staff", "is_active")
# Tables that must be empty for an import; About always has its one row.
CONTENT = tuple(label for label in MODELS if label != "articles.about")
# What a hand-edited line with a wrong shape or value raises.
BAD_VALUES = (
    ValueError,
    TypeError,
    LookupError,
    AttributeError,
    FieldDoesNotExist,
    ObjectDoesNotExist,
)


class SiteImportError(Exception):
    """The file cannot be imported here; nothing was saved. The message says why."""


class Encoder(DjangoJSONEncoder):
    def default(self, o):
        # DjangoJSONEncoder cuts times to milliseconds; an export keeps them whole.
        if isinstance(o, datetime):
            return o.isoformat()
        return super().default(o)


def export_site(stream):
    """Write the site to `stream` (text), one JSON object a line; return the number of rows."""
    count = _write(stream, FORMAT)
    for user in _users_needed().order_by("username").prefetch_related("groups"):
        fields = {name: getattr(user, name) for name in USER_FIELDS}
        fields["groups"] = sorted(group.name for group in user.groups.all())
        count += _write(stream, {"model": USERS, "fields": {"username": user.username, **fields}})
    for label in MODELS:
        left_out = LEFT_OUT_FIELDS.get(label, set())
        for batch in batched(_rows(label).iterator(chunk_size=500), 500):
            for row in serializers.serialize("python", batch, use_natural_foreign_keys=True):
                row["fields"] = {k: v for k, v in row["fields"].items() if k not in left_out}
                count += _write(stream, row)
    return count


def import_site(lines):
    """Read an export into this database, which must hold no content yet.

    All or nothing: raises SiteImportError, having saved nothing, at the first bad line.
    Returns the number of lines read.
    """
    with transaction.atomic():
        _refuse_unless_empty()
        count, version = 0, None
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                if number == 1:
                    version = _read_header(row)
                else:
                    _import_row(number, row, version)
            except json.JSONDecodeError as error:
                raise SiteImportError(f"line {number} is not JSON ({error.msg})") from None
            except (DeserializationError, DatabaseError, ValidationError, *BAD_VALUES) as error:
                raise SiteImportError(f"line {number}: {error}") from None
            count += 1
        if count == 0:
            raise SiteImportError("the file is empty")
        try:
            # Rows may refer to rows the file never held: check now, not at the commit.
            connection.check_constraints()
        except IntegrityError as error:
            raise SiteImportError(f"the file refers to rows it does not hold ({error})") from None
        if version == 1:
            # Version 1 found WordPress short links by the story's wordpress_id, not by a row.
            for article in Article.objects.exclude(wordpress_id=None):
                Redirect.objects.remember(short_link(article.wordpress_id), article)
        _reset_sequences()
        Article.objects.update_search_vector()
    return count


def _read_header(row):
    """The format version line 1 gives, or SiteImportError."""
    if (
        not isinstance(row, dict)
        or row.get("format") != FORMAT["format"]
        or row.get("version") not in READABLE_VERSIONS
    ):
        raise SiteImportError(
            "line 1 does not start a newsroom site export "
            f"(expected {json.dumps(FORMAT)}); was the file made by export_site?"
        )
    return row["version"]


def _import_row(number, row, version):
    if not isinstance(row, dict):
        raise SiteImportError(f"line {number} is not a JSON object")
    label = row.get("model")
    if label == USERS:
        _import_user(row.get("fields") or {})
    elif label in MODELS:
        if label == "articles.article" and version < 3:
            row = _comment_mode_of(row)
        for item in serializers.deserialize("python", [row]):
            item.save()
    elif label in OLD_REDIRECTS and version == 1:
        _import_old_redirect(label, row.get("fields") or {})
    else:
        raise SiteImportError(f"line {number}: {label!r} is not part of a site export")


def _comment_mode_of(row):
    """A version 1 or 2 story row with its "allow_comments" switch read as a comment mode, as
    the migration articles 0015 read it: ticked, as its section says; unticked, closed."""
    fields = dict(row.get("fields") or {})
    allowed = fields.pop("allow_comments", True)
    fields["comment_mode"] = CommentMode.DEFAULT if allowed else CommentMode.CLOSED
    return {**row, "fields": fields}


def _import_old_redirect(label, fields):
    """A version 1 SlugRedirect (an old slug) or LegacyRedirect (an old path) row."""
    article = Article.objects.get(pk=fields["article"])
    if label == "articles.slugredirect":
        # The slug at the story's date: the same address the rename recorded, unless the date
        # moved since; the fallback finds an old slug at any date (articles/redirects.py).
        old_path = unquote(Article.address(article.published_at, fields["old_slug"]))
    else:
        old_path = fields["old_path"]
    Redirect.objects.remember(old_path, article)


def _import_user(fields):
    """An account by username: kept as it is when it exists, else made without a password."""
    User = get_user_model()
    username = fields.get("username")
    if not isinstance(username, str) or not username:
        raise ValueError("an account without a username")
    if User.objects.filter(username=username).exists():
        return
    user = User(username=username, **{k: fields[k] for k in USER_FIELDS if k in fields})
    user.set_unusable_password()
    user.full_clean(exclude=["password", "last_login", "date_joined"])
    user.save()
    user.groups.set(Group.objects.filter(name__in=fields.get("groups") or []))


def _users_needed():
    """Accounts the content refers to: authors', writers', moderators' and live posters'."""
    moderators = Comment.objects.exclude(moderated_by=None).values("moderated_by")
    posters = LiveEntry.objects.exclude(author=None).values("author")
    return (
        get_user_model()
        .objects.filter(
            Q(author_profile__isnull=False)
            | Q(articles__isnull=False)
            | Q(pk__in=moderators)
            | Q(pk__in=posters)
        )
        .distinct()
    )


def _rows(label):
    model = apps.get_model(label)
    rows = model._default_manager.order_by("pk")
    if label == "taggit.taggeditem":
        # Only the stories' tags: the export holds no other tagged things.
        rows = rows.filter(content_type__app_label="articles", content_type__model="article")
    return rows


def _refuse_unless_empty():
    held = []
    for label in CONTENT:
        model = apps.get_model(label)
        count = model._default_manager.count()
        if count:
            name = model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural
            held.append(f"{count} {name}")
    if held:
        raise SiteImportError(
            "import_site fills an empty database, and this one already holds "
            + ", ".join(held)
            + "; run it on a freshly migrated database"
        )


def _reset_sequences():
    """New rows must not collide with the kept primary keys (PostgreSQL's sequences)."""
    models = [apps.get_model(label) for label in MODELS]
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _write(stream, row):
    stream.write(json.dumps(row, cls=Encoder, ensure_ascii=False, sort_keys=True) + "\n")
    return 1

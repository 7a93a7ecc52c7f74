"""The comment policy, whole, in one place (in the spirit of django-contrib-comments'
moderation.py): when a story takes comments, how often one address may post, what gives a bot
away (the hidden field, the speed, the links), whom we trust, and so what becomes of a new
comment — spam, published at once, or the moderation queue.

Views, forms and models ask `moderator`; they keep only HTTP, form fields and rows. Every setting
is read when it is needed, so a change in the environment (or a test) is obeyed at once.
"""

import math
import re
import time
from datetime import UTC, datetime, timedelta
from functools import partial

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from client_address import bucket

from .models import Comment

SHOWN_AT_SALT = "comments.form-shown-at"
# A shared page's "shown at" time is rounded down to its cache period, and to a minute at least:
# every render within one period is the same HTML, so browsers and caches can revalidate it.
MIN_STAMP_PERIOD = 60
# What counts as a link in a reader's name or comment.
LINK = re.compile(r"(?:https?://|\bwww\.)\S+", re.IGNORECASE)
SPAM_REASON_MAX_LENGTH = Comment._meta.get_field("spam_reason").max_length

# A returning commenter proves who they are with this signed cookie, which names the comments
# their browser posted (knowing someone's email address proves nothing).
TRUST_COOKIE = "commenter"
TRUST_COOKIE_SALT = "comments.returning-commenter"
TRUST_COOKIE_AGE = int(timedelta(days=365).total_seconds())
TRUST_COOKIE_ENTRIES = 20
# One remembered comment in the cookie: "ID.DIGEST", joined by "-" (no character a cookie
# would need quoted).
REMEMBERED = re.compile(r"(\d{1,18})\.([0-9a-f]{16})")


# Seconds a shared page made at the very end of a stamp period is still cached for.
STAMP_GRACE = 30


class FormNotDated(ValueError):
    """The form's "shown at" note is forged or garbled ("invalid"), or from the future or too
    old ("expired")."""


class Moderator:
    """What the site does with readers' comments. One instance, `moderator`, below."""

    # Open or closed --------------------------------------------------------------------------

    def close_at(self, article):
        """When a story stops taking comments, or None if it never does by age.

        The rule lives here, not on Article, because articles know nothing of comments.
        """
        days = settings.COMMENTS_CLOSE_AFTER_DAYS
        return article.published_at + timedelta(days=days) if days else None

    def is_open(self, article):
        """Readers may comment while the editor allows it and the story is young enough."""
        closes_at = self.close_at(article)
        return article.allow_comments and (closes_at is None or timezone.now() < closes_at)

    # Rate limit ------------------------------------------------------------------------------

    def seconds_until_allowed(self, ip):
        """Count a comment post from `ip` against its bucket; return 0 if it is within
        COMMENTS_RATE_LIMIT, else the seconds until it would be. Counted in the shared cache, so
        every server process agrees."""
        if not settings.COMMENTS_RATE_LIMIT:
            return 0
        limit, period = settings.COMMENTS_RATE_LIMIT
        now = time.time()
        window = int(now // period)
        key = f"comments:posts:{bucket(ip)}:{window}"
        cache.add(key, 0, timeout=period)
        try:
            count = cache.incr(key)
        except ValueError:  # Expired between add() and incr().
            cache.set(key, 1, timeout=period)
            count = 1
        if count <= limit:
            return 0
        return math.ceil((window + 1) * period - now)

    # Timing ----------------------------------------------------------------------------------

    def shown_at_token(self, at=None):
        """A signed note of when the form was shown (now, or `at`), so a post can tell how fast
        it came back. For a page made for one reader: the form shown again with its errors."""
        at = timezone.now() if at is None else at
        return signing.Signer(salt=SHOWN_AT_SALT).sign_object(at.timestamp())

    def stamp_period(self):
        """Seconds: a page shared from the cache is served this long at most after its stamp."""
        return max(settings.PAGE_CACHE_SECONDS, MIN_STAMP_PERIOD)

    def shared_shown_at(self):
        """(token, expires) for the form on a page every reader shares from the cache.

        The page cannot know when each reader opens it, so its note names the start of the
        current period (never later than the real time: nobody is taken for a bot by it), the
        same for every render within the period; a copy must not be served after `expires`,
        the period's end, or STAMP_GRACE seconds from now if that is later: a page made in the
        last moments of a period is still worth caching.
        """
        period = self.stamp_period()
        now = timezone.now()
        start = int(now.timestamp()) // period * period
        at = datetime.fromtimestamp(start, tz=UTC)
        expires = max(at + timedelta(seconds=period), now + timedelta(seconds=STAMP_GRACE))
        return self.shown_at_token(at), expires

    def form_max_age(self):
        """Seconds a "shown at" note stays good: the page's life in our cache (its period, and
        PAGE_CACHE_STALE_SECONDS more while a new copy is made) and in browsers' (PAGE_MAX_AGE,
        then PAGE_STALE_WHILE_REVALIDATE), plus COMMENTS_WRITING_MINUTES to write. An older
        note is a replay (or a page left open for long): treated like no note at all."""
        return (
            self.stamp_period()
            + STAMP_GRACE
            + settings.PAGE_CACHE_STALE_SECONDS
            + settings.PAGE_MAX_AGE
            + settings.PAGE_STALE_WHILE_REVALIDATE
            + settings.COMMENTS_WRITING_MINUTES * 60
        )

    def seconds_since_shown(self, token):
        """The seconds between showing the form (`token`, from shown_at_token) and now. Raises
        FormNotDated unless the token is ours and no older than form_max_age()."""
        try:
            shown_at = float(signing.Signer(salt=SHOWN_AT_SALT).unsign_object(token))
        except (signing.BadSignature, TypeError, ValueError):
            raise FormNotDated("invalid") from None
        elapsed = timezone.now().timestamp() - shown_at
        if not 0 <= elapsed <= self.form_max_age():
            raise FormNotDated("expired")
        return elapsed

    # What gives a bot away -------------------------------------------------------------------

    def spam_reason(self, *, honeypot, seconds_taken, texts):
        """Why a valid comment looks like a bot's work, or "" when it looks like a person's.

        `honeypot`: what was typed in the field people never see; `seconds_taken`: from showing
        the form to posting it; `texts`: what the reader wrote (name and comment).
        """
        if honeypot:
            return "Filled in the hidden field that people never see."
        if seconds_taken < settings.COMMENTS_MIN_SECONDS:
            return f"Posted {seconds_taken:.1f} seconds after the form was shown."
        links = sum(len(LINK.findall(text)) for text in texts)
        if links > settings.COMMENTS_MAX_LINKS:
            return f"Contains {links} links (more than {settings.COMMENTS_MAX_LINKS})."
        return ""

    # Trust -----------------------------------------------------------------------------------

    def email_digest(self, email):
        """Ties a remembered comment to the address it was posted with, without showing the
        address to whoever reads the cookie (a signed cookie is readable, only not forgeable)."""
        return salted_hmac(TRUST_COOKIE_SALT, email.casefold(), algorithm="sha256").hexdigest()[:16]

    def remembered_comments(self, request):
        """[(comment id, email_digest), ...] from this browser's signed cookie, newest first. A
        missing, forged, expired or garbled cookie remembers nothing."""
        try:
            value = request.get_signed_cookie(
                TRUST_COOKIE, salt=TRUST_COOKIE_SALT, max_age=TRUST_COOKIE_AGE
            )
        except (KeyError, signing.BadSignature):
            return []
        entries = (REMEMBERED.fullmatch(entry) for entry in value.split("-"))
        return [(int(found[1]), found[2]) for found in entries if found][:TRUST_COOKIE_ENTRIES]

    def comments_posted_here(self, request, email):
        """The IDs of the comments this browser posted with `email`: the proof a returning
        commenter gives (vouched_for_by decides whether one of them vouches for a new one)."""
        digest = self.email_digest(email)
        return [pk for pk, mark in self.remembered_comments(request) if mark == digest]

    def remember_comment(self, request, response, comment):
        """Add `comment` to this browser's signed list of the comments it posted. Set on the
        post's redirect only: pages, cached or not, never read or set it."""
        entries = [
            (comment.pk, self.email_digest(comment.email)),
            *self.remembered_comments(request),
        ]
        response.set_signed_cookie(
            TRUST_COOKIE,
            "-".join(f"{pk}.{digest}" for pk, digest in entries[:TRUST_COOKIE_ENTRIES]),
            salt=TRUST_COOKIE_SALT,
            max_age=TRUST_COOKIE_AGE,
            secure=request.is_secure(),
            httponly=True,
            samesite="Lax",
        )
        return response

    def vouched_for_by(self, comment, comment_ids):
        """Whether a moderator approved one of `comment_ids` sent from `comment`'s address."""
        return (
            bool(comment_ids)
            and Comment.objects.approved()
            .by_email(comment.email)
            .filter(pk__in=comment_ids)
            .exists()
        )

    # The decision ----------------------------------------------------------------------------

    def receive(self, comment, *, spam_reason="", posted_here=(), site_url=""):
        """File a reader's new comment: as spam, published at once, or in the moderation queue.

        A returning commenter is trusted (when the site allows it) only with proof: `posted_here`
        are the IDs of comments their browser posted (comments_posted_here), and one of them must
        be approved and carry the same address. Knowing someone's address is not enough. Only the
        queue needs a moderator, so only a pending comment emails them, once safely stored.
        """
        if spam_reason:
            comment.status = Comment.Status.SPAM
            comment.spam_reason = spam_reason[:SPAM_REASON_MAX_LENGTH]
        elif settings.COMMENTS_TRUST_RETURNING_COMMENTERS and self.vouched_for_by(
            comment, posted_here
        ):
            comment.status = Comment.Status.APPROVED
            comment.moderated_by, comment.moderated_at = None, timezone.now()
        else:
            comment.status = Comment.Status.PENDING
        comment.save()
        if comment.status == Comment.Status.PENDING and settings.COMMENTS_NOTIFY_MODERATORS:
            transaction.on_commit(partial(comment.notify_moderators, site_url))
        return comment


moderator = Moderator()

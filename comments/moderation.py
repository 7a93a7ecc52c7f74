"""The comment policy, whole, in one place (in the spirit of django-contrib-comments'
moderation.py): when a story takes comments (its mode, its age, the commenting hours), how often
one address may post, what gives a bot away (the hidden field, the speed, the links), which words
the moderators banned or suspect (comments/wordrules.py), whom we trust, and so what becomes of a
new comment — spam, rejected, published at once, or the moderation queue.

Views, forms and models ask `moderator`; they keep only HTTP, form fields and rows. Every setting
is read when it is needed, so a change in the environment (or a test) is obeyed at once.
"""

import re
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import NamedTuple

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import dateformat, timezone
from django.utils.crypto import salted_hmac

from articles.models import CommentMode
from client_address import limits

from .models import Comment, Sanction, WordList

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


# What readers may do only so often, and the setting that says how often.
RATE_LIMITS = {"posts": "COMMENTS_RATE_LIMIT", "reports": "COMMENTS_REPORT_RATE_LIMIT"}

# Seconds a shared page made at the very end of a stamp period is still cached for.
STAMP_GRACE = 30


class FormNotDated(ValueError):
    """The form's "shown at" note is forged or garbled ("invalid"), or from the future or too
    old ("expired")."""


class Opening(NamedTuple):
    """Whether readers may comment on a story now: "open", "paused" (outside the commenting
    hours; it reopens at `until`) or "closed"; and `until`: when that changes by the clock
    alone, or None if it does not."""

    state: str
    until: datetime | None = None

    def reopens(self):
        """When a paused story reopens, for readers: "07:00", or "07:00 on 7 December" when
        that is not today (the site's local time)."""
        local = timezone.localtime(self.until)
        if local.date() == timezone.localdate():
            return dateformat.format(local, "H:i")
        return dateformat.format(local, r"H:i \o\n j F")


class Moderator:
    """What the site does with readers' comments. One instance, `moderator`, below."""

    # Open or closed --------------------------------------------------------------------------

    def mode_for(self, article):
        """How `article` takes comments: "open", "premoderated" or "closed". Its own mode, else
        its section's, else the site's (COMMENTS_DEFAULT_MODE): resolved here and nowhere else.
        """
        mode = article.comment_mode
        if mode == CommentMode.DEFAULT:
            mode = article.category.comment_mode
        if mode == CommentMode.DEFAULT:
            mode = settings.COMMENTS_DEFAULT_MODE
        return mode

    def close_at(self, article):
        """When a story stops taking comments, or None if it never does by age.

        The rule lives here, not on Article, because articles know nothing of comments.
        """
        days = settings.COMMENTS_CLOSE_AFTER_DAYS
        return article.published_at + timedelta(days=days) if days else None

    def is_open(self, article):
        """The story takes comments: its mode is not closed and it is young enough. (Whether it
        takes them at this hour is opening()'s question.)"""
        closes_at = self.close_at(article)
        return self.mode_for(article) != CommentMode.CLOSED and (
            closes_at is None or timezone.now() < closes_at
        )

    def within_hours(self, now=None):
        """(whether `now` is within COMMENTS_OPEN_HOURS, when that next changes). Hours are the
        site's local times (TIME_ZONE) and may run across midnight; none: (True, None)."""
        if not settings.COMMENTS_OPEN_HOURS:
            return True, None
        opens, closes = settings.COMMENTS_OPEN_HOURS
        now = timezone.now() if now is None else now
        zone = timezone.get_default_timezone()
        today = now.astimezone(zone).date()
        for day in (today - timedelta(days=1), today, today + timedelta(days=1)):
            closing_day = day + timedelta(days=1) if closes <= opens else day
            start = datetime.combine(day, opens, tzinfo=zone).astimezone(UTC)
            end = datetime.combine(closing_day, closes, tzinfo=zone).astimezone(UTC)
            if start <= now < end:
                return True, end
            if now < start:
                return False, start
        raise AssertionError("tomorrow's opening is always ahead")  # pragma: no cover

    def opening(self, article):
        """Opening: whether readers may comment on `article` now, and until when. A story that
        closes by age before the hours reopen it is closed already."""
        if not self.is_open(article):
            return Opening("closed")
        closes_at = self.close_at(article)
        within, changes_at = self.within_hours()
        if within:
            moments = [moment for moment in (closes_at, changes_at) if moment is not None]
            return Opening("open", min(moments, default=None))
        if closes_at is not None and closes_at <= changes_at:
            return Opening("closed")
        return Opening("paused", changes_at)

    # Rate limit ------------------------------------------------------------------------------

    def seconds_until_allowed(self, ip, action="posts"):
        """Count a comment post (or a report, `action="reports"`) from `ip` against its bucket;
        return 0 if it is within COMMENTS_RATE_LIMIT (COMMENTS_REPORT_RATE_LIMIT), else the
        seconds until it would be. Counted in the shared cache, so every server process agrees."""
        rate = getattr(settings, RATE_LIMITS[action])
        return limits.seconds_until_allowed(f"comments:{action}", ip, rate)

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
        """Whether moderators approved COMMENTS_TRUST_AFTER_APPROVED of `comment_ids` (the
        comments this browser posted, comments_posted_here) sent from `comment`'s address: a new
        commenter waits until they have that many."""
        needed = settings.COMMENTS_TRUST_AFTER_APPROVED
        return (
            len(comment_ids) >= needed
            and Comment.objects.approved()
            .by_email(comment.email)
            .filter(pk__in=comment_ids)
            .count()
            >= needed
        )

    # Word lists ------------------------------------------------------------------------------

    def words_found(self, comment):
        """What the moderators' word lists find in the comment and in the name it is posted
        under (shown as publicly as the comment): [(field, wordrules.Match), ...]."""
        compiled = WordList.objects.compiled()
        return [
            (field, match)
            for field in ("body", "name")
            for match in compiled.matches(getattr(comment, field))
        ]

    def banned_words_reason(self, matches, kind):
        """Why a comment was filed by the `kind` ("reject" or "spam") lists, naming the words."""
        found = [match for _, match in matches if match.rule.kind == kind]
        lists = sorted({match.rule.list_name for match in found})
        words = ", ".join(dict.fromkeys(f"“{match.rule.text}”" for match in found))
        named = ", ".join(f"“{name}”" for name in lists)
        return f"Uses {words} from the banned list{'s' if len(lists) > 1 else ''} {named}."

    # The decision ----------------------------------------------------------------------------

    def receive(self, comment, *, spam_reason="", posted_here=(), site_url=""):
        """File a reader's new comment: as spam, rejected, published at once, or in the queue.

        In this order: a bot's work is spam; a word from a banned list files it as that list
        says (spam or rejected, the site itself deciding); a suspect word, or a pre-moderated
        story, holds it for a moderator whoever wrote it; otherwise a returning commenter is
        trusted (when the site allows it) only with proof: `posted_here` are the IDs of comments
        their browser posted (comments_posted_here), and COMMENTS_TRUST_AFTER_APPROVED of them
        must be approved and carry the same address. Knowing someone's address is not enough.
        Only the queue needs a moderator, so only a pending comment emails them, once stored.
        """
        matches = self.words_found(comment)
        comment.matched_words = [
            match.as_json(getattr(comment, field), field) for field, match in matches
        ]
        kinds = {match.rule.kind for _, match in matches}
        sanction = Sanction.objects.in_force_for(comment.email)
        if sanction:
            # Kept, for the commenter's history, but never published nor sent to the queue.
            comment.status = Comment.Status.REJECTED
            comment.rejection_reason = sanction.describe()
            comment.moderated_by, comment.moderated_at = None, timezone.now()
        elif spam_reason:
            comment.status = Comment.Status.SPAM
            comment.spam_reason = spam_reason[:SPAM_REASON_MAX_LENGTH]
        elif WordList.Kind.SPAM in kinds:
            comment.status = Comment.Status.SPAM
            reason = self.banned_words_reason(matches, WordList.Kind.SPAM)
            comment.spam_reason = reason[:SPAM_REASON_MAX_LENGTH]
        elif WordList.Kind.REJECT in kinds:
            comment.status = Comment.Status.REJECTED
            comment.moderated_by, comment.moderated_at = None, timezone.now()
        elif (
            WordList.Kind.SUSPECT not in kinds
            and self.mode_for(comment.article) == CommentMode.OPEN
            and settings.COMMENTS_TRUST_RETURNING_COMMENTERS
            and self.vouched_for_by(comment, posted_here)
        ):
            comment.status = Comment.Status.APPROVED
            comment.moderated_by, comment.moderated_at = None, timezone.now()
        else:
            comment.status = Comment.Status.PENDING
        comment.save()
        if comment.status == Comment.Status.PENDING and settings.COMMENTS_NOTIFY_MODERATORS:
            transaction.on_commit(partial(comment.notify_moderators, site_url))
        return comment

    def refusal(self, comment):
        """What a sanctioned commenter is told of `comment` (received), or "" when nothing
        special: with COMMENTS_BAN_MESSAGE off they are told what everyone is."""
        if comment.status != Comment.Status.REJECTED or not settings.COMMENTS_BAN_MESSAGE:
            return ""
        sanction = Sanction.objects.in_force_for(comment.email)
        if sanction is None:
            return ""
        if sanction.until is None:
            return "Your comment was not published: you may no longer comment on this site."
        until = timezone.localtime(sanction.until)
        return (
            "Your comment was not published: you may not comment on this site until "
            f"{until:%-d %B %Y, %H:%M}."
        )


moderator = Moderator()

"""The person behind comments: one `Commenter` per email address, with moderators' private
notes and the sanctions (bans, suspensions) that send their new comments to Rejected.

A commenter is known by a key, never by their address: an HMAC (SECRET_KEY) of the address
normalised so that the trivial variants of one mailbox give one key (capitals, "+tags", dots in
a Gmail address). Every comment carries its key (`Comment.commenter_key`, filled on save), so a
commenter's history is one indexed query and an admin address names no email. Staff see the
address itself only with the `comments.view_commenter_email` permission.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

KEY_SALT = "comments.commenter"
KEY_LENGTH = 32
# Providers on which "a.b.c" and "abc" are one mailbox.
DOTLESS_DOMAINS = {"gmail.com": "gmail.com", "googlemail.com": "gmail.com"}
EMAIL_PERMISSION = "comments.view_commenter_email"


def normalise_email(email):
    """One form for every spelling of a mailbox: "J.Doe+news@GoogleMail.com" -> "jdoe@gmail.com"."""
    local, _, domain = email.strip().casefold().rpartition("@")
    local = local.partition("+")[0] or local
    if domain in DOTLESS_DOMAINS:
        local, domain = local.replace(".", ""), DOTLESS_DOMAINS[domain]
    return f"{local}@{domain}"


def commenter_key(email):
    """The key of whoever writes from `email`; "" for no address."""
    if not email.strip():
        return ""
    digest = salted_hmac(KEY_SALT, normalise_email(email), algorithm="sha256").hexdigest()
    return digest[:KEY_LENGTH]


def masked_email(email):
    """ "daniyar@example.com" -> "d•••••r@e•••••e.com": enough to tell two commenters apart at a
    glance, not enough to write to them."""
    local, _, domain = email.rpartition("@")
    name, dot, tld = domain.rpartition(".")

    def mask(part):
        return part[:1] + "•••••" + part[-1:] if len(part) > 2 else "•••"

    return f"{mask(local)}@{mask(name)}{dot}{tld}" if name else f"{mask(local)}@{mask(domain)}"


def email_for(user, email):
    """`email` as `user` may see it: whole with the permission, masked without."""
    return email if user.has_perm(EMAIL_PERMISSION) else masked_email(email)


class Commenter(models.Model):
    """Made the first time a moderator opens someone's history: nothing is kept about readers
    nobody looked at."""

    key = models.CharField(max_length=KEY_LENGTH, primary_key=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        permissions = [("view_commenter_email", "Can see commenters' email addresses")]

    def __str__(self):
        return f"Commenter {self.key[:8]}"

    @classmethod
    def of(cls, comment):
        commenter, _ = cls.objects.get_or_create(key=comment.commenter_key)
        return commenter

    def comments(self):
        from .models import Comment

        return Comment.objects.filter(commenter_key=self.key)


class Note(models.Model):
    """A moderator's private note on a commenter: never shown to readers or the commenter."""

    commenter = models.ForeignKey(Commenter, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(max_length=2000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Note of {self.created_at:%Y-%m-%d %H:%M}"


class SanctionQuerySet(models.QuerySet):
    def in_force(self, at=None):
        """Not lifted, and permanent or not over yet: a suspension ends by itself."""
        at = at or timezone.now()
        return self.filter(lifted_at=None).filter(Q(until=None) | Q(until__gt=at))

    def in_force_for(self, email):
        """The sanction that applies to a comment from `email` now (the longest), or None."""
        key = commenter_key(email)
        if not key:
            return None
        return self.in_force().filter(commenter_id=key).strongest()

    def strongest(self):
        """A ban (no end) outweighs any suspension; else the one that ends last."""
        return self.order_by(models.F("until").desc(nulls_first=True)).first()


class Sanction(models.Model):
    class Kind(models.TextChoices):
        BAN = "ban", "Ban (until lifted)"
        SUSPENSION = "suspension", "Suspension (until a date)"

    commenter = models.ForeignKey(Commenter, on_delete=models.CASCADE, related_name="sanctions")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    until = models.DateTimeField(
        null=True, blank=True, help_text="A suspension ends at this time; a ban has no end."
    )
    reason = models.TextField("why", max_length=1000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = models.TextField("why lifted", max_length=1000, blank=True)

    objects = SanctionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="ban", until=None) | Q(kind="suspension", until__isnull=False),
                name="sanction_end_matches_kind",
            ),
        ]

    def __str__(self):
        return self.describe()

    def describe(self):
        if self.kind == self.Kind.BAN:
            return "Banned"
        return f"Suspended until {timezone.localtime(self.until):%d %B %Y, %H:%M}"

    def lift(self, user, reason):
        self.lifted_by, self.lifted_at, self.lift_reason = user, timezone.now(), reason
        self.save(update_fields=["lifted_by", "lifted_at", "lift_reason"])

"""Signed links in newsletter emails: they are each reader's key, since readers have no account.

Each carries the subscriber's id and token (a new token voids every link sent before: erasing
an address does that) and is signed with the site's SECRET_KEY under a salt of its own, so a
confirmation link cannot be used to unsubscribe nor the reverse, and a changed character is
refused.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.urls import reverse

CONFIRM, MANAGE, UNSUBSCRIBE = "confirm", "manage", "unsubscribe"


class BadLink(Exception):
    pass


def make_key(purpose, subscriber, newsletter_id=None):
    value = [subscriber.pk, subscriber.token]
    if newsletter_id is not None:
        value.append(newsletter_id)
    return signing.dumps(value, salt=f"newsletters.{purpose}", compress=True)


def read_key(purpose, key, max_age=None):
    """(subscriber, newsletter id or None) for a key made by make_key, else BadLink."""
    from .models import Subscriber

    try:
        value = signing.loads(key, salt=f"newsletters.{purpose}", max_age=max_age)
        pk, token, *rest = value
        subscriber = Subscriber.objects.get(pk=pk, token=token)
    except (signing.BadSignature, ValueError, TypeError, Subscriber.DoesNotExist):
        raise BadLink(purpose) from None
    return subscriber, (rest[0] if rest else None)


def absolute(path):
    return settings.SITE_URL.rstrip("/") + path


def confirm_url(subscriber, newsletter_ids):
    """The link that subscribes the reader to those newsletters (and confirms the address)."""
    key = make_key(CONFIRM, subscriber, sorted(newsletter_ids))
    return absolute(reverse("newsletters:confirm", args=[key]))


def manage_url(subscriber):
    return absolute(reverse("newsletters:manage", args=[make_key(MANAGE, subscriber)]))


def unsubscribe_url(subscriber, newsletter_id):
    key = make_key(UNSUBSCRIBE, subscriber, newsletter_id)
    return absolute(reverse("newsletters:unsubscribe", args=[key]))


def site_domain():
    return urlsplit(settings.SITE_URL).hostname or "localhost"

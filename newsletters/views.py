"""Readers' side: sign up (double opt-in), confirm, manage, unsubscribe. No account: the signed
links of links.py are the reader's key. No page here shows an address: whoever holds a link
sees which newsletters it receives, never to whom."""

import math

from django.conf import settings
from django.db import transaction
from django.http import HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from client_address import client_ip, limits
from client_address.origin import REFUSED, verdict
from outbox.tasks import send_later

from . import links
from .emails import confirmation_message
from .forms import ManageForm, SignupForm
from .models import Newsletter, Subscriber, Subscription

# A confirmation email goes to one address at most this often, whoever asks.
CONFIRMATION_INTERVAL_SECONDS = 15 * 60


def seconds_until_allowed(ip):
    """Count a sign-up from `ip` against NEWSLETTER_SIGNUP_RATE_LIMIT: 0 if allowed, else the
    seconds until it would be."""
    return limits.seconds_until_allowed(
        "newsletters:signups", ip, settings.NEWSLETTER_SIGNUP_RATE_LIMIT
    )


# The form is on pages cached whole, without a CSRF token: like the comment form, it trusts what
# browsers say of where a post came from (client_address/origin.py). A post that says neither is
# let through: the worst it can do is send one confirmation email, which subscribes nobody.
@csrf_exempt
@require_POST
def subscribe(request):
    if verdict(request) == REFUSED:
        return HttpResponseForbidden("Sign up from a page of this site.")
    wait = seconds_until_allowed(client_ip(request))
    if wait:
        response = render(
            request, "newsletters/too_many.html", {"minutes": math.ceil(wait / 60)}, status=429
        )
        response["Retry-After"] = str(wait)
        return response
    form = SignupForm(request.POST)
    if not form.is_valid():
        return render(request, "newsletters/signup.html", {"form": form}, status=400)
    if not form.cleaned_data["website"]:  # A bot that filled the hidden field is told the same.
        ask_to_confirm(form.cleaned_data["email"], form.chosen())
    # The same answer whether the address was new, waiting or subscribed already.
    return redirect("newsletters:check-email")


def ask_to_confirm(email, newsletters):
    """Email a confirmation link naming the chosen newsletters: nothing is subscribed until it
    is followed. An address asked for recently gets no second email."""
    if not newsletters:
        return
    subscriber, _ = Subscriber.objects.get_or_create(email=Subscriber.normalise(email))
    now = timezone.now()
    recent = now.timestamp() - CONFIRMATION_INTERVAL_SECONDS
    if subscriber.confirmation_sent_at and subscriber.confirmation_sent_at.timestamp() > recent:
        return
    Subscriber.objects.filter(pk=subscriber.pk).update(confirmation_sent_at=now)
    message = confirmation_message(subscriber, newsletters)
    transaction.on_commit(lambda: send_later(message))


@never_cache
def check_email(request):
    return render(request, "newsletters/check_email.html")


@never_cache
def confirm(request, key):
    """GET: a button (link scanners in mail systems follow links; only a person presses it).
    POST: subscribed to what the link names."""
    max_age = settings.NEWSLETTER_CONFIRM_DAYS * 86400
    try:
        subscriber, newsletter_ids = links.read_key(links.CONFIRM, key, max_age=max_age)
    except links.BadLink:
        return render(request, "newsletters/bad_link.html", status=404)
    newsletters = Newsletter.objects.filter(pk__in=newsletter_ids or [], is_active=True)
    if request.method == "POST":
        with transaction.atomic():
            if subscriber.confirmed_at is None:
                subscriber.confirmed_at = timezone.now()
                subscriber.save(update_fields=["confirmed_at"])
            Subscription.objects.bulk_create(
                [Subscription(subscriber=subscriber, newsletter=n) for n in newsletters],
                ignore_conflicts=True,
            )
        return redirect("newsletters:manage", links.make_key(links.MANAGE, subscriber))
    return render(request, "newsletters/confirm.html", {"newsletters": newsletters})


@never_cache
def manage(request, key):
    try:
        subscriber, _ = links.read_key(links.MANAGE, key)
    except links.BadLink:
        return render(request, "newsletters/bad_link.html", status=404)
    if subscriber.confirmed_at is None:
        return render(request, "newsletters/bad_link.html", status=404)
    current = list(subscriber.newsletters.filter(is_active=True))
    form = ManageForm(request.POST or None, initial={"newsletters": current})
    saved = False
    if request.method == "POST" and form.is_valid():
        chosen = set(form.cleaned_data["newsletters"])
        with transaction.atomic():
            Subscription.objects.filter(subscriber=subscriber).exclude(
                newsletter__in=chosen
            ).delete()
            Subscription.objects.bulk_create(
                [Subscription(subscriber=subscriber, newsletter=n) for n in chosen],
                ignore_conflicts=True,
            )
            # A reader who comes back after bounces asks for mail again.
            Subscriber.objects.filter(pk=subscriber.pk).update(paused_at=None, hard_failures=0)
        saved = True
    return render(
        request,
        "newsletters/manage.html",
        {"form": form, "saved": saved, "paused": subscriber.paused_at},
    )


@never_cache
@csrf_exempt  # RFC 8058: mail providers POST here with no cookie or token; the key decides.
def unsubscribe(request, key):
    try:
        subscriber, newsletter_id = links.read_key(links.UNSUBSCRIBE, key)
    except links.BadLink:
        return render(request, "newsletters/bad_link.html", status=404)
    newsletter = Newsletter.objects.filter(pk=newsletter_id).first()
    if request.method == "POST":
        Subscription.objects.filter(subscriber=subscriber, newsletter_id=newsletter_id).delete()
        return render(
            request,
            "newsletters/unsubscribed.html",
            {"newsletter": newsletter, "manage_key": links.make_key(links.MANAGE, subscriber)},
        )
    return render(request, "newsletters/unsubscribe.html", {"newsletter": newsletter})

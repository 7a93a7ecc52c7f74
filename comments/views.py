import math
import re
import time
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.cache import cache
from django.http import HttpResponseRedirect, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, render
from django.utils.crypto import salted_hmac
from django.views.csrf import csrf_failure as django_csrf_failure
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from articles.client_address import bucket, client_ip
from articles.models import Article
from articles.views import ArticleDetail

from .forms import CommentForm, shown_at_token
from .models import Comment, comments_are_open

AWAITING_MODERATION = "Thank you. Your comment will appear once a moderator has approved it."
PUBLISHED = "Thank you. Your comment is published."
CLOSED = "Comments are closed on this story."
NOT_CONFIRMED = (
    "We could not confirm that your comment was sent from this page (your browser may block "
    "cookies, or the page was open a long time). It has not been posted yet: what you wrote is "
    "kept below — please post it again."
)

# A returning commenter proves who they are with this signed cookie, which names the comments
# their browser posted (knowing someone's email address proves nothing).
TRUST_COOKIE = "commenter"
TRUST_COOKIE_SALT = "comments.returning-commenter"
TRUST_COOKIE_AGE = int(timedelta(days=365).total_seconds())
TRUST_COOKIE_ENTRIES = 20
# One remembered comment in the cookie: "ID.DIGEST", joined by "-" (no character a cookie
# would need quoted).
REMEMBERED = re.compile(r"(\d{1,18})\.([0-9a-f]{16})")


def rate_limit_bucket(ip):
    """Whose comment posts `ip` counts against (articles/client_address.py)."""
    return bucket(ip)


def seconds_until_allowed(bucket):
    """Count a comment post against `bucket` (rate_limit_bucket's answer); return 0 if it is
    within COMMENTS_RATE_LIMIT, else the seconds until it would be. Counted in the shared cache,
    so every server process agrees."""
    if not settings.COMMENTS_RATE_LIMIT:
        return 0
    limit, period = settings.COMMENTS_RATE_LIMIT
    now = time.time()
    window = int(now // period)
    key = f"comments:posts:{bucket}:{window}"
    cache.add(key, 0, timeout=period)
    try:
        count = cache.incr(key)
    except ValueError:  # Expired between add() and incr().
        cache.set(key, 1, timeout=period)
        count = 1
    if count <= limit:
        return 0
    return math.ceil((window + 1) * period - now)


def email_digest(email):
    """Ties a remembered comment to the address it was posted with, without showing the address
    to whoever reads the cookie (a signed cookie is readable, only not forgeable)."""
    return salted_hmac(TRUST_COOKIE_SALT, email.casefold(), algorithm="sha256").hexdigest()[:16]


def remembered_comments(request):
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


def comments_posted_here(request, email):
    """The IDs of the comments this browser posted with `email`: the proof a returning commenter
    gives (Comment.receive decides whether one of them vouches for the new one)."""
    digest = email_digest(email)
    return [pk for pk, mark in remembered_comments(request) if mark == digest]


def remember_comment(request, response, comment):
    """Add `comment` to this browser's signed list of the comments it posted. Set on the
    post's redirect only: pages, cached or not, never read or set it."""
    entries = [(comment.pk, email_digest(comment.email)), *remembered_comments(request)]
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


@require_POST
def post_comment(request, article_id):
    article = get_object_or_404(Article.objects.published(), pk=article_id)
    ip = client_ip(request)
    wait = seconds_until_allowed(rate_limit_bucket(ip))
    if wait:
        response = render(
            request,
            "429.html",
            {"article": article, "minutes": math.ceil(wait / 60)},
            status=429,
        )
        response["Retry-After"] = str(wait)
        return response

    if not comments_are_open(article):
        messages.error(request, CLOSED)
        return HttpResponseRedirect(article.get_absolute_url() + "#comments")

    form = CommentForm(request.POST, article=article)
    if form.is_valid():
        comment = form.save(commit=False)
        comment.ip_address = ip
        comment.user_agent = request.headers.get("User-Agent", "")[:300]
        comment.receive(
            spam_reason=form.spam_reason,
            site_url=request.build_absolute_uri("/"),
            posted_here=comments_posted_here(request, comment.email),
        )
        if comment.status == Comment.Status.APPROVED:
            messages.success(request, PUBLISHED)
            response = HttpResponseRedirect(comment.get_absolute_url())
        else:
            # Spam gets the same answer (and cookie) as a person, so a bot learns nothing.
            messages.success(request, AWAITING_MODERATION)
            response = HttpResponseRedirect(article.get_absolute_url() + "#comments")
        return remember_comment(request, response, comment)

    # Show the story again with the errors and what the reader typed.
    return article_page_with_form(request, article, form)


def article_page_with_form(request, article, form, status=200, **context):
    view = ArticleDetail()
    view.setup(request)
    view.object = article
    response = view.render_to_response(
        view.get_context_data(object=article, comment_form=form, **context)
    )
    response.status_code = status
    return response


@never_cache
@require_GET
def form_token(request):
    """A CSRF token (and cookie) and a fresh "form shown at" time for a comment form on a page
    served from the cache, which carries neither (static/js/comment-form.js asks for them)."""
    return JsonResponse(
        {"csrfmiddlewaretoken": get_token(request), "shown_at": shown_at_token()},
        headers={"X-Robots-Tag": "noindex"},
    )


def csrf_failure(request, reason=""):
    """A comment posted without a valid CSRF token (no JavaScript, an expired cookie) is not
    saved, but never lost either: the reader gets the form back with what they wrote and a
    token, and posts it again. Every other refusal is Django's own page."""
    match = request.resolver_match
    if request.method == "POST" and match and match.view_name == "comments:post":
        article = Article.objects.published().filter(pk=match.kwargs["article_id"]).first()
        if article and comments_are_open(article):
            parent = request.POST.get("parent", "")
            kept = {name: request.POST.get(name, "") for name in ("name", "email", "body")}
            kept["parent"] = (
                Comment.objects.approved().filter(article=article, pk=parent).first()
                if parent.isdigit()
                else None
            )
            return article_page_with_form(
                request,
                article,
                CommentForm(article=article, initial=kept),
                status=403,
                comment_notice=NOT_CONFIRMED,
            )
    return django_csrf_failure(request, reason)

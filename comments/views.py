import math

from django.contrib import messages
from django.http import HttpResponseRedirect, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, render
from django.views.csrf import csrf_failure as django_csrf_failure
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from articles.client_address import client_ip
from articles.models import Article
from articles.pages import render_article_page

from .forms import CommentForm
from .models import Comment
from .moderation import moderator

AWAITING_MODERATION = "Thank you. Your comment will appear once a moderator has approved it."
PUBLISHED = "Thank you. Your comment is published."
CLOSED = "Comments are closed on this story."
NOT_CONFIRMED = (
    "We could not confirm that your comment was sent from this page (your browser may block "
    "cookies, or the page was open a long time). It has not been posted yet: what you wrote is "
    "kept below — please post it again."
)
# Where on the page these messages are shown: in the comments section, beside the form they are
# about (templates/comments/tags/comments.html), not at the top of the page.
MESSAGES_PLACE = "comments"


@require_POST
def post_comment(request, article_id):
    article = get_object_or_404(Article.objects.published(), pk=article_id)
    ip = client_ip(request)
    wait = moderator.seconds_until_allowed(ip)
    if wait:
        response = render(
            request,
            "429.html",
            {"article": article, "minutes": math.ceil(wait / 60)},
            status=429,
        )
        response["Retry-After"] = str(wait)
        return response

    if not moderator.is_open(article):
        messages.error(request, CLOSED, extra_tags=MESSAGES_PLACE)
        return HttpResponseRedirect(article.get_absolute_url() + "#comments")

    form = CommentForm(request.POST, article=article)
    if form.is_valid():
        comment = form.save(commit=False)
        comment.ip_address = ip
        comment.user_agent = request.headers.get("User-Agent", "")[:300]
        moderator.receive(
            comment,
            spam_reason=form.spam_reason,
            posted_here=moderator.comments_posted_here(request, comment.email),
            site_url=request.build_absolute_uri("/"),
        )
        if comment.status == Comment.Status.APPROVED:
            messages.success(request, PUBLISHED, extra_tags=MESSAGES_PLACE)
            response = HttpResponseRedirect(comment.get_absolute_url())
        else:
            # Spam gets the same answer (and cookie) as a person, so a bot learns nothing.
            messages.success(request, AWAITING_MODERATION, extra_tags=MESSAGES_PLACE)
            response = HttpResponseRedirect(article.get_absolute_url() + "#comments")
        return moderator.remember_comment(request, response, comment)

    # Show the story again with the errors and what the reader typed.
    return render_article_page(request, article, comment_form=form)


@never_cache
@require_GET
def form_token(request):
    """A CSRF token (and cookie) and a fresh "form shown at" time for a comment form on a page
    served from the cache, which carries neither (static/js/comment-form.js asks for them)."""
    return JsonResponse(
        {"csrfmiddlewaretoken": get_token(request), "shown_at": moderator.shown_at_token()},
        headers={"X-Robots-Tag": "noindex"},
    )


def csrf_failure(request, reason=""):
    """A comment posted without a valid CSRF token (no JavaScript, an expired cookie) is not
    saved, but never lost either: the reader gets the form back with what they wrote and a
    token, and posts it again. Every other refusal is Django's own page."""
    match = request.resolver_match
    if request.method == "POST" and match and match.view_name == "comments:post":
        article = Article.objects.published().filter(pk=match.kwargs["article_id"]).first()
        if article and moderator.is_open(article):
            parent = request.POST.get("parent", "")
            kept = {name: request.POST.get(name, "") for name in ("name", "email", "body")}
            kept["parent"] = (
                Comment.objects.approved().filter(article=article, pk=parent).first()
                if parent.isdigit()
                else None
            )
            return render_article_page(
                request,
                article,
                comment_form=CommentForm(article=article, initial=kept),
                status=403,
                comment_notice=NOT_CONFIRMED,
            )
    return django_csrf_failure(request, reason)

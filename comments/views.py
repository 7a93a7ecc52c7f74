import math

from django.conf import settings
from django.contrib import messages
from django.core.paginator import InvalidPage, Paginator
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.views.csrf import csrf_failure as django_csrf_failure
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from articles import cache_tags
from articles.models import Article
from articles.pages import render_article_page
from client_address import client_ip
from pagecache.pages import PAGINATED, changes_at, reader_page

from .forms import CommentForm
from .models import Comment
from .moderation import moderator
from .origin import posted_from_this_site
from .reports import ReportForm, file_report, reporter_key

AWAITING_MODERATION = "Thank you. Your comment will appear once a moderator has approved it."
PUBLISHED = "Thank you. Your comment is published."
CLOSED = "Comments are closed on this story."
PAUSED = (
    "Comments are paused at this hour: they reopen at {reopens}. Your comment has not been "
    "posted — what you wrote is kept below, to post then."
)

REPORTED = "Thank you for your report. A moderator will look at the comment."
NOT_CONFIRMED = (
    "We could not confirm that your comment was sent from this page (your browser did not say "
    "where it came from). It has not been posted yet: what you wrote is kept below — please "
    "post it again."
)
# Where on the page these messages are shown: in the comments section, beside the form they are
# about (templates/comments/tags/comments.html), not at the top of the page.
MESSAGES_PLACE = "comments"


@require_POST
@posted_from_this_site  # Instead of the CSRF token: no token on a page shared from the cache.
def post_comment(request, article_id):
    article = get_object_or_404(
        Article.objects.published().select_related("category"), pk=article_id
    )
    ip = client_ip(request)
    wait = moderator.seconds_until_allowed(ip)
    if wait:
        return too_many(request, article, wait)

    opening = moderator.opening(article)
    if opening.state == "closed":
        messages.error(request, CLOSED, extra_tags=MESSAGES_PLACE)
        return HttpResponseRedirect(article.get_absolute_url() + "#comments")

    form = CommentForm(request.POST, article=article)
    if opening.state == "paused":
        # Refused, but not lost: the story again, with the reader's words in the form.
        form.is_valid()
        notice = PAUSED.format(reopens=opening.reopens())
        return render_article_page(
            request, article, comment_form=form, status=403, comment_notice=notice
        )
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
        refusal = moderator.refusal(comment)
        if refusal:
            messages.error(request, refusal, extra_tags=MESSAGES_PLACE)
            response = HttpResponseRedirect(article.get_absolute_url() + "#comments")
        elif comment.status == Comment.Status.APPROVED:
            messages.success(request, PUBLISHED, extra_tags=MESSAGES_PLACE)
            response = HttpResponseRedirect(comment.get_absolute_url())
        else:
            # Spam (and a silently banned commenter) gets the same answer (and cookie) as a
            # person, so a bot learns nothing.
            messages.success(request, AWAITING_MODERATION, extra_tags=MESSAGES_PLACE)
            response = HttpResponseRedirect(article.get_absolute_url() + "#comments")
        return moderator.remember_comment(request, response, comment)

    # Show the story again with the errors and what the reader typed.
    return render_article_page(request, article, comment_form=form)


def too_many(request, article, wait, what="comments"):
    context = {"article": article, "minutes": math.ceil(wait / 60), "what": what}
    response = render(request, "429.html", context, status=429)
    response["Retry-After"] = str(wait)
    return response


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@posted_from_this_site  # GET passes untouched; a POST must come from our own report form.
def report_comment(request, comment_id):
    """A reader reports a published comment: the form (GET), then the report (POST)."""
    comment = get_object_or_404(
        Comment.objects.shown()
        .filter(article__in=Article.objects.published())
        .select_related("article"),
        pk=comment_id,
    )
    article = comment.article
    if request.method == "POST":
        wait = moderator.seconds_until_allowed(client_ip(request), action="reports")
        if wait:
            return too_many(request, article, wait, what="reports")
        form = ReportForm(request.POST)
        if form.is_valid():
            file_report(comment, reporter_key(request), **form.cleaned_data)
            # The same thanks for a second report: nothing tells whether one was counted.
            messages.success(request, REPORTED, extra_tags=MESSAGES_PLACE)
            return HttpResponseRedirect(article.get_absolute_url() + "#comments")
    else:
        form = ReportForm()
    status = 400 if form.is_bound else 200
    context = {"comment": comment, "article": article, "form": form}
    return render(request, "comments/report.html", context, status=status)


def csrf_failure(request, reason=""):
    """A comment that fails the token check (its browser sent neither Sec-Fetch-Site nor Origin,
    see comments/origin.py) is not saved, but never lost either: the reader gets the form back
    with what they wrote and a token, and posts it again. Every other refusal is Django's."""
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


@reader_page(params=PAGINATED)
def comment_list(request, article_id):
    """Every comment on a published story, oldest first, COMMENTS_PER_PAGE threads a page with
    their replies: the story's own page shows only the newest threads. Reply links lead to the
    form on the story's page."""
    article = get_object_or_404(
        Article.objects.published().select_related("category"), pk=article_id
    )
    paginator = Paginator(
        article.comments.approved().filter(parent=None), settings.COMMENTS_PER_PAGE
    )
    try:
        page = paginator.page(request.GET.get("page", 1))
    except InvalidPage:
        raise Http404("No such page of comments.") from None
    opening = moderator.opening(article)
    # A cached copy must not offer "Reply" links once comments have closed (by age or for the
    # night), nor hide them once the commenting hours begin again.
    changes_at(request, opening.until)
    is_open = opening.state == "open"
    on_page = page.object_list.values("pk")
    cache_tags.shows_stories(request, [article])
    cache_tags.carries(request, cache_tags.comments(article))
    threads = (
        article.comments.for_reading().filter(Q(pk__in=on_page) | Q(parent__in=on_page)).threads()
    )
    return render(
        request,
        "comments/comment_list.html",
        {
            "article": article,
            "current_category": article.category,
            "threads": threads,
            "count": article.comments.shown().count(),
            "page_obj": page,
            "is_open": is_open,
        },
    )

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.safestring import mark_safe

from articles import cache_tags
from articles.fragments import drawn_once, render_fragments
from pagecache.generations import cached
from pagecache.pages import changes_at, last_modified

from ..forms import CommentForm
from ..models import Comment
from ..moderation import moderator

register = template.Library()


@register.inclusion_tag("comments/tags/comments.html", takes_context=True)
def comments_for(context, article):
    """The newest comment threads under a story (COMMENTS_ON_STORY_PAGE), replies nested, a
    link to all of them (comments/views.py:comment_list) and the form to add one."""
    request = context.get("request")
    # A reply link from the comments pages may answer a thread too old to be among the newest:
    # it is shown too, so the form's "Replying to" has its comment on the page.
    replyto = request.GET.get("replyto", "") if request else ""
    threads, count = latest_threads(article, replyto)
    # The page's Last-Modified moves when a comment it shows was published.
    shown = [comment for thread in threads for comment in (thread, *thread.approved_replies)]
    last_modified(request, *(comment.moderated_at or comment.created_at for comment in shown))
    cache_tags.carries(request, cache_tags.comments(article))
    opening = moderator.opening(article)
    # A cached copy of the page must not offer the form once comments have closed (by age or
    # for the night), nor say "Comments reopen at…" once they have reopened.
    changes_at(request, opening.until)
    # Open now: the form and "Reply" links. Paused for the night: neither, only when they reopen
    # (a reader's refused post still gets its words back in the form).
    is_open = opening.state == "open"
    closes_at = moderator.close_at(article) if opening.state != "closed" else None
    form = context.get("comment_form")
    form_html = ""
    if form is None and opening.state == "open":
        # The page every reader shares: the same HTML all through the stamp's period (so it
        # revalidates), and never served once its stamp is too old to post with. Drawn once per
        # stamp and reply target: Django's form rendering was a tenth of a story page.
        shown_at, stamp_expires = moderator.shared_shown_at()
        changes_at(request, stamp_expires)
        parent = reply_target(threads, replyto)

        def shared_form():
            form = CommentForm(article=article, initial={"parent": parent, "shown_at": shown_at})
            return {"article": article, "form": form, "closes_at": closes_at}

        form_html = drawn_once(
            "comments/tags/form.html",
            {
                "story": (article.pk, article.get_absolute_url()),
                "parent": (parent.pk, parent.name) if parent else None,
                "shown_at": shown_at,
                "closes_at": closes_at,
            },
            shared_form,
        )
    return {
        "article": article,
        "threads": threads,
        "count": count,
        "shown": len(threads) + sum(len(thread.approved_replies) for thread in threads),
        "is_open": is_open,
        "closes_at": closes_at,
        # Outside the commenting hours: when they reopen (the page shows no form then, unless
        # it gives back a reader's refused words).
        "reopens": opening.reopens() if opening.state == "paused" else "",
        "form": form,
        "form_html": form_html,
        "messages": context.get("messages"),
        "request": request,
        "csrf_token": context.get("csrf_token"),
        # Only a page made for this one reader (a post answered with errors) carries a token,
        # for a browser that sends neither Sec-Fetch-Site nor Origin (comments/origin.py).
        "token_inline": context.get("comment_form") is not None,
        "notice": context.get("comment_notice"),
    }


def latest_threads(article, replyto=""):
    """CommentQuerySet.latest_threads for the story's page: kept until its comments tag is
    raised (a comment published, edited or withdrawn: comments/signals.py, moderate()), as
    the page's copy is. The threads' query was a fifth of an uncached story page (issue 14).
    With ?replyto= (an old thread shown too) they are read afresh."""

    def read():
        return article.comments.for_reading().latest_threads(
            settings.COMMENTS_ON_STORY_PAGE, answering=replyto
        )

    if replyto or not article.is_public:
        return read()
    return cached(
        f"comment-threads:{article.pk}", read, unbounded=True, tags=[cache_tags.comments(article)]
    )


def reply_target(threads, comment_id):
    """The thread a "Reply" link (?replyto=ID) points to, or None if it is not on the page.

    Replies go one level deep, so replying to a reply answers its thread.
    """
    for thread in threads:
        if comment_id in {str(thread.pk), *(str(reply.pk) for reply in thread.approved_replies)}:
            return thread
    return None


@register.inclusion_tag("comments/tags/pending_link.html", takes_context=True)
def pending_comments_link(context):
    """The size of the moderation queue, linked to it, for the admin header."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not (
        user.has_perm("comments.view_comment") or user.has_perm("comments.change_comment")
    ):
        return {"show": False}
    return {
        "show": True,
        "count": Comment.objects.pending().count(),
        "url": reverse("admin:comments_comment_changelist") + "?status__exact=pending",
        # The keyboard console decides comments: only for those who may.
        "console_url": reverse("admin:comments_comment_console")
        if user.has_perm("comments.change_comment")
        else "",
    }


@register.simple_tag
def comment_threads(threads, story_url, is_open):
    """Each thread (threads() gives them, with `approved_replies`) drawn once per revision of
    its comments, whether comments are open and where its reply links point: the comments
    are most of a busy story's page."""
    context = {"story_url": story_url, "is_open": bool(is_open)}
    html = render_fragments(
        [
            (
                "comments/thread.html",
                {"thread": thread, "replies": thread.approved_replies, **context},
            )
            for thread in threads
        ]
    )
    return mark_safe("".join(html))

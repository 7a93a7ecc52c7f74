"""The keyboard moderation console (/admin/comments/comment/console/): one queue at a time as a
dense list a moderator works through with the keyboard (static/comments/console.js) or with
plain forms that work without JavaScript.

Every decision goes through `CommentQuerySet.moderate()`, like the changelist's, so the story's
pages are purged in one place. The hooks for what comes later are one line each: a queue in
QUEUES (with its count in queue_counts()), the words the word lists matched (highlighted()),
and where `u` leads (commenter_url(): the commenter's history).
"""

import operator
import re
from functools import reduce
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q
from django.http import (
    HttpResponseBadRequest,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import render
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from .forms import ConsoleRejectForm
from .models import DECISIONS, Comment
from .reports import Report
from .wordrules import marked_spans

# The console's queues, in tab order: name -> (label, which comments wait in it).
QUEUES = {
    "pending": ("Pending", Q(status=Comment.Status.PENDING)),
    "spam": ("Spam", Q(status=Comment.Status.SPAM)),
    # Readers reported it and no moderator has decided since (a decision closes the reports).
    "reported": ("Reported", Q(Exists(Report.objects.open().filter(comment=OuterRef("pk"))))),
}
# Comments per page, and per batch the script fetches when the list runs low.
BATCH = 50
# What a decision may set, and how its message says it: an undo sets "pending" back.
VERBS = {
    **{status: verb for status, _, verb in DECISIONS},
    Comment.Status.PENDING: "returned to the queue",
}
# The last decision made without JavaScript, offered for undoing on the next page.
UNDO_SESSION_KEY = "comments_console_undo"
ID = re.compile(r"[1-9][0-9]{0,17}")


def queue_counts():
    """{"pending": n, "spam": n, …}: how many comments wait in each queue, in one query."""
    in_any = reduce(operator.or_, (condition for _, condition in QUEUES.values()))
    counts = Comment.objects.filter(in_any).aggregate(
        **{name: Count("pk", filter=condition) for name, (_, condition) in QUEUES.items()}
    )
    return {name: counts[name] or 0 for name in QUEUES}


def commenter_url(comment):
    """Where `u` leads: the commenter's history (everything they wrote, their notes and
    sanctions), by their key: no address in the URL."""
    return reverse("admin:comments_commenter_change", args=[comment.commenter_key])


def highlighted(comment):
    """The comment's text, escaped, with its line breaks, and the words the word lists matched
    (wordrules.marked_spans) in <mark>: the moderator sees exactly which words, where. The
    comment's admin page shows it the same way."""
    return format_html_join(
        "",
        "{}",
        (
            (
                format_html("<mark>{}</mark>", linebreaksbr(piece))
                if marked
                else linebreaksbr(piece),
            )
            for piece, marked in marked_spans(comment.body, comment.matched_words or [])
        ),
    )


def in_queue(queue):
    """The comments waiting in `queue`, oldest first: whoever waited longest is served first,
    and comments that arrive meanwhile join at the end."""
    return Comment.objects.filter(QUEUES[queue][1]).order_by("created_at", "pk")


def after(comments, pk):
    """Those of `comments` that come after comment `pk` in the queue's order."""
    cursor = Comment.objects.filter(pk=pk).values("created_at")[:1]
    return comments.filter(Q(created_at__gt=cursor) | Q(created_at=cursor, pk__gt=pk))


def batch(queue, cursor=None):
    """The next BATCH comments of `queue` after comment `cursor`, ready to show: story and
    parent in the same query, the text marked up."""
    comments = in_queue(queue).select_related("article", "parent")
    if cursor:
        comments = after(comments, cursor)
    comments = list(comments[:BATCH])
    for comment in comments:
        comment.marked_body = highlighted(comment)
        comment.commenter_url = commenter_url(comment)
        comment.buttons = [
            (status, label) for status, label, _ in DECISIONS if status != comment.status
        ]
        if comment.parent:
            comment.parent_excerpt = Truncator(comment.parent.body).chars(160)
    return comments


def console_url(queue="pending", cursor=None):
    params = {"queue": queue, **({"after": cursor} if cursor else {})}
    return f"{reverse('admin:comments_comment_console')}?{urlencode(params)}"


def view(request, model_admin):
    """The console: GET shows a queue (or, with ?fragment=1, the next batch of its rows);
    POST decides one comment. The same permission as the comment change form."""
    if not model_admin.has_change_permission(request):
        raise PermissionDenied
    if request.method == "POST":
        return decide(request, model_admin)
    queue = request.GET.get("queue", "pending")
    cursor = request.GET.get("after", "")
    if queue not in QUEUES or (cursor and not ID.fullmatch(cursor)):
        return HttpResponseBadRequest("Unknown queue or position.")
    comments = batch(queue, cursor)
    context = {
        "queue": queue,
        "cursor": cursor,
        "comments": comments,
        "more_url": console_url(queue, comments[-1].pk) if len(comments) == BATCH else "",
    }
    if request.GET.get("fragment"):
        return render(request, "admin/comments/comment/console.html#rows", context)
    counts = queue_counts()
    opts = Comment._meta
    return render(
        request,
        "admin/comments/comment/console.html",
        {
            **model_admin.admin_site.each_context(request),
            **context,
            "opts": opts,
            "title": "Moderation console",
            "tabs": [
                {"name": name, "label": label, "count": counts[name], "url": console_url(name)}
                for name, (label, _) in QUEUES.items()
            ],
            "counts": counts,
            "undo": request.session.pop(UNDO_SESSION_KEY, None),
            # For the script's reason picker: the list the form accepts (a fresh query: the
            # field's own queryset is shared by every request).
            "reasons": list(ConsoleRejectForm.base_fields["reason"].queryset.all()),
            "note_max_length": ConsoleRejectForm.base_fields["note"].max_length,
        },
    )


def decide(request, model_admin):
    """Give one comment a status, if it still has the one the moderator saw (`expected`):
    another moderator may have decided it meanwhile. A rejection needs its reason and may have
    a note (the queue's RejectForm rule): the script sends them with the decision; a form
    without them gets a page that asks. The script gets JSON with the queues' new counts; a
    form gets a redirect back to the same queue and place."""
    wants_json = "application/json" in request.headers.get("Accept", "")
    pk, status = request.POST.get("comment", ""), request.POST.get("status", "")
    expected, queue = request.POST.get("expected", ""), request.POST.get("queue", "pending")
    cursor = request.POST.get("after", "")
    if (
        not ID.fullmatch(pk)
        or status not in VERBS
        or expected not in Comment.Status.values
        or queue not in QUEUES
        or (cursor and not ID.fullmatch(cursor))
    ):
        return HttpResponseBadRequest("Say which comment, what it was and what it becomes.")
    comment = Comment.objects.filter(pk=pk).select_related("article").first()
    why = {}
    if comment is not None and status == Comment.Status.REJECTED:
        # The row's Reject button (no `confirm`) asks first; an answer is checked.
        asked = wants_json or "confirm" in request.POST
        form = ConsoleRejectForm(request.POST if asked else None)
        if not form.is_valid():
            if wants_json:
                message = " ".join(error for errors in form.errors.values() for error in errors)
                return JsonResponse({"message": message, "errors": form.errors}, status=400)
            return ask_why(request, model_admin, comment, form)
        why = {
            "reason": form.cleaned_data["reason"].label,
            "note": form.cleaned_data["note"],
            "site_url": request.build_absolute_uri("/"),
        }
    if comment is None:
        outcome, code, level = "That comment no longer exists.", 404, messages.WARNING
    elif Comment.objects.filter(pk=pk, status=expected).moderate(status, request.user, **why):
        outcome, code = f"The comment by {comment.name} was {VERBS[status]}.", 200
        level = messages.SUCCESS
    else:
        now = comment.get_status_display().lower()
        outcome = f"The comment by {comment.name} is already {now}: someone decided it meanwhile."
        code, level = 409, messages.WARNING
    if wants_json:
        return JsonResponse(
            {"message": outcome, "status": status, "counts": queue_counts()}, status=code
        )
    messages.add_message(request, level, outcome)
    if code == 200 and status != Comment.Status.PENDING:
        request.session[UNDO_SESSION_KEY] = {
            "comment": comment.pk,
            "name": comment.name,
            "status": expected,
            "expected": status,
        }
    # Back to the same queue and page, at the comment that now comes next.
    following = after(in_queue(queue), pk).values_list("pk", flat=True).first()
    anchor = f"#comment-{following}" if following else ""
    return HttpResponseRedirect(console_url(queue, cursor) + anchor)


def ask_why(request, model_admin, comment, form):
    """The page that asks why a comment is rejected, for a console without JavaScript: the
    reasons as radio buttons and the note, posted back to the console with the decision."""
    fields = ("comment", "status", "expected", "queue", "after")
    queue, cursor = request.POST.get("queue", "pending"), request.POST.get("after", "")
    return render(
        request,
        "admin/comments/comment/console_reject.html",
        {
            **model_admin.admin_site.each_context(request),
            "opts": Comment._meta,
            "title": f"Why reject the comment by {comment.name}?",
            "comment": comment,
            "form": form,
            "hidden": {name: request.POST.get(name, "") for name in fields},
            "console_url": reverse("admin:comments_comment_console"),
            "back_url": f"{console_url(queue, cursor)}#comment-{comment.pk}",
        },
    )

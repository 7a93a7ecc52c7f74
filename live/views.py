"""What readers' pages ask of a live story: its version (polled ~1 s apart by every open page,
static/live/live.js), the changes from the version a page shows to the newest, its Atom feed
(feeds.py) and an entry's own address for sharing.

The version and the changes are usually answered from the cache before the site is reached
(polls.py); these views answer when the cache did not hold the answer, work it out (stream.py),
keep it, and answer through the same functions.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render

from articles import cache_tags
from pagecache.pages import reader_page

from . import polls, stream
from .models import LiveEntry


def _response(answer):
    status, headers, body = answer
    response = HttpResponse(body, content_type="application/json", status=status)
    for name, value in headers:
        response[name] = value
    return response


def version(request, pk):
    """{"version": n, "running": bool, "changes": {…}} of a public live story's stream (the
    changes from a few versions back, polls.py); 404 for any other."""
    found = stream.version(pk)
    return _response(polls.version_answer(pk, found, request.headers.get("If-None-Match", "")))


def changes(request, pk):
    """What changed in a public live story's stream from ?since= to ?to= (the newest version,
    which the poll gave): stream.changes_since(), kept for every page that asks the same."""
    params = polls.changes_params(request.META.get("QUERY_STRING", ""))
    if params is None:
        return HttpResponse("?since= and ?to= must be version numbers, since <= to.", status=400)
    since, to = params
    public_from = stream.version(pk)[2]
    if not polls.is_public(public_from):
        return _response((404, [], polls.NOT_FOUND_BODY))
    data = stream.changes_since(pk, since)
    if data is None:
        return _response((404, [], polls.NOT_FOUND_BODY))
    body = stream.encode(data)
    if to != data["version"]:
        # Asked for another version than the newest (a page behind, or an address made up):
        # answered, not kept, and not cached further on.
        response = _response((200, [], body))
        response["Cache-Control"] = f"public, max-age={polls.MAX_AGE}"
        return response
    stream.keep_changes(pk, since, to, body)
    return _response(polls.changes_answer(body))


@reader_page
def share(request, pk):
    """An entry's own address, for sharing: link previews read its headline and text; people
    are taken to the entry on the story's page (#update-<id>)."""
    entry = get_object_or_404(
        LiveEntry.objects.select_related("article", "article__category"), pk=pk
    )
    if not entry.article.is_public:
        raise Http404("No such update.")
    cache_tags.shows_stories(request, [entry.article])
    return render(request, "live/share.html", {"entry": entry, "article": entry.article})

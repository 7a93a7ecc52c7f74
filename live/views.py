"""What readers' pages ask of a live story: its version (polled ~1 s apart by every open page,
static/live/live.js), the changes since the version a page shows, its Atom feed (feeds.py) and
an entry's own address for sharing.

The version and the changes are answered from the cache (stream.py) with no query, no session
and no page-cache lookup: middleware.py answers them before the rest of the stack, and the same
functions serve as plain views where that middleware is not installed. Both say who may cache
them for how long, and a poll whose version did not change is a 304.
"""

import json
import re

from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.utils.http import quote_etag

from articles import cache_tags
from pagecache.pages import reader_page

from . import stream
from .models import LiveEntry

# A browser or CDN may reuse an answer this long: a change reaches a page within the poll's
# period plus this.
MAX_AGE = 1
VERSION_NUMBER = re.compile(r"0|[1-9][0-9]{0,17}")


def _json(request, data, etag=None, status=200):
    if etag and etag in request.headers.get("If-None-Match", ""):
        response = HttpResponse(status=304)
    else:
        body = json.dumps(data, separators=(",", ":"))
        response = HttpResponse(body, content_type="application/json", status=status)
    if etag:
        response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


def _not_found():
    response = HttpResponse(
        '{"error":"No live story here."}', content_type="application/json", status=404
    )
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


def version(request, pk):
    """{"version": n, "running": bool} of a public live story's stream; 404 for any other."""
    number, running, public_from = stream.version(pk)
    if not stream.is_public(public_from):
        return _not_found()
    etag = quote_etag(f"live-{pk}-{number}-{int(running)}")
    return _json(request, {"version": number, "running": running}, etag=etag)


def changes(request, pk):
    """What changed in a public live story's stream since ?since=N (stream.changes_since)."""
    since = request.GET.get("since", "")
    if not VERSION_NUMBER.fullmatch(since):
        return HttpResponseBadRequest("?since= must be a version number.")
    _, _, public_from = stream.version(pk)
    if not stream.is_public(public_from):
        return _not_found()
    data = stream.changes_since(pk, int(since))
    if data is None:
        return _not_found()
    return _json(request, data, etag=quote_etag(f"live-{pk}-{since}-{data['version']}"))


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

"""The two questions every open live page asks, answered from the cache alone.

2,000 readers with a live story open ask for its version once a second each, and within a
second of a post all of them get the same changes (inline in the version's answer, see below). Both answers are the same for everyone and
are kept in the cache (stream.py), so they are answered here, from one cache read, in front of
Django's whole request cycle (`LivePolls`, which newsroom/wsgi.py puts around the site): no
session, no user, no middleware, no query. When the cache does not hold the answer (just
posted, evicted, a bad address), the request goes on to the site, whose views (views.py) work
it out, keep it, and answer through the same functions here, so the two ways never differ.

    GET /live/<id>/version                  {"version": 7, "running": true, "changes": {…}},
                                            ETag, 304
    GET /live/<id>/changes?since=5&to=7     what changed from version 5 to 7 (stream.py)

The version's answer carries the changes from a few versions back (`"changes"`, with its
`"since"`): after a post nearly every open page is one version behind and applies them with no
second request: without it every page asked twice in the second after a post, and those
requests queued (bench/RESULTS.md, issue 16). Only a page further behind asks for /changes.
"""

import re
from urllib.parse import parse_qs

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

# A browser or CDN may reuse an answer this long: a change reaches a page within the poll's
# period plus this.
MAX_AGE = 1
# The changes from one version to another never change: a CDN or browser may keep them.
CHANGES_MAX_AGE = 24 * 60 * 60
ADDRESS = re.compile(r"^/live/([1-9][0-9]{0,17})/(version|changes)$")
VERSION_NUMBER = re.compile(r"0|[1-9][0-9]{0,17}")
NOT_FOUND_BODY = b'{"error":"No live story here."}'


def version_key(article_id):
    return f"live:version:{article_id}"


def changes_key(article_id, since, to):
    return f"live:changes:{article_id}:{since}:{to}"


def is_public(public_from):
    return public_from is not None and public_from <= timezone.now()


def version_answer(article_id, found, if_none_match=""):
    """(status, headers, body) for a poll, from (version, running, public from, the JSON of
    the changes from a few versions back to this one or None); the same for every page."""
    # A 3-tuple is what the cache held before the changes came inline (a deploy in progress).
    number, running, public_from, *inline = found
    if not is_public(public_from):
        return 404, [("Cache-Control", f"public, max-age={MAX_AGE}")], NOT_FOUND_BODY
    etag = f'"live-{article_id}-{number}-{int(running)}"'
    headers = [("ETag", etag), ("Cache-Control", f"public, max-age={MAX_AGE}")]
    if etag in if_none_match:
        return 304, headers, b""
    body = b'{"version":%d,"running":%s' % (number, b"true" if running else b"false")
    if inline and inline[0] is not None:
        body += b',"changes":' + inline[0]
    return 200, headers, body + b"}"


def changes_params(query):
    """(since, to) from ?since=N&to=M, or None when they are not version numbers."""
    params = parse_qs(query)
    values = [params.get(name, [""])[-1] for name in ("since", "to")]
    if not all(VERSION_NUMBER.fullmatch(value) for value in values):
        return None
    since, to = map(int, values)
    return (since, to) if since <= to else None


def changes_answer(body):
    return 200, [("Cache-Control", f"public, max-age={CHANGES_MAX_AGE}, immutable")], body


def cached_answer(path, query, if_none_match=""):
    """(status, headers, body) from the cache alone, or None: let the site answer."""
    match = ADDRESS.match(path)
    if match is None:
        return None
    article_id = int(match[1])
    if match[2] == "version":
        found = cache.get(version_key(article_id))
        return None if found is None else version_answer(article_id, found, if_none_match)
    params = changes_params(query)
    if params is None:
        return None
    # With the version: the story may have been taken down since these changes were kept.
    keys = [version_key(article_id), changes_key(article_id, *params)]
    found = cache.get_many(keys)
    if keys[0] not in found or keys[1] not in found:
        return None
    if not is_public(found[keys[0]][2]):
        return 404, [("Cache-Control", f"public, max-age={MAX_AGE}")], NOT_FOUND_BODY
    return changes_answer(found[keys[1]])


class LivePolls:
    """WSGI: answer the live pages' polls from the cache before the site (see above)."""

    # What Django's middleware would add to any answer (newsroom/settings.py, security).
    HEADERS = [
        ("Content-Type", "application/json"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    ]
    REASONS = {200: "200 OK", 304: "304 Not Modified", 404: "404 Not Found"}

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        answer = None
        if environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            try:
                answer = cached_answer(
                    environ.get("PATH_INFO", ""),
                    environ.get("QUERY_STRING", ""),
                    environ.get("HTTP_IF_NONE_MATCH", ""),
                )
            except Exception:  # noqa: BLE001 - a cache in trouble: the site answers instead.
                answer = None
        if answer is None:
            return self.application(environ, start_response)
        status, headers, body = answer
        if environ["REQUEST_METHOD"] == "HEAD":
            body = b""
        length = [("Content-Length", str(len(body)))] if status != 304 else []
        # As the page cache tells a hit (development, and the benchmark): answered here.
        debug = [("X-Page-Cache", "live")] if settings.PAGE_CACHE_DEBUG_HEADER else []
        start_response(self.REASONS[status], [*self.HEADERS, *headers, *length, *debug])
        return [body]
